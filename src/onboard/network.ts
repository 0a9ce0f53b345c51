// Behind a company proxy or a TLS-inspecting CA, Nix needs them too: the
// installer downloads Nix, the nix.conf crossflake writes decides which CAs
// the nix command trusts, and a daemon fetches from caches in its own
// environment, which a login shell's variables never reach. Pure: what is in
// effect, in, steps and what the plan says it set, out.
import { posix } from 'node:path';
import { known, type HostFacts } from '../io/host/facts.js';
import { installOf } from '../doctor/install-fixes.js';
import type { Problem, Step } from './step.js';
import { CONTROL } from './validate-plan.js';

/** The proxy variables Nix's fetchers (curl) read, in both cases, as the installer passes them on. */
export const PROXY_VARS = [
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
] as const;

export interface NetworkPass {
  /** Proxy variables set in this environment, name and value. */
  proxies: [string, string][];
  /** The company CA in effect (--ca-file, the team config, NODE_EXTRA_CA_CERTS), absolute; null: none. */
  caFile: string | null;
  /** Where crossflake writes the bundle Nix gets: the usual roots plus the company CA. */
  bundle: string;
}

/** What the plan says about the network: what it sets, and what it leaves to the user and why. */
export interface NetworkReport {
  set: string[];
  notes: string[];
}

/** The pass-through for this environment and CA, or null when neither a proxy nor a company CA is in effect. */
export function networkFrom(
  env: NodeJS.ProcessEnv,
  caFile: string | null,
  bundle: string,
): NetworkPass | null {
  const proxies = PROXY_VARS.flatMap((name): [string, string][] => {
    const value = env[name];
    return value ? [[name, value]] : [];
  });
  if (proxies.length === 0 && !caFile) return null;
  return { proxies, caFile, bundle };
}

/** The environment the installer (and the download of it) runs with. */
export function installerEnv(pass: NetworkPass): Record<string, string> {
  const env = Object.fromEntries(pass.proxies);
  // The official installer keeps a NIX_SSL_CERT_FILE it is given (and hands it
  // to its sudo calls) instead of installing its own bundle.
  if (pass.caFile) env.NIX_SSL_CERT_FILE = pass.bundle;
  return env;
}

/** First of all: the bundle the installer, nix.conf and the daemon point at. */
export function caBundleStep(pass: NetworkPass, flow: 'macos' | 'linux'): Step[] {
  if (!pass.caFile) return [];
  return [
    {
      id: 'ca-bundle',
      what: `Write the CA bundle for Nix to ${pass.bundle} (the usual roots plus ${pass.caFile})`,
      why: "Nix's ssl-cert-file replaces its CAs rather than adding to them: the company CA alone would refuse every site it did not sign",
      // What writes it again by hand: this onboarding, whose first step it is.
      command: ['crossflake', 'onboard', flow, '--ca-file', pass.caFile],
      internal: { name: 'ca-bundle', path: pass.bundle, sources: [pass.caFile] },
      doneWhen: { kind: 'state' },
    },
  ];
}

export function sslCertStep(pass: NetworkPass, conf: string): Step[] {
  if (!pass.caFile) return [];
  const line = `ssl-cert-file = ${pass.bundle}`;
  return [
    {
      id: 'nix-conf-ssl-cert',
      what: `Trust the company CA in ${conf} (${line})`,
      why: 'The nix command fetches flake inputs itself and verifies TLS against ssl-cert-file',
      command: ['tee', '-a', conf],
      input: `${line}\n`,
      doneWhen: { kind: 'command-succeeds', command: ['grep', '-qsxF', line, conf] },
    },
  ];
}

/** How this host's Nix daemon gets its environment, once the plan's Nix steps have run. */
export type DaemonKind = 'systemd' | 'nixos' | 'launchd' | 'none' | 'unknown';

export function daemonKind(facts: HostFacts, freshInstallArgs: string[] | null): DaemonKind {
  if (facts.os.kernel === 'darwin') {
    if (freshInstallArgs) return 'launchd';
    return installOf(facts).method === 'official-single-user' ? 'none' : 'launchd';
  }
  const linux = known(facts.linux);
  if (linux?.isNixOS) return 'nixos';
  const systemd = linux?.pid1 === 'systemd';
  if (freshInstallArgs) {
    if (!freshInstallArgs.includes('--daemon')) return 'none';
    return systemd ? 'systemd' : 'unknown';
  }
  const nix = known(facts.nix);
  if (nix?.mode === 'single-user' || installOf(facts).method === 'official-single-user')
    return 'none';
  if (nix?.mode !== 'daemon' && installOf(facts).method === 'unknown') return 'unknown';
  return systemd ? 'systemd' : 'unknown';
}

/** crossflake's own drop-in, beside (not over) the installer's override.conf. */
export const DAEMON_DROP_IN = '/etc/systemd/system/nix-daemon.service.d/crossflake-network.conf';

/** One `Environment=` value in systemd's quoting: `\` and `"` escaped, `%` doubled (specifiers). */
function systemdAssignment(name: string, value: string): string {
  const quoted = `${name}=${value}`.replace(/[\\"]/g, (c) => `\\${c}`).replace(/%/g, '%%');
  return `Environment="${quoted}"`;
}

function daemonVars(pass: NetworkPass): [string, string][] {
  return [
    ...pass.proxies,
    ...(pass.caFile ? [['NIX_SSL_CERT_FILE', pass.bundle] as [string, string]] : []),
  ];
}

/** The drop-in's text; null with a problem when a value would break out of its line. */
export function dropInText(pass: NetworkPass): string | Problem {
  const vars = daemonVars(pass);
  const bad = vars.find(([, value]) => CONTROL.test(value));
  if (bad) {
    return {
      message: `${bad[0]} contains a control character (a line break?), so it cannot go into the daemon's unit`,
      fix: `Set ${bad[0]} to a plain URL or list, then run onboard again`,
    };
  }
  const lines = vars.map(([name, value]) => systemdAssignment(name, value));
  return `# Written by crossflake onboard: the proxy and CA the Nix daemon fetches with.\n[Service]\n${lines.join('\n')}\n`;
}

function systemdSteps(pass: NetworkPass, text: string): Step[] {
  const names = daemonVars(pass).map(([name]) => name);
  return [
    {
      id: 'daemon-network',
      what: `Give the Nix daemon ${names.join(', ')} (systemd drop-in ${DAEMON_DROP_IN})`,
      why: 'nix-daemon fetches from caches in its own environment, which your shell variables never reach; a drop-in of our own leaves the unit and the installer override.conf alone',
      // install, not tee: the file may hold proxy credentials, so 0600 and no echo.
      command: ['sudo', 'install', '-D', '-m', '0600', '/dev/stdin', DAEMON_DROP_IN],
      input: text,
      doneWhen: { kind: 'state' },
    },
    {
      id: 'daemon-network-reload',
      what: 'Make systemd read the drop-in',
      why: 'systemd reads unit files only on daemon-reload',
      command: ['sudo', 'systemctl', 'daemon-reload'],
      doneWhen: { kind: 'state' },
    },
    {
      id: 'daemon-network-restart',
      what: 'Restart the Nix daemon with that environment',
      why: 'A running daemon keeps the environment it started with',
      command: ['sudo', 'systemctl', 'restart', 'nix-daemon'],
      doneWhen: { kind: 'state' },
    },
  ];
}

/** Why a daemon of this kind is not given the environment here, or null when it is. */
function daemonNote(kind: DaemonKind, facts: HostFacts): string | null {
  switch (kind) {
    case 'systemd':
      return null;
    case 'none':
      return 'no Nix daemon (single-user Nix): nix runs in your shell and reads the proxy variables from it';
    case 'nixos':
      return 'NixOS owns the nix-daemon unit: set networking.proxy.default and networking.proxy.noProxy, and security.pki.certificateFiles, in the configuration';
    case 'launchd': {
      const method = installOf(facts).method;
      if (method === 'determinate') {
        return "Determinate Nix's daemon is the launchd job systems.determinate.nix-daemon, which its installer owns: crossflake does not edit it; give it the proxy and the CA the way Determinate documents";
      }
      return (
        "the Nix daemon's environment on macOS is its launchd job's EnvironmentVariables " +
        (method === 'nix-darwin'
          ? '(nix-darwin writes the job from nix.envVars, and nix.conf from nix.settings: set the proxy and ssl-cert-file there)'
          : '(/Library/LaunchDaemons/org.nixos.nix-daemon.plist, which nix-darwin rewrites on activation): crossflake does not edit it; add the proxy and ssl-cert-file to your nix-darwin configuration')
      );
    }
    case 'unknown':
      return 'cannot tell whether or how this Nix starts a daemon (no systemd unit known): if it runs one, give it the proxy variables and NIX_SSL_CERT_FILE yourself';
  }
}

export interface DaemonPlan {
  steps: Step[];
  problem: Problem | null;
  report: NetworkReport;
}

/** The daemon part of the pass-through, with what the plan will say about it. */
export function daemonNetwork(pass: NetworkPass, kind: DaemonKind, facts: HostFacts): DaemonPlan {
  const report: NetworkReport = { set: [], notes: [] };
  const note = daemonNote(kind, facts);
  if (note !== null) {
    report.notes.push(note);
    return { steps: [], problem: null, report };
  }
  const text = dropInText(pass);
  if (typeof text !== 'string') return { steps: [], problem: text, report };
  report.set.push(
    `nix-daemon: ${daemonVars(pass)
      .map(([name]) => name)
      .join(', ')} in ${DAEMON_DROP_IN}`,
  );
  return { steps: systemdSteps(pass, text), problem: null, report };
}

/** The report lines for the installer and nix.conf. */
export function passReport(pass: NetworkPass, installs: boolean, conf: string): NetworkReport {
  const set: string[] = [];
  const names = Object.keys(installerEnv(pass));
  if (installs && names.length) set.push(`Nix installer: ${names.join(', ')} in its environment`);
  if (pass.caFile) {
    set.push(`CA bundle ${pass.bundle}: the usual roots plus ${pass.caFile}`);
    set.push(`${conf}: ssl-cert-file = ${pass.bundle}`);
  }
  return { set, notes: [] };
}

/** The user's nix.conf, as flakesSteps writes it. */
export function userNixConf(home: string): string {
  return posix.join(home, '.config', 'nix', 'nix.conf');
}

const USERINFO = /([A-Za-z][A-Za-z0-9+.-]*:\/\/)[^\s/@]+@/g;

/**
 * Output with the proxy credentials taken out: user:password@ of any URL,
 * and whatever stands before the @ of a proxy variable written without a
 * scheme, in the forms a plan shows it (as is, JSON-escaped, systemd-escaped).
 */
export function redactProxies(text: string, env: NodeJS.ProcessEnv): string {
  let out = text.replace(USERINFO, '$1***@');
  for (const name of PROXY_VARS) {
    const value = env[name];
    const at = value?.lastIndexOf('@') ?? -1;
    if (!value || at < 0) continue;
    const secret = value.slice(0, at).replace(/^[A-Za-z][A-Za-z0-9+.-]*:\/\//, '');
    if (!secret) continue;
    const forms = [secret, JSON.stringify(secret).slice(1, -1), secret.replace(/%/g, '%%')];
    for (const form of forms) out = out.split(form).join('***');
  }
  return out;
}
