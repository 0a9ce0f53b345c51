import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { windowsFactsFromOutputs } from '../../src/io/host/windows.js';
import { decodeWslOutput } from '../../src/io/host/wsl-exe.js';
import { execute } from '../../src/onboard/command.js';
import { planWsl, usesInstallFromFile, type WslPlanOptions } from '../../src/onboard/plan-wsl.js';
import { prepareWsl } from '../../src/onboard/prepare.js';
import { runPlan } from '../../src/onboard/runner.js';
import { readState } from '../../src/onboard/state.js';
import { explainWslError } from '../../src/onboard/wsl-errors.js';
import { recordedFacts, recordedRaw } from '../helpers/facts.js';
import { captureIo } from '../helpers/capture-io.js';
import { FakeWsl, recordedExists } from './fake-wsl.js';

const image = 'company-nixos-wsl-x86_64-linux-2026.11.wsl';
const base: WslPlanOptions = {
  source: 'https://example.org/releases/v2026.11/',
  imageFile: image,
  imageDir: 'C:\\Users\\ada\\AppData\\Local\\crossflake\\images',
  name: 'NixOS',
  location: 'C:\\Users\\ada\\AppData\\Local\\crossflake\\wsl\\NixOS',
  backupDir: 'C:\\Users\\ada\\AppData\\Local\\crossflake\\backups',
  backupStamp: '20261127-100000',
  replace: false,
  insecure: false,
  sha256: null,
  listed: true,
  config: 'https://github.com/acme/ada-config',
  user: 'ada',
  host: 'ada-laptop',
  importedByUs: false,
};
const file = `${base.imageDir}\\${image}`;
const stepOf = (plan: ReturnType<typeof planWsl>, id: string) =>
  plan.steps.find((s) => s.id === id);

function factsFrom(version: Buffer | null, list: Buffer | null) {
  return {
    ...recordedFacts('windows-native'),
    windows: windowsFactsFromOutputs({
      version,
      status: recordedRaw('wsl-status-default2.utf16le'),
      list,
      hypervisorPresent: 'True',
    }),
  };
}

describe('WSL plan from recorded wsl.exe outputs', () => {
  it('WSL 2.4.13 (recorded --version): wsl --install --from-file with --name and --location', () => {
    const facts = factsFrom(
      recordedRaw('wsl-version-2.4.13.utf16le'),
      recordedRaw('wsl-list-empty.utf16le'),
    );
    expect(facts.windows.wslVersion).toBe('2.4.13.0');
    const plan = planWsl(facts, base);
    expect(plan.problems).toEqual([]);
    expect(stepOf(plan, 'import')?.command).toEqual([
      'wsl',
      '--install',
      '--from-file',
      file,
      '--name',
      'NixOS',
      '--location',
      base.location,
      '--no-launch',
    ]);
    expect(plan.steps.map((s) => s.id)).toEqual([
      'fetch-image',
      'import',
      'clone-config',
      'set-user',
      'rebuild',
      'restart',
      'first-start',
      'switch',
      'terminal-profile',
      'terminal-orphans',
    ]);
  });

  it('runs programs inside the distro with --exec (no shell) and NixOS PATH', () => {
    const facts = factsFrom(recordedRaw('wsl-version-2.4.13.utf16le'), null);
    const plan = planWsl(facts, base);
    const inside = [
      'wsl',
      '-d',
      'NixOS',
      '-u',
      'root',
      '--exec',
      '/run/current-system/sw/bin/env',
      'PATH=/run/wrappers/bin:/run/current-system/sw/bin',
    ];
    expect(stepOf(plan, 'clone-config')?.command).toEqual([
      ...inside,
      'nix',
      '--extra-experimental-features',
      'nix-command flakes',
      'shell',
      'nixpkgs#git',
      '--command',
      'git',
      'clone',
      'https://github.com/acme/ada-config',
      '/etc/crossflake',
    ]);
    expect(stepOf(plan, 'switch')?.command).toEqual([
      ...inside,
      'nixos-rebuild',
      'switch',
      '--flake',
      '/etc/crossflake#ada-laptop',
    ]);
    for (const step of plan.steps) expect(step.command).not.toContain('--');
  });

  it('WSL 2.3.26 and 0.68.4 (recorded, before 2.4.4): wsl --import <Name> <Dir> <file> --version 2', () => {
    for (const version of [
      readFileSync('test/fixtures/onboard/wsl-version-2.3.26.utf16le'),
      recordedRaw('wsl-version-0.68.4.utf16le'),
    ]) {
      const facts = factsFrom(version, null);
      expect(usesInstallFromFile(facts.windows.wslVersion)).toBe(false);
      expect(stepOf(planWsl(facts, base), 'import')?.command).toEqual([
        'wsl',
        '--import',
        'NixOS',
        base.location,
        file,
        '--version',
        '2',
      ]);
    }
  });

  it('a default version of 1 (recorded --status) asks --install for version 2', () => {
    const facts = {
      ...recordedFacts('windows-native'),
      windows: windowsFactsFromOutputs({
        version: recordedRaw('wsl-version-2.4.13.utf16le'),
        status: recordedRaw('wsl-status-default1.utf16le'),
        list: null,
        hypervisorPresent: 'True',
      }),
    };
    expect(facts.windows.defaultVersion).toBe(1);
    expect(stepOf(planWsl(facts, base), 'import')?.command.slice(-3)).toEqual([
      '--no-launch',
      '--version',
      '2',
    ]);
  });

  it('the inbox WSL without --version imports the old way', () => {
    const facts = factsFrom(null, null);
    expect(stepOf(planWsl(facts, base), 'import')?.command[1]).toBe('--import');
  });

  it('an existing distro (recorded -l -v) is refused without --replace', () => {
    const facts = factsFrom(
      recordedRaw('wsl-version-2.4.13.utf16le'),
      recordedRaw('wsl-list-verbose.utf16le'),
    );
    const plan = planWsl(facts, base);
    expect(plan.problems.map((p) => p.message)).toEqual([
      'a WSL distro named NixOS already exists',
    ]);
  });

  it('--replace exports a backup first, then unregisters, then imports', () => {
    const facts = factsFrom(
      recordedRaw('wsl-version-2.4.13.utf16le'),
      recordedRaw('wsl-list-verbose.utf16le'),
    );
    const plan = planWsl(facts, { ...base, replace: true });
    expect(plan.problems).toEqual([]);
    const backup = `${base.backupDir}\\NixOS-20261127-100000.tar`;
    expect(plan.steps.slice(1, 5).map((s) => s.command)).toEqual([
      ['mkdir', base.backupDir],
      ['wsl', '--export', 'NixOS', backup],
      ['wsl', '--unregister', 'NixOS'],
      [
        'wsl',
        '--install',
        '--from-file',
        file,
        '--name',
        'NixOS',
        '--location',
        base.location,
        '--no-launch',
      ],
    ]);
  });

  it('no WSL or no hypervisor is a blocker with the fix', () => {
    const facts = recordedFacts('broken-windows-no-wsl');
    const plan = planWsl(facts, base);
    expect(plan.problems[0]?.fix).toContain('wsl --install --no-distribution');
  });

  it('explains the recorded "already exists" error from its UTF-16LE bytes', () => {
    const text = decodeWslOutput(recordedExists);
    expect(text).toContain('A distribution with the supplied name already exists.');
    expect(explainWslError(text, 'NixOS')).toMatch(/named NixOS already exists.*--replace/);
  });
});

describe('running the WSL plan against recorded wsl.exe behaviour', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'crossflake-onboard-wsl-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a name clash at import reports the recorded error in words and keeps the finished steps', async () => {
    const fake = new FakeWsl();
    const plan = planWsl(fake.facts(), base);
    // The distro appears after planning but is not listed by the done-check
    // (wsl.exe raced us): the import itself answers with the recorded error.
    const exec = fake.exec.bind(fake);
    fake.exec = (argv) =>
      argv[1] === '--install'
        ? { code: 1, stdout: recordedExists, stderr: Buffer.alloc(0) }
        : exec(argv);
    const result = await runPlan(plan, join(dir, 'state.json'), fake.context());
    expect(result.failed?.step).toBe('import');
    expect(result.failed?.message).toMatch(
      /a WSL distro named NixOS already exists: pick another --name, or pass --replace/,
    );
    const state = await readState(join(dir, 'state.json'));
    expect(Object.keys(state?.steps ?? {})).toEqual(['fetch-image']);
  });

  for (const replace of [false, true]) {
    const ids = replace
      ? [
          'fetch-image',
          'backup-dir',
          'backup',
          'unregister',
          'import',
          'clone-config',
          'set-user',
          'rebuild',
          'restart',
          'first-start',
          'switch',
          'terminal-profile',
          'terminal-orphans',
        ]
      : [
          'fetch-image',
          'import',
          'clone-config',
          'set-user',
          'rebuild',
          'restart',
          'first-start',
          'switch',
          'terminal-profile',
          'terminal-orphans',
        ];
    for (const [i, failing] of ids.entries()) {
      it(`${replace ? '--replace: ' : ''}a re-run after a failure at '${failing}' continues there`, async () => {
        const fake = new FakeWsl();
        if (replace) fake.addDistro('NixOS', 'someone');
        const statePath = join(dir, 'state.json');
        const options = { ...base, replace };
        const plan1 = planWsl(fake.facts(), options);
        expect(plan1.steps.map((s) => s.id)).toEqual(ids);
        const step = plan1.steps[i]!;
        fake.failNext = step.internal ? step.internal.name : step.command;
        const first = await runPlan(plan1, statePath, fake.context());
        expect(first.failed?.step).toBe(failing);
        const recorded = Object.keys((await readState(statePath))?.steps ?? {});
        expect(recorded).toEqual(ids.slice(0, i));

        // Second run: fresh facts from wsl.exe, the state file from the first run.
        const state = (await readState(statePath))!;
        const plan2 = planWsl(fake.facts(), {
          ...options,
          importedByUs: state.steps.import !== undefined,
        });
        expect(plan2.problems).toEqual([]);
        fake.calls = [];
        const second = await runPlan(plan2, statePath, fake.context(), state);
        expect(second.failed).toBeNull();
        expect(second.ran[0]).toBe(failing);
        for (const done of ids.slice(0, i)) expect(second.ran).not.toContain(done);
        const d = fake.distros.get('NixOS');
        expect(d?.users.has('ada')).toBe(true);
        expect(d?.files.get('/etc/crossflake/flake.nix')).toContain('username = "ada";');
        if (replace)
          expect([...fake.hostFiles].sort()).toEqual(
            [base.backupDir, `${base.backupDir}\\NixOS-20261127-100000.tar`].sort(),
          );
        expect((await readState(statePath))?.completedAt).not.toBeNull();
      });
    }
  }
});

describe('onboard wsl through the command (prepare + execute)', () => {
  let dir: string;
  let release: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'crossflake-onboard-cmd-'));
    release = join(dir, 'release');
    rmSync(release, { force: true, recursive: true });
    mkdirSync(release);
    const bytes = Buffer.from('not really a NixOS image');
    writeFileSync(join(release, image), bytes);
    writeFileSync(
      join(release, 'SHA256SUMS'),
      `${createHash('sha256').update(bytes).digest('hex')}  ${image}\n`,
    );
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('stops at a failed step and says how to continue; the same command then finishes', async () => {
    const fake = new FakeWsl();
    const env = { LOCALAPPDATA: 'C:\\Users\\ada\\AppData\\Local', NO_COLOR: '1' };
    const opts = { image: release, user: 'ada', state: join(dir, 's.json'), yes: true };
    const io = captureIo(dir, env);
    const prepared = await prepareWsl(opts, fake.facts(), io, new Date());
    fake.failNext = prepared.plan.steps.find((s) => s.id === 'import')!.command;
    expect(await execute(prepared, opts, io, () => fake.context())).toBe(1);
    expect(io.out()).toContain("Stopped at step 'import'.");
    expect(io.out()).toContain('run the same command again');

    const io2 = captureIo(dir, env);
    const again = await prepareWsl(opts, fake.facts(), io2, new Date());
    expect(await execute(again, opts, io2, () => fake.context())).toBe(0);
    expect(io2.out()).toContain('Onboarding finished');
    expect(fake.distros.has('NixOS')).toBe(true);
  });

  it('picks the image for this machine when the release has one per system', async () => {
    const arm = 'company-nixos-wsl-aarch64-linux-2026.11.wsl';
    writeFileSync(join(release, arm), 'arm');
    writeFileSync(
      join(release, 'SHA256SUMS'),
      `${'0'.repeat(64)}  ${arm}\n${readFileSync(join(release, 'SHA256SUMS'), 'utf8')}`,
    );
    const fake = new FakeWsl();
    const io = captureIo(dir, { LOCALAPPDATA: 'C:\\Users\\ada\\AppData\\Local' });
    const prepared = await prepareWsl(
      { image: release, state: join(dir, 's.json') },
      fake.facts(),
      io,
      new Date(),
    );
    expect(prepared.plan.steps[0]?.command).toContain(image);
    await expect(
      prepareWsl(
        { image: release, artifact: 'company-nixos-wsl', state: join(dir, 's.json') },
        fake.facts(),
        io,
        new Date(),
      ),
    ).rejects.toThrow(/matches several artifacts/);
  });

  it('picks the .wsl artifact for the row system and runs; a finished onboarding does not claim the distro again', async () => {
    const fake = new FakeWsl();
    const io = captureIo(dir, { LOCALAPPDATA: 'C:\\Users\\ada\\AppData\\Local' });
    const opts = {
      image: release,
      config: 'https://github.com/acme/ada-config',
      user: 'ada',
      state: join(dir, 's.json'),
      yes: true,
      json: true,
    };
    const prepared = await prepareWsl(opts, fake.facts(), io, new Date('2026-11-27T10:00:00Z'));
    expect(prepared.plan.steps.find((s) => s.id === 'import')?.command).toContain(
      `${release}/${image}`,
    );
    expect(await execute(prepared, opts, io, () => fake.context())).toBe(0);
    const out = JSON.parse(io.out()) as { result: { ok: boolean; ran: string[] } };
    expect(out.result.ok).toBe(true);
    expect(fake.internals).toEqual(['fetch-image', 'terminal-fragment', 'clean-terminal-orphans']);

    const io2 = captureIo(dir, { LOCALAPPDATA: 'C:\\Users\\ada\\AppData\\Local' });
    const again = await prepareWsl(opts, fake.facts(), io2, new Date());
    // Completed before: a new onboarding, and NixOS now exists (not ours any more).
    expect(again.plan.problems[0]?.message).toBe('a WSL distro named NixOS already exists');
    expect(existsSync(join(dir, 's.json'))).toBe(true);
  });
});
