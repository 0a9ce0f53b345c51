// onboard wsl as a real win32 process under Wine, against a stand-in wsl.exe:
// the plan per WSL release, a real run (download from a loopback server,
// verify, import, first-boot steps, Terminal fragment, state file), a run
// killed in the middle and resumed, and --replace with its backup.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serveRelease, type ReleaseServer } from '../helpers/release-server.js';
import {
  cDrive,
  checkLane,
  LOCAL_APP_DATA,
  laneWork,
  makeStub,
  registeredDistros,
  runWindows,
  startWindows,
  winPath,
  wslDirect,
  type Scenario,
  type Stub,
} from './lane.js';

const IMAGE = 'nixos-wsl-x86_64-linux-1.0.0.wsl';
const IMAGE_BYTES = Buffer.from('a tarball standing in for the NixOS-WSL image\n');
const HOME = `${LOCAL_APP_DATA}\\crossflake`;
const IMAGE_PATH = `${HOME}\\images\\${IMAGE}`;
const LOCATION = `${HOME}\\wsl\\NixOS`;
const STATE = `${HOME}\\onboard\\wsl-NixOS.json`;
const CONFIG = 'https://example.invalid/team/config.git';

const work = laneWork();
let server: ReleaseServer;
beforeAll(async () => {
  checkLane();
  const release = join(work, 'release');
  mkdirSync(release);
  writeFileSync(join(release, IMAGE), IMAGE_BYTES);
  const sum = createHash('sha256').update(IMAGE_BYTES).digest('hex');
  writeFileSync(join(release, 'SHA256SUMS'), `${sum}  ${IMAGE}\n`);
  server = await serveRelease(release);
});
afterAll(async () => {
  await server.close();
  rmSync(work, { recursive: true, force: true });
});

/** A clean profile: no state, image, distro disk or fragment from an earlier test. */
function freshProfile(): void {
  rmSync(cDrive(HOME), { recursive: true, force: true });
  rmSync(cDrive(`${LOCAL_APP_DATA}\\Microsoft`), { recursive: true, force: true });
}

const args = (...extra: string[]) => [
  'onboard',
  'wsl',
  '--image',
  server.url,
  '--config',
  CONFIG,
  '--user',
  'alice',
  '--host',
  'box',
  ...extra,
];

/** The import as NixOS-WSL's documentation gives it for each WSL release. */
function importCall(scenario: Scenario): string[] {
  return scenario === '2.4.13'
    ? [
        '--install',
        '--from-file',
        IMAGE_PATH,
        '--name',
        'NixOS',
        '--location',
        LOCATION,
        '--no-launch',
      ]
    : ['--import', 'NixOS', LOCATION, IMAGE_PATH, '--version', '2'];
}

const inDistro = (...command: string[]) => [
  '-d',
  'NixOS',
  '-u',
  'root',
  '--exec',
  '/run/current-system/sw/bin/env',
  'PATH=/run/wrappers/bin:/run/current-system/sw/bin',
  ...command,
];

/** What onboard changes, in order: the calls that are not doctor's probes or done-when tests. */
function actions(stub: Stub): string[][] {
  const probes = new Set(['--version', '--status', '--list']);
  const tests = new Set(['test', 'id', 'grep']);
  return stub
    .calls()
    .filter((c) => !probes.has(c[0] as string))
    .filter((c) => !(c[0] === '-d' && (tests.has(c[7] as string) || c.includes('ls-files'))));
}

describe('onboard wsl --dry-run as a Windows process', () => {
  for (const scenario of ['2.4.13', '2.3.26', 'inbox'] as Scenario[]) {
    it(`WSL ${scenario}: plans the import NixOS-WSL documents for it and changes nothing`, async () => {
      freshProfile();
      const stub = makeStub(scenario, join(work, `dry-${scenario}`));
      const res = await runWindows([...args('--dry-run', '--json')], { stub });
      expect(res.code, res.stderr).toBe(0);
      const out = JSON.parse(res.stdout) as {
        plan: { steps: { id: string; command: string[] }[] };
      };
      const step = out.plan.steps.find((s) => s.id === 'import');
      expect(step?.command).toEqual(['wsl', ...importCall(scenario)]);
      expect(actions(stub)).toEqual([]);
      expect(stub.distros()).toEqual([]);
      expect(existsSync(cDrive(STATE))).toBe(false);
    });
  }

  it("shows each command in the shell's own quoting: PowerShell by default, cmd with --shell cmd", async () => {
    freshProfile();
    const stub = makeStub('2.4.13', join(work, 'dry-shells'));
    const importLine = (out: string) =>
      out
        .split('\n')
        .find((l) => l.trim().startsWith('run:  wsl --install'))
        ?.trim();
    const byDefault = await runWindows([...args('--dry-run')], { stub });
    const powershell = await runWindows([...args('--dry-run', '--shell', 'powershell')], { stub });
    const cmd = await runWindows([...args('--dry-run', '--shell', 'cmd')], { stub });
    expect(byDefault.stdout).toBe(powershell.stdout);
    // PowerShell: single quotes are literal (no $ expansion); cmd: double quotes.
    expect(importLine(powershell.stdout)).toBe(
      `run:  wsl --install --from-file '${IMAGE_PATH}' --name NixOS --location '${LOCATION}' --no-launch`,
    );
    expect(importLine(cmd.stdout)).toBe(
      `run:  wsl --install --from-file "${IMAGE_PATH}" --name NixOS --location "${LOCATION}" --no-launch`,
    );
  });

  it('no WSL: the plan names the problem and its fix, exit 1', async () => {
    const stub = makeStub('absent', join(work, 'dry-absent'));
    const res = await runWindows([...args('--dry-run')], { stub });
    expect(res.stdout + res.stderr).toMatch(/WSL is not installed/);
    expect(res.stdout + res.stderr).toMatch(/wsl --install --no-distribution/);
    expect(res.code).toBe(1);
    expect(stub.calls()).toEqual([]);
  });
});

function firstBoot(): string[][] {
  const flake = '/etc/crossflake/flake.nix';
  return [
    inDistro(
      'nix',
      '--extra-experimental-features',
      'nix-command flakes',
      'shell',
      'nixpkgs#git',
      '--command',
      'git',
      'clone',
      CONFIG,
      '/etc/crossflake',
    ),
    inDistro(
      'sed',
      '-i',
      '-E',
      '-e',
      's/^([[:space:]]*username[[:space:]]*=[[:space:]]*)"[^"]*";/\\1"alice";/',
      '-e',
      's/^([[:space:]]*hostname[[:space:]]*=[[:space:]]*)"[^"]*";/\\1"box";/',
      flake,
    ),
    inDistro('nixos-rebuild', 'boot', '--flake', '/etc/crossflake#box'),
    ['--terminate', 'NixOS'],
    // The restart's done-when test started the distro, which activated the
    // new system: the first-start step is then already done.
    inDistro('nixos-rebuild', 'switch', '--flake', '/etc/crossflake#box'),
  ];
}

function fragments(): string[] {
  const dir = cDrive(`${LOCAL_APP_DATA}\\Microsoft\\Windows Terminal\\Fragments\\crossflake`);
  return existsSync(dir) ? readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8')) : [];
}

describe('onboard wsl as a Windows process: a real run', () => {
  for (const scenario of ['2.4.13', '2.3.26', 'inbox'] as Scenario[]) {
    it(`WSL ${scenario}: downloads, verifies, imports, runs the first boot, writes the Terminal fragment`, async () => {
      freshProfile();
      const stub = makeStub(scenario, join(work, `run-${scenario}`));
      const res = await runWindows(args('--yes'), { stub });
      expect(res.code, res.stdout + res.stderr).toBe(0);
      expect(readFileSync(cDrive(IMAGE_PATH))).toEqual(IMAGE_BYTES);
      expect(actions(stub)).toEqual([importCall(scenario), ...firstBoot()]);
      expect(stub.distros()).toEqual(['NixOS']);
      expect(readFileSync(cDrive(`${LOCATION}\\ext4.vhdx`))).toEqual(IMAGE_BYTES);
      // The fragment is tied to the GUID WSL registered (read back from Wine's registry).
      const guid = (await registeredDistros()).get('NixOS');
      expect(guid).toMatch(/^\{[0-9a-f-]{36}\}$/);
      const [fragment] = fragments();
      const parsed = JSON.parse(fragment as string) as { crossflake: object; profiles: object[] };
      expect(parsed.crossflake).toMatchObject({ distro: 'NixOS', distroGuid: guid });
      expect(parsed.profiles).toContainEqual(
        expect.objectContaining({
          name: 'NixOS',
          commandline: expect.stringMatching(/wsl\.exe -d NixOS\b/),
        }),
      );
      const state = JSON.parse(readFileSync(cDrive(STATE), 'utf8')) as {
        completedAt: string | null;
      };
      expect(state.completedAt).not.toBeNull();
    });
  }

  it('killed in the middle (inside nixos-rebuild), then re-run: continues where it stopped', async () => {
    freshProfile();
    const stub = makeStub('2.4.13', join(work, 'kill'));
    stub.hangOn('nixos-rebuild');
    const first = startWindows(args('--yes'), { stub });
    // Kill once the stand-in is inside the rebuild: by what it logged, not by a timer.
    const deadline = Date.now() + 300_000;
    while (!stub.calls().some((c) => c.includes('nixos-rebuild'))) {
      if (Date.now() > deadline) throw new Error('onboard never reached the rebuild');
      await new Promise((r) => setTimeout(r, 200));
    }
    first.kill();
    await first.done;
    const before = actions(stub).length;
    stub.hangOn(null);
    const again = await runWindows(args('--yes'), { stub });
    expect(again.code, again.stdout + again.stderr).toBe(0);
    const resumed = actions(stub).slice(before);
    // Nothing before the rebuild is done twice: no second download or import.
    expect(resumed).toEqual(firstBoot().slice(2));
    expect(stub.distros()).toEqual(['NixOS']);
  });

  it('--replace: exports a backup of the existing distro, unregisters it, imports the new image', async () => {
    freshProfile();
    const stub = makeStub('2.4.13', join(work, 'replace'));
    const old = join(work, 'old.tar');
    writeFileSync(old, 'the old distro\n');
    // A distro NixOS that onboard did not make, imported with wsl.exe itself.
    expect(
      wslDirect(stub, ['--import', 'NixOS', `${LOCAL_APP_DATA}\\old-distro`, winPath(old)]),
    ).toBe(0);

    const refused = await runWindows(args('--yes'), { stub });
    // Seen once under heavy load: a non-zero exit with nothing written. The
    // exit code and the stand-in's calls say whether Node ran at all.
    const seen = `exit ${refused.code}; wsl.exe calls: ${JSON.stringify(stub.calls())}`;
    expect(refused.code, seen).not.toBe(0);
    expect(refused.stdout + refused.stderr, seen).toMatch(/already exists.*--replace/s);

    const res = await runWindows(args('--yes', '--replace'), { stub });
    expect(res.code, res.stdout + res.stderr).toBe(0);
    const done = actions(stub);
    const exportCall = done.find((c) => c[0] === '--export') as string[];
    expect(exportCall.slice(0, 2)).toEqual(['--export', 'NixOS']);
    expect(exportCall[2]).toMatch(
      /^C:\\users\\Jürgen Müller\\AppData\\Local\\crossflake\\backups\\NixOS-\d{8}-\d{6}\.tar$/,
    );
    expect(readFileSync(cDrive(exportCall[2] as string), 'utf8')).toBe('the old distro\n');
    expect(done.slice(done.indexOf(exportCall) + 1, done.indexOf(exportCall) + 3)).toEqual([
      ['--unregister', 'NixOS'],
      importCall('2.4.13'),
    ]);
    expect(readFileSync(cDrive(`${LOCATION}\\ext4.vhdx`))).toEqual(IMAGE_BYTES);
  });
});
