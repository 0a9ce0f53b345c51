// Every onboard plan for every recorded host is checked end to end: the
// validators of the later commands accept every step, the planned
// `crossflake init` and `crossflake images fetch` steps really succeed when
// the built CLI runs them, and the three reproduced plan bugs stay fixed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HostFacts } from '../../src/io/host/facts.js';
import { prepareUnix, prepareWsl } from '../../src/onboard/prepare.js';
import type { Plan } from '../../src/onboard/step.js';
import { validatePlan } from '../../src/onboard/validate-plan.js';
import { captureIo } from '../helpers/capture-io.js';
import { hostFixtures, recordedFacts } from '../helpers/facts.js';

const bin = join(process.cwd(), 'bin/crossflake.js');
const image = 'company-nixos-wsl-x86_64-linux-2026.11.wsl';
const bytes = Buffer.from('a NixOS-WSL image, as far as this test knows');
const sha = createHash('sha256').update(bytes).digest('hex');
const SHARED_FLAKE = 'path:/srv/shared-flake';
let dir: string;
let env: NodeJS.ProcessEnv;

const hosts = readdirSync(`${hostFixtures}/facts`)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -5));
const flowsOf = (facts: HostFacts): ('wsl' | 'macos' | 'linux')[] =>
  facts.os.kernel === 'windows' ? ['wsl'] : facts.os.kernel === 'darwin' ? ['macos'] : ['linux'];

/** Runs a plan's `crossflake ...` command with the built CLI, as the live runner does. */
function runCrossflake(command: string[], cwd: string) {
  expect(command[0]).toBe('crossflake');
  return spawnSync(process.execPath, [bin, ...command.slice(1)], { cwd, env, encoding: 'utf8' });
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'crossflake-plans-'));
  mkdirSync(join(dir, 'release'));
  writeFileSync(join(dir, 'release', image), bytes);
  writeFileSync(join(dir, 'release', 'SHA256SUMS'), `${sha}  ${image}\n`);
  mkdirSync(join(dir, 'lone'));
  writeFileSync(join(dir, 'lone', image), bytes);
  env = {
    PATH: process.env.PATH,
    HOME: join(dir, 'home'),
    XDG_STATE_HOME: join(dir, 'state'),
    NO_COLOR: '1',
    GIT_AUTHOR_NAME: 'Ada',
    GIT_AUTHOR_EMAIL: 'ada@example.org',
    GIT_COMMITTER_NAME: 'Ada',
    GIT_COMMITTER_EMAIL: 'ada@example.org',
  };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function planFor(name: string, flow: 'wsl' | 'macos' | 'linux', extra = {}): Promise<Plan> {
  const facts = recordedFacts(name);
  const io = captureIo(dir, { ...env, LOCALAPPDATA: join(dir, 'appdata') });
  const state = join(dir, 'states', `${name}-${flow}.json`);
  if (flow === 'wsl') {
    const opts = { image: join(dir, 'release'), 'dry-run': true, state, user: 'ada', ...extra };
    return (await prepareWsl(opts, facts, io, new Date('2026-12-07T12:00:00Z'))).plan;
  }
  // The templates' sharedFlake has no default: a plan names the flake to
  // build on (a local path here).
  const opts = {
    to: join(dir, 'cfg', `${name}-${flow}`),
    'dry-run': true,
    state,
    flake: SHARED_FLAKE,
    ...extra,
  };
  return (await prepareUnix(flow, opts, facts, io)).plan;
}

describe('every onboard plan for every recorded host passes the later commands’ validators', () => {
  for (const name of hosts) {
    for (const flow of flowsOf(recordedFacts(name))) {
      it(`${flow} × ${name}`, async () => {
        const plan = await planFor(name, flow);
        expect(await validatePlan(plan)).toEqual([]);
        // Problems come from the host (no WSL, no row), never from a refused step.
        for (const p of plan.problems) expect(p.message).not.toContain('would be refused');
        if (plan.problems.length === 0) expect(plan.steps.length).toBeGreaterThan(2);
      });
    }
  }
});

describe('a plan without a flake to build on', () => {
  it('is refused up front, naming sharedFlake and --flake, before any step runs', async () => {
    const plan = await planFor('linux-x86_64', 'linux', { flake: undefined });
    const problems = await validatePlan(plan);
    expect(problems.map((p) => p.message).join('\n')).toMatch(
      /'sharedFlake' \(.*\) has no default: give --flake <flake-ref>/,
    );
  });
});

describe('the planned crossflake commands succeed when run (built CLI)', () => {
  // One host per template and system (running init costs seconds each).
  const unixHosts = [
    'linux-x86_64',
    'linux-aarch64',
    'wsl2-x86_64',
    'darwin-aarch64',
    'darwin-x86_64',
    'broken-old-nix-debian',
  ];
  for (const name of unixHosts) {
    const [flow] = flowsOf(recordedFacts(name));
    it(`${flow} × ${name}: init-config writes and commits the configuration`, async () => {
      const plan = await planFor(name, flow!);
      const init = plan.steps.find((s) => s.id === 'init-config')!;
      const res = runCrossflake(init.command, dir);
      expect(res.stderr).toBe('');
      expect(res.status).toBe(0);
      expect(existsSync(join(init.command[3]!, 'flake.nix'))).toBe(true);
      const head = spawnSync('git', ['-C', init.command[3]!, 'rev-parse', '--verify', 'HEAD'], {
        env,
      });
      expect(head.status).toBe(0);
    }, 60_000);
  }

  it('wsl: the fetch step, run as shown, verifies and copies the image', async () => {
    const plan = await planFor('windows-native', 'wsl');
    const fetch = plan.steps.find((s) => s.id === 'fetch-image')!;
    const to = fetch.command.indexOf('--to');
    const command = [...fetch.command];
    command[to + 1] = join(dir, 'fetched'); // the Windows path, on this Linux test machine
    const res = runCrossflake(command, dir);
    expect(res.status).toBe(0);
    expect(res.stdout).toContain('matches SHA256SUMS');
  });
});

describe('the three reproduced plan bugs', () => {
  it('Nix present but older than 2.18 is not "already done": Debian nix-bin is replaced', async () => {
    const plan = await planFor('broken-old-nix-debian', 'linux');
    const ids = plan.steps.map((s) => s.id);
    expect(ids.slice(0, 3)).toEqual(['remove-distro-nix', 'download-nix-installer', 'install-nix']);
    expect(plan.steps[0]!.command).toEqual(['sudo', 'apt-get', 'remove', '--yes', 'nix-bin']);
    for (const s of plan.steps.slice(0, 3)) expect(s.doneWhen.kind).not.toBe('known');
    expect(plan.steps[0]!.why).toContain('Nix 2.8.0 is older than 2.18');
  });

  it('the built CLI prints that plan without "already done" for Nix', () => {
    const res = spawnSync(
      process.execPath,
      [
        bin,
        'onboard',
        'linux',
        '--dry-run',
        '--facts',
        `${hostFixtures}/facts/broken-old-nix-debian.json`,
        '--flake',
        SHARED_FLAKE,
      ],
      { encoding: 'utf8', env: { ...env }, cwd: process.cwd() },
    );
    expect(res.status).toBe(0);
    expect(res.stdout).toContain('1. Remove debian package nix-bin');
    expect(res.stdout).not.toMatch(/Install Nix.*already done/);
  });

  it('a plan never carries `-p username=root`, which init refuses: it is a blocker with the fix', async () => {
    const root = recordedFacts('wsl2-x86_64');
    root.user = { ...root.user, name: 'root' };
    const file = join(dir, 'root-facts.json');
    writeFileSync(file, JSON.stringify(root));
    const onboard = (...extra: string[]) =>
      spawnSync(
        process.execPath,
        [
          bin,
          'onboard',
          'linux',
          '--home-only',
          '--dry-run',
          '--facts',
          file,
          '--to',
          join(dir, 'r'),
          '--flake',
          SHARED_FLAKE,
          ...extra,
        ],
        { encoding: 'utf8', env, cwd: dir },
      );
    const res = onboard();
    expect(res.status).toBe(1);
    expect(res.stdout).toContain(
      "step 'init-config' would be refused: parameter 'username' must not be \"root\"",
    );
    expect(res.stdout).toContain('fix: Pass --user <your login name> (not root)');
    const fixed = onboard('--user', 'ada');
    expect(fixed.status).toBe(0);
    expect(fixed.stdout).toContain('username=ada');
  });

  it('wsl with --config and the user root: the names written into the image are refused up front', async () => {
    const facts = recordedFacts('windows-native');
    const io = captureIo(dir, { ...env, LOCALAPPDATA: join(dir, 'appdata') });
    const opts = {
      image: join(dir, 'release'),
      'dry-run': true,
      state: join(dir, 'states', 'root-wsl.json'),
      user: 'root',
      config: 'https://github.com/acme/ada-config',
    };
    const { plan } = await prepareWsl(opts, { ...facts }, io, new Date());
    expect(plan.problems.map((p) => p.message).join('\n')).toContain(
      'parameter \'username\' must not be "root"',
    );
  });

  it('a lone .wsl file without SHA256SUMS needs --sha256 or --insecure-skip-verify at plan time', async () => {
    const lone = join(dir, 'lone', image);
    const cli = (...args: string[]) =>
      spawnSync(
        process.execPath,
        [
          bin,
          'onboard',
          'wsl',
          '--dry-run',
          '--facts',
          join(process.cwd(), hostFixtures, 'facts', 'windows-native.json'),
          '--image',
          lone,
          ...args,
        ],
        { encoding: 'utf8', env: { ...env, LOCALAPPDATA: join(dir, 'appdata') }, cwd: dir },
      );
    const refused = cli();
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('pass --sha256 <hex>');
    expect(refused.stdout).toBe('');
    expect(cli('--sha256', 'abc').status).toBe(2);
    const given = cli('--sha256', sha);
    expect(given.status).toBe(0);
    expect(given.stdout).toContain(`--sha256 ${sha}`);
    expect(cli('--insecure-skip-verify').stdout).toContain('without verifying it');
  });

  it('the fetch step of a lone file, run as shown with --sha256, verifies it; a wrong hash is refused', async () => {
    const lone = join(dir, 'lone', image);
    const facts = recordedFacts('windows-native');
    const io = captureIo(dir, { ...env, LOCALAPPDATA: join(dir, 'appdata') });
    const opts = {
      image: lone,
      sha256: sha,
      'dry-run': true,
      state: join(dir, 'states', 'lone.json'),
    };
    const { plan } = await prepareWsl(opts, facts, io, new Date());
    expect(await validatePlan(plan)).toEqual([]);
    const command = [...plan.steps[0]!.command];
    command[command.indexOf('--to') + 1] = join(dir, 'fetched-lone');
    const ok = runCrossflake(command, dir);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('matches SHA256SUMS');
    command[command.indexOf('--sha256') + 1] = '0'.repeat(64);
    command[command.indexOf('--to') + 1] = join(dir, 'fetched-wrong');
    const wrong = runCrossflake(command, dir);
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toContain('SHA-256 mismatch');
  });
});
