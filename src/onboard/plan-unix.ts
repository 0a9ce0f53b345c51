// macOS and Linux: install Nix (the installer the support matrix names, and
// why), enable flakes, make the configuration from the right template with
// `crossflake init`, and activate it. Pure: HostFacts + options -> Plan.
import { posix } from 'node:path';
import { known, type HostFacts } from '../io/host/facts.js';
import { matchRow, rowById, type PlatformRow } from '../platforms/index.js';
import { nixInstalled } from '../doctor/checks/nix-installed.js';
import { MIN_NIX_VERSION, nixVersion } from '../doctor/checks/nix-version.js';
import { installOf, upgradeAction } from '../doctor/install-fixes.js';
import { runDoctor } from '../doctor/report.js';
import { describeInstall } from '../io/host/nix-install-parse.js';
import type { DoneCheck, Plan, Problem, Step } from './step.js';
import {
  caBundleStep,
  daemonKind,
  daemonNetwork,
  installerEnv,
  passReport,
  sslCertStep,
  userNixConf,
  type NetworkPass,
} from './network.js';

export type TemplateName = 'wsl-nixos' | 'wsl-home' | 'darwin' | 'bare-metal';

export interface UnixPlanOptions {
  flow: 'macos' | 'linux';
  homeOnly: boolean;
  /** Where the configuration is created. */
  dir: string;
  user: string;
  host: string;
  /** The team flake to build on (crossflake init --flake); null for crossflake's own. */
  from: string | null;
  /** A temp path for the downloaded Nix installer script. */
  installerPath: string;
  /** Set by planUnix from the facts: Nix came from the Determinate installer. */
  determinate?: boolean;
  /** The proxy and company CA in effect, handed on to Nix; null or absent: none. */
  network?: NetworkPass | null;
}

/** Channels the templates pin (NIX-FACTS.md), for first activations through `nix run`. */
export const NIX_DARWIN_REF = 'nix-darwin/nix-darwin-26.05';
export const HOME_MANAGER_REF = 'home-manager/release-26.05';
const NIX_PROFILE_BIN = '/nix/var/nix/profiles/default/bin/nix';
const FLAKES = ['--extra-experimental-features', 'nix-command flakes'];

/** Which template fits the host, and why. */
export function chooseTemplate(
  facts: HostFacts,
  homeOnly: boolean,
): { template: TemplateName; why: string } {
  if (facts.os.kernel === 'darwin') {
    return { template: 'darwin', why: 'macOS: nix-darwin for the system, home-manager for you' };
  }
  const wsl = known(facts.wsl)?.version === 2;
  const nixos = known(facts.linux)?.isNixOS === true;
  if (homeOnly)
    return { template: 'wsl-home', why: '--home-only: home-manager manages your user only' };
  if (nixos) {
    return wsl
      ? { template: 'wsl-nixos', why: 'NixOS-WSL: the whole system comes from the configuration' }
      : { template: 'bare-metal', why: 'NixOS: the whole system comes from the configuration' };
  }
  const distro = known(facts.linux)?.distroName ?? 'this distro';
  return {
    template: 'wsl-home',
    why: `${distro} is not NixOS: home-manager manages your user, the distro keeps the system`,
  };
}

/**
 * The support matrix names the installer as a shell line
 * (`sh <(curl -L URL) [--daemon]`); never run that string: download the
 * script, then run `sh` on the file with the same arguments.
 */
export function installerSteps(row: PlatformRow, path: string): Step[] | Problem {
  const m = /^sh <\(curl -L (https:\/\/\S+)\)((?: --[a-z-]+)*)$/.exec(row.install.nix.trim());
  if (!m) {
    return {
      message: `the support matrix's installer for ${row.id} is not a script URL: ${row.install.nix}`,
      fix: `Install Nix as ${row.id} says, then run onboard again`,
    };
  }
  const url = m[1]!;
  const args = m[2]!.trim().split(/\s+/).filter(Boolean);
  const mode = args.includes('--daemon') ? 'multi-user (daemon)' : 'default mode';
  const nixPresent: DoneCheck = {
    kind: 'command-succeeds',
    command: [NIX_PROFILE_BIN, '--version'],
  };
  return [
    {
      id: 'download-nix-installer',
      what: `Download the official Nix installer from ${url}`,
      why: 'The installer runs from a file, not piped from the network into a shell',
      command: [
        'curl',
        '--proto',
        '=https',
        '--tlsv1.2',
        '-sSfL',
        '--create-dirs',
        '-o',
        path,
        url,
      ],
      doneWhen: nixPresent,
    },
    {
      id: 'install-nix',
      what: `Install Nix with the official installer, ${mode}`,
      why: row.install.why,
      command: ['sh', path, ...args],
      doneWhen: nixPresent,
    },
  ];
}

/** Doctor's verdict on this Nix: onboard never calls "done" what doctor fails. */
function nixVerdict(facts: HostFacts): 'absent' | 'ok' | 'too-old' | 'unknown-version' {
  const report = runDoctor(facts, [nixInstalled, nixVersion]);
  const [installed, version] = report.checks;
  if (installed?.status === 'fail') return 'absent';
  if (version?.status === 'fail') return 'too-old';
  return version?.status === 'pass' ? 'ok' : 'unknown-version';
}

function upgradeSteps(facts: HostFacts, installer: Step[] | Problem): Step[] | Problem {
  const nix = known(facts.nix)!;
  const action = upgradeAction(facts);
  const method = describeInstall(nix.install);
  const newEnough: DoneCheck = { kind: 'nix-at-least', nix: 'nix', version: MIN_NIX_VERSION };
  const why = `Nix ${nix.version} is older than ${MIN_NIX_VERSION} (doctor fails it); ${action.note}`;
  if (action.kind === 'configure') {
    return {
      message: `Nix ${nix.version} (${method}) is older than ${MIN_NIX_VERSION}`,
      fix: action.note,
    };
  }
  if (action.kind === 'run') {
    const steps: Step[] = [
      {
        id: 'upgrade-nix',
        what: `Upgrade Nix (${method})`,
        why,
        command: action.command,
        doneWhen: newEnough,
      },
    ];
    if (action.then) {
      steps.push({
        id: 'restart-nix-daemon',
        what: 'Restart the Nix daemon so it runs the new Nix',
        why: 'The running daemon keeps the old version until it restarts',
        command: action.then,
        doneWhen: { kind: 'state' },
      });
    }
    return steps;
  }
  if (!Array.isArray(installer)) return installer;
  const remove: Step = {
    id: 'remove-distro-nix',
    what: `Remove ${method}`,
    why,
    command: action.remove,
    doneWhen: { kind: 'nix-at-least', nix: NIX_PROFILE_BIN, version: MIN_NIX_VERSION },
  };
  return [remove, ...installer];
}

function nixSteps(facts: HostFacts, row: PlatformRow, o: UnixPlanOptions): Step[] | Problem {
  const nix = known(facts.nix);
  // Inside a WSL distro the row recommends the team image; a distro that is
  // already there installs Nix like any Linux (its row says so).
  const installerRow =
    row.match.environment === 'wsl2' ? (rowById(`linux-${row.match.arch}`) ?? row) : row;
  const steps = installerSteps(installerRow, o.installerPath);
  const verdict = nixVerdict(facts);
  if (verdict === 'too-old') return upgradeSteps(facts, steps);
  if (verdict === 'absent' || !nix?.present) return steps;
  if (!Array.isArray(steps)) return [];
  if (verdict === 'ok') {
    const reason = `Nix ${nix.version} is installed (doctor: >= ${MIN_NIX_VERSION})`;
    for (const s of steps) s.doneWhen = { kind: 'known', reason };
  } else {
    // Version unknown: the runner asks nix itself before installing over it.
    for (const s of steps)
      s.doneWhen = { kind: 'nix-at-least', nix: 'nix', version: MIN_NIX_VERSION };
  }
  return steps;
}

function flakesSteps(facts: HostFacts, o: UnixPlanOptions, home: string): Step[] {
  const config = known(known(facts.nix)?.config);
  const on = config?.experimentalFeatures.includes('flakes') ?? false;
  const conf = userNixConf(home);
  const already: DoneCheck | null = on
    ? { kind: 'known', reason: 'flakes are already enabled' }
    : null;
  const mkdir: Step = {
    id: 'nix-conf-dir',
    what: `Make sure ${posix.dirname(conf)} exists`,
    why: "Nix reads the user's settings from there",
    command: ['mkdir', '-p', posix.dirname(conf)],
    doneWhen: already ?? { kind: 'file-exists', path: posix.dirname(conf) },
  };
  return [
    mkdir,
    {
      id: 'enable-flakes',
      what: `Enable flakes for ${o.user} in ${conf}`,
      why: 'Templates, `crossflake init` and every switch command use flakes, which Nix still calls experimental',
      command: ['tee', '-a', conf],
      input: 'experimental-features = nix-command flakes\n',
      doneWhen: already ?? {
        kind: 'command-succeeds',
        command: ['grep', '-qs', '^experimental-features.*flakes', conf],
      },
    },
  ];
}

function initStep(template: TemplateName, why: string, row: PlatformRow, o: UnixPlanOptions): Step {
  const params = ['-p', `username=${o.user}`];
  if (template !== 'wsl-home') params.push('-p', `hostname=${o.host}`);
  params.push('-p', `system=${row.nixSystem}`);
  // nix-darwin aborts activation next to Determinate Nix unless told (nix.enable = false).
  if (template === 'darwin' && o.determinate) params.push('-p', 'nixInstall=determinate-nix');
  return {
    id: 'init-config',
    what: `Create the configuration in ${o.dir} from the ${template} template`,
    why,
    command: [
      'crossflake',
      'init',
      template,
      o.dir,
      ...params,
      ...(o.from ? ['--flake', o.from] : []),
      '--non-interactive',
      '--git',
    ],
    // The end state is the first commit, not flake.nix: a run that failed
    // between writing and committing must not count as done. --git-dir keeps
    // a parent repository's HEAD from answering for a directory without one.
    doneWhen: {
      kind: 'command-succeeds',
      command: ['git', '--git-dir', posix.join(o.dir, '.git'), 'cat-file', '-e', 'HEAD:flake.nix'],
    },
  };
}

function activateSteps(facts: HostFacts, template: TemplateName, o: UnixPlanOptions): Step[] {
  const nix = known(facts.nix)?.present ? 'nix' : NIX_PROFILE_BIN;
  const at = { cwd: o.dir, doneWhen: { kind: 'state' } as const };
  if (template === 'darwin') {
    const installed = known(facts.nix)?.darwinRebuild === true;
    return [
      {
        id: 'activate',
        what: `Activate the nix-darwin configuration ${o.host}`,
        why: installed
          ? 'darwin-rebuild applies the system and home configuration'
          : 'darwin-rebuild is not installed yet, so the first switch runs it from nix-darwin',
        command: installed
          ? ['sudo', 'darwin-rebuild', 'switch', '--flake', `.#${o.host}`]
          : [
              'sudo',
              nix,
              ...FLAKES,
              'run',
              `${NIX_DARWIN_REF}#darwin-rebuild`,
              '--',
              'switch',
              '--flake',
              `.#${o.host}`,
            ],
        ...at,
      },
    ];
  }
  if (template === 'wsl-home') {
    return [
      {
        id: 'activate',
        what: `Activate the home-manager configuration for ${o.user}`,
        why: 'home-manager is not installed before the first switch, so it runs from its flake; `-b backup` keeps the distro\'s own .bashrc, .profile and .bash_profile (from /etc/skel) as *.backup instead of stopping on "would be clobbered"; later: home-manager switch --flake .',
        command: [
          nix,
          ...FLAKES,
          'run',
          HOME_MANAGER_REF,
          '--',
          'switch',
          '-b',
          'backup',
          '--flake',
          '.',
        ],
        ...at,
      },
    ];
  }
  const steps: Step[] = [];
  if (template === 'bare-metal') {
    const hw = posix.join(o.dir, 'hosts', o.host, 'hardware-configuration.nix');
    steps.push(
      {
        id: 'hardware-config',
        what: `Describe this machine's hardware in ${hw}`,
        why: 'The template carries a placeholder; NixOS needs the real disks and kernel modules',
        command: ['nixos-generate-config', '--show-hardware-config'],
        stdoutTo: hw,
        // The configuration is the user's repository: a link in it must not send the write elsewhere.
        stdoutWithin: o.dir,
        doneWhen: { kind: 'state' },
      },
      {
        id: 'git-add-hardware',
        what: 'Add the hardware description to git',
        why: 'A flake only sees files git tracks',
        command: [
          'git',
          '-C',
          o.dir,
          'add',
          posix.join('hosts', o.host, 'hardware-configuration.nix'),
        ],
        doneWhen: { kind: 'state' },
      },
    );
  }
  steps.push({
    id: 'activate',
    what: `Switch NixOS to the configuration ${o.host}`,
    why: 'nixos-rebuild builds the system from the flake and activates it',
    command: ['sudo', 'nixos-rebuild', 'switch', '--flake', `.#${o.host}`],
    ...at,
  });
  return steps;
}

function afterwards(template: TemplateName, o: UnixPlanOptions): string[][] {
  if (template === 'darwin')
    return [['sudo', 'darwin-rebuild', 'switch', '--flake', `.#${o.host}`]];
  if (template === 'wsl-home') return [['home-manager', 'switch', '--flake', '.']];
  return [['sudo', 'nixos-rebuild', 'switch', '--flake', `.#${o.host}`]];
}

export function planUnix(facts: HostFacts, o: UnixPlanOptions): Plan {
  const match = matchRow(facts);
  const want = o.flow === 'macos' ? 'darwin' : 'linux';
  const problems: Problem[] = [];
  if (facts.os.kernel !== want) {
    problems.push({
      message: `onboard ${o.flow} needs ${want}, but the facts are from ${facts.os.kernel}`,
      fix:
        facts.os.kernel === 'windows'
          ? 'Use `crossflake onboard wsl`'
          : `Use \`crossflake onboard ${facts.os.kernel === 'darwin' ? 'macos' : 'linux'}\``,
    });
  }
  if (!match.row) {
    problems.push({
      message: `no platform row for ${match.key}: ${match.reason}`,
      fix: 'See `crossflake doctor`',
    });
    return {
      flow: o.flow,
      row: null,
      summary: `${o.flow} onboarding`,
      problems,
      steps: [],
      afterwards: [],
    };
  }
  const row = match.row;
  const { template, why } = chooseTemplate(facts, o.homeOnly);
  const nix = nixSteps(facts, row, o);
  if (!Array.isArray(nix)) problems.push(nix);
  const nixList = Array.isArray(nix) ? nix : [];
  const net = o.network ? networkPlan(facts, o.network, nixList, o.flow) : null;
  if (net?.problem) problems.push(net.problem);
  const steps = [
    ...(net?.before ?? []),
    ...nixList,
    ...(net?.daemon ?? []),
    ...flakesSteps(facts, o, facts.user.home),
    ...(net?.nixConf ?? []),
    initStep(template, why, row, { ...o, determinate: installOf(facts).method === 'determinate' }),
    ...activateSteps(facts, template, o),
  ];
  return {
    flow: o.flow,
    row: row.id,
    summary: `${row.name}: ${template} configuration in ${o.dir}`,
    problems,
    steps,
    afterwards: afterwards(template, o),
    ...(net ? { network: net.report } : {}),
  };
}

/** The installer's arguments when this plan installs Nix afresh; null when Nix stays. */
function freshInstall(facts: HostFacts, nix: Step[]): string[] | null {
  const install = nix.find((s) => s.id === 'install-nix');
  if (!install || install.doneWhen.kind === 'known') return null;
  const replaces = nix.some((s) => s.id === 'remove-distro-nix');
  return known(facts.nix)?.present && !replaces ? null : install.command.slice(2);
}

/**
 * The proxy and CA handed to Nix: the installer's environment (and curl's
 * CA), a bundle for ssl-cert-file in the user's nix.conf, and the daemon's
 * environment where the install method has a place for it.
 */
function networkPlan(facts: HostFacts, pass: NetworkPass, nix: Step[], flow: 'macos' | 'linux') {
  const fresh = freshInstall(facts, nix);
  const env = installerEnv(pass);
  for (const step of nix) {
    if (step.id !== 'install-nix' && step.id !== 'download-nix-installer') continue;
    if (Object.keys(env).length) step.env = env;
    // curl keeps its own CAs unless told: the bundle has the usual roots and the company CA.
    if (step.id === 'download-nix-installer' && pass.caFile)
      step.command.splice(step.command.length - 1, 0, '--cacert', pass.bundle);
  }
  const conf = userNixConf(facts.user.home);
  const daemon = daemonNetwork(pass, daemonKind(facts, fresh), facts);
  const base = passReport(pass, fresh !== null, conf);
  return {
    before: caBundleStep(pass, flow),
    daemon: daemon.steps,
    nixConf: sslCertStep(pass, conf),
    problem: daemon.problem,
    report: {
      set: [...base.set, ...daemon.report.set],
      notes: [...base.notes, ...daemon.report.notes],
    },
  };
}
