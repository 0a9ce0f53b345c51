// Behind a company proxy and a TLS-inspecting CA, onboard hands both to Nix:
// the installer's environment, ssl-cert-file in the nix.conf it writes, and
// the daemon's environment where the install method has a place for it (a
// systemd drop-in of our own on Linux), and says what it set and what it
// left. Checked for every install method on the recorded hosts, with the
// plans' own validators; the drop-in's text is read back with systemd's
// quoting rules; the CA bundle step runs for real.
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import type { HostFacts, NixFacts } from '../../src/io/host/facts.js';
import { liveContext } from '../../src/onboard/live.js';
import {
  DAEMON_DROP_IN,
  dropInText,
  networkFrom,
  redactProxies,
  type NetworkPass,
} from '../../src/onboard/network.js';
import { planUnix } from '../../src/onboard/plan-unix.js';
import { renderPlan } from '../../src/onboard/render.js';
import { runPlan } from '../../src/onboard/runner.js';
import type { Plan } from '../../src/onboard/step.js';
import { validatePlan } from '../../src/onboard/validate-plan.js';
import { colors } from '../../src/ui/color.js';
import { captureIo } from '../helpers/capture-io.js';
import { hostWithInstall, installFixtures, recordedFacts } from '../helpers/facts.js';
import { makeTestCa } from '../helpers/test-ca.js';
import { adaPlan } from '../helpers/onboard-plan.js';

const PROXY = 'http://ada:s3cr%25et@proxy.corp.example:3128';
const ENV = { HTTPS_PROXY: PROXY, NO_PROXY: 'localhost,.corp.example' };
const CA = '/home/ada/certs/company.pem';
const BUNDLE = '/home/ada/.local/share/crossflake/ca-bundle.pem';
const pass = networkFrom(ENV, CA, BUNDLE) as NetworkPass;

const planFor = (facts: HostFacts, network: NetworkPass | null = pass): Plan =>
  adaPlan(facts, network);

/** A recorded non-NixOS host (Ubuntu with systemd; macOS) without Nix: the installer runs. */
function freshHost(name: 'linux' | 'darwin'): HostFacts {
  const base =
    name === 'linux' ? hostWithInstall('linux-official-daemon') : recordedFacts('darwin-aarch64');
  const nix = base.nix as NixFacts;
  return { ...base, nix: { ...nix, present: false, version: null, path: null, config: null } };
}

type Daemon = 'drop-in' | 'not-set';
/** What each install method gets for its daemon, and the note when it gets nothing. */
const EXPECTED: Record<string, { daemon: Daemon; note?: string; installer?: boolean }> = {
  'linux-official-daemon': { daemon: 'drop-in' },
  'linux-official-daemon-old': { daemon: 'drop-in' },
  'wsl-ubuntu-official-daemon': { daemon: 'drop-in' },
  'linux-determinate': { daemon: 'drop-in' },
  'linux-lix': { daemon: 'drop-in' },
  'linux-arch-pacman': { daemon: 'drop-in' },
  // Too old distribution packages are replaced by the official --daemon install.
  'linux-debian-nix-bin': { daemon: 'drop-in', installer: true },
  'linux-fedora-rpm': { daemon: 'drop-in', installer: true },
  'linux-ubuntu-nix-bin-multiarch': { daemon: 'drop-in', installer: true },
  'linux-official-single-user': { daemon: 'not-set', note: 'no Nix daemon (single-user Nix)' },
  'linux-nixos-old': { daemon: 'not-set', note: 'NixOS owns the nix-daemon unit' },
  'wsl-nixos': { daemon: 'not-set', note: 'security.pki.certificateFiles' },
  'linux-unknown': {
    daemon: 'not-set',
    note: 'cannot tell whether or how this Nix starts a daemon',
  },
  'darwin-official-daemon': { daemon: 'not-set', note: 'org.nixos.nix-daemon.plist' },
  'darwin-lix': { daemon: 'not-set', note: 'org.nixos.nix-daemon.plist' },
  'darwin-nix-darwin': { daemon: 'not-set', note: 'nix-darwin writes the job from nix.envVars' },
  'darwin-determinate': { daemon: 'not-set', note: 'systems.determinate.nix-daemon' },
  'darwin-determinate-old-nix-text': {
    daemon: 'not-set',
    note: 'systems.determinate.nix-daemon',
  },
};

const ids = (plan: Plan) => plan.steps.map((s) => s.id);

describe('proxy and CA pass-through, per install method (recorded hosts)', () => {
  it('every recorded install method has an expectation', () => {
    const names = readdirSync(installFixtures).map((f) => f.replace(/\.json$/, ''));
    expect(names.sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const [name, want] of Object.entries(EXPECTED)) {
    it(`${name}: ssl-cert-file in nix.conf, daemon ${want.daemon}; the plan passes its validators`, async () => {
      const plan = planFor(hostWithInstall(name));
      expect(await validatePlan(plan)).toEqual([]);
      expect(ids(plan)[0]).toBe('ca-bundle');
      const ssl = plan.steps.find((s) => s.id === 'nix-conf-ssl-cert')!;
      expect(ssl.command).toEqual(['tee', '-a', '/home/ada/.config/nix/nix.conf']);
      expect(ssl.input).toBe(`ssl-cert-file = ${BUNDLE}\n`);
      const dropIn = plan.steps.find((s) => s.id === 'daemon-network');
      if (want.daemon === 'drop-in') {
        expect(dropIn?.command).toEqual([
          'sudo',
          'install',
          '-D',
          '-m',
          '0600',
          '/dev/stdin',
          DAEMON_DROP_IN,
        ]);
        // The daemon is given its environment after Nix is there, and restarted.
        const at = ids(plan).indexOf('daemon-network');
        expect(ids(plan).slice(at, at + 3)).toEqual([
          'daemon-network',
          'daemon-network-reload',
          'daemon-network-restart',
        ]);
        expect(ids(plan).lastIndexOf('install-nix')).toBeLessThan(at);
        expect(plan.network?.set).toContain(
          `nix-daemon: HTTPS_PROXY, NO_PROXY, NIX_SSL_CERT_FILE in ${DAEMON_DROP_IN}`,
        );
        expect(plan.network?.notes).toEqual([]);
      } else {
        expect(dropIn).toBeUndefined();
        expect(plan.network?.notes.join('\n')).toContain(want.note);
      }
      const installerLine =
        'Nix installer: HTTPS_PROXY, NO_PROXY, NIX_SSL_CERT_FILE in its environment';
      expect(plan.network?.set.includes(installerLine)).toBe(want.installer === true);
    });
  }

  it('a fresh Linux install: the installer gets the proxy and CA as environment, curl the bundle', () => {
    const plan = planFor(freshHost('linux'));
    const install = plan.steps.find((s) => s.id === 'install-nix')!;
    expect(install.command).toEqual([
      'sh',
      '/home/ada/.local/state/crossflake/nix-install.sh',
      '--daemon',
    ]);
    expect(install.env).toEqual({
      HTTPS_PROXY: PROXY,
      NO_PROXY: 'localhost,.corp.example',
      NIX_SSL_CERT_FILE: BUNDLE,
    });
    const download = plan.steps.find((s) => s.id === 'download-nix-installer')!;
    expect(download.command.slice(-3)).toEqual([
      '--cacert',
      BUNDLE,
      'https://nixos.org/nix/install',
    ]);
    expect(ids(plan)).toContain('daemon-network');
  });

  it('a fresh macOS install: the installer gets them; the daemon is left, and the plan says why', () => {
    const plan = planFor(freshHost('darwin'));
    expect(plan.steps.find((s) => s.id === 'install-nix')?.env?.NIX_SSL_CERT_FILE).toBe(BUNDLE);
    expect(ids(plan)).not.toContain('daemon-network');
    expect(plan.network?.notes.join('\n')).toContain('org.nixos.nix-daemon.plist');
  });

  it('a proxy without a company CA: no bundle, no ssl-cert-file, the daemon gets the proxy only', () => {
    const plan = planFor(hostWithInstall('linux-official-daemon'), networkFrom(ENV, null, BUNDLE));
    expect(ids(plan)).not.toContain('ca-bundle');
    expect(ids(plan)).not.toContain('nix-conf-ssl-cert');
    const text = plan.steps.find((s) => s.id === 'daemon-network')?.input ?? '';
    expect(text).not.toContain('NIX_SSL_CERT_FILE');
  });

  it('no proxy and no CA: the plan is the one without a network section', () => {
    expect(networkFrom({}, null, BUNDLE)).toBeNull();
    const plan = planFor(hostWithInstall('linux-official-daemon'), null);
    expect(plan.network).toBeUndefined();
    expect(ids(plan)).not.toContain('daemon-network');
  });
});

/** systemd's reading of one `Environment="..."` line (unquote, unescape, undo %%). */
function systemdValue(line: string): string {
  const m = /^Environment="((?:[^"\\]|\\.)*)"$/.exec(line);
  if (!m) throw new Error(`not a quoted Environment= line: ${line}`);
  return m[1]!.replace(/\\(.)/g, '$1').replace(/%%/g, '%');
}

describe('the systemd drop-in', () => {
  it('reads back to the exact values, with % and quotes escaped', () => {
    const odd = networkFrom({ https_proxy: 'http://u:p%40"x\\y@h:1' }, CA, BUNDLE)!;
    const text = dropInText(odd) as string;
    const lines = text.split('\n').filter((l) => l.startsWith('Environment='));
    expect(lines.map(systemdValue)).toEqual([
      'https_proxy=http://u:p%40"x\\y@h:1',
      `NIX_SSL_CERT_FILE=${BUNDLE}`,
    ]);
    expect(text).toContain('[Service]\n');
  });

  it('refuses a value with a line break (it would add directives to the unit)', () => {
    const plan = planFor(
      hostWithInstall('linux-official-daemon'),
      networkFrom({ HTTPS_PROXY: 'http://h:1\nExecStartPre=/bin/evil' }, null, BUNDLE),
    );
    expect(plan.problems.map((p) => p.message)).toContain(
      "HTTPS_PROXY contains a control character (a line break?), so it cannot go into the daemon's unit",
    );
    expect(ids(plan)).not.toContain('daemon-network');
  });
});

describe('what onboard shows', () => {
  it('says what it set and what it left, and never shows the proxy password', () => {
    const plan = planFor(hostWithInstall('linux-debian-nix-bin'));
    const text = redactProxies(renderPlan(plan, '/s.json', colors(false)), ENV);
    expect(text).toContain('Proxy and company CA handed to Nix:');
    expect(text).toContain(
      `set: nix-daemon: HTTPS_PROXY, NO_PROXY, NIX_SSL_CERT_FILE in ${DAEMON_DROP_IN}`,
    );
    expect(text).toContain('env:  HTTPS_PROXY=http://***@proxy.corp.example:3128');
    const json = redactProxies(JSON.stringify(plan), ENV);
    for (const shown of [text, json]) {
      expect(shown).not.toContain('s3cr');
      expect(shown).not.toContain('ada:');
    }
    // The program still gets the real value.
    expect(plan.steps.find((s) => s.id === 'install-nix')?.env?.HTTPS_PROXY).toBe(PROXY);
  });

  it('the runner runs a step with its environment added (the real env program)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cf-env-'));
    try {
      const step = {
        id: 'install-nix',
        what: 'print the environment',
        why: 'test',
        command: ['env'],
        env: { NIX_SSL_CERT_FILE: BUNDLE },
        doneWhen: { kind: 'state' as const },
      };
      const seen: string[] = [];
      const live = liveContext(captureIo(dir, { PATH: process.env.PATH }), colors(false));
      const result = await runPlan(
        { flow: 'linux', row: null, summary: 's', problems: [], steps: [step], afterwards: [] },
        join(dir, 'state.json'),
        {
          ...live,
          exec: async (command, options) => {
            const res = await live.exec(command, { ...options, capture: true });
            seen.push(res.stdout.toString('utf8'));
            return res;
          },
        },
      );
      expect(result.ok).toBe(true);
      expect(seen[0]?.split('\n')).toContain(`NIX_SSL_CERT_FILE=${BUNDLE}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the CA bundle step writes the usual roots plus the company CA (real openssl CA)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cf-bundle-'));
    try {
      const ca = makeTestCa(dir);
      const bundle = join(dir, 'out', 'bundle.pem');
      const plan = planFor(
        hostWithInstall('linux-official-daemon'),
        networkFrom({}, ca.caFile, bundle),
      );
      const step = plan.steps.find((s) => s.id === 'ca-bundle')!;
      await liveContext(captureIo(dir), colors(false)).internal(step.internal!, step);
      const written = readFileSync(bundle, 'utf8');
      expect(written).toContain(readFileSync(ca.caFile, 'utf8').trim());
      expect(written.split('-----BEGIN CERTIFICATE-----').length - 1).toBe(
        rootCertificates.length + 1,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the hardware description (stdoutTo) is written only inside the configuration', () => {
  it('a symbolic link out of the configuration directory is refused, nothing written outside', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cf-hw-'));
    try {
      const config = join(dir, 'nix-config');
      const outside = join(dir, 'outside');
      mkdirSync(join(config, 'hosts'), { recursive: true });
      mkdirSync(outside);
      // hosts/ada-box points out of the configuration.
      symlinkSync(outside, join(config, 'hosts', 'ada-box'));
      const plan = planUnix(
        { ...recordedFacts('linux-x86_64'), user: { name: 'ada', home: dir, hostname: 'x' } },
        {
          flow: 'linux',
          homeOnly: false,
          dir: config,
          user: 'ada',
          host: 'ada-box',
          from: null,
          installerPath: join(dir, 'i.sh'),
        },
      );
      const hw = plan.steps.find((s) => s.id === 'hardware-config')!;
      expect(hw.stdoutWithin).toBe(config);
      const live = liveContext(captureIo(dir), colors(false));
      const result = await runPlan({ ...plan, steps: [hw] }, join(dir, 'state.json'), {
        ...live,
        // nixos-generate-config is not on this machine: its recorded kind of output.
        exec: async () => ({
          code: 0,
          stdout: Buffer.from('{ ... }: { boot.initrd.availableKernelModules = [ ]; }\n'),
          stderr: Buffer.alloc(0),
        }),
      });
      expect(result.ok).toBe(false);
      expect(result.failed?.message).toMatch(/symbolic link/);
      expect(readdirSync(outside)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
