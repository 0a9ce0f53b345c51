// `crossflake ci run` with the real Nix, offline, on a temp copy of the
// configs fixture flake (builtins-only configurations, the stand-in
// crossflake CLI as a pinned input): it runs this host's steps of the
// generated ci.yml in order, with the generated commands, and exits as the job
// would. Also the flake.lock in-sync check, tried on the three ways a lock
// falls out of sync.
import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { argvOf, shellText } from '../../src/ci/commands.js';
import { ciPlan } from '../../src/ci/github-ci.js';
import { run, which } from '../../src/io/proc.js';
import { nixSystemOf } from '../../src/ci/run-plan.js';
import { NIX_OFFLINE_CONFIG, needsNix, nixEnv, nixVersion } from '../helpers/nix.js';
import { makeInput } from './helpers/input.js';
import { crossflake, fixtureCopy, removeDir } from './helpers/workspace.js';

const nixPath = which('nix');

const host = nixSystemOf(process.platform, process.arch);
const runnable = nixVersion !== null && host === 'x86_64-linux';
const why =
  needsNix ||
  (host === 'x86_64-linux'
    ? ''
    : ` (skipped: the host is ${host}, the fixture's job is x86_64-linux)`);

describe.skipIf(!runnable)(`crossflake ci run with real nix${why}`, () => {
  let dir: string | undefined;
  let registryDir: string;
  let env: NodeJS.ProcessEnv;

  // `nix run --inputs-from .` reads the global flake registry first; offline,
  // an empty one stands in for it (the runners download the real one).
  beforeAll(async () => {
    registryDir = await mkdtemp(join(tmpdir(), 'crossflake-ci-registry-'));
    const registry = join(registryDir, 'registry.json');
    await writeFile(registry, '{"flakes":[],"version":2}\n');
    env = nixEnv({ NIX_CONFIG: `${NIX_OFFLINE_CONFIG}\nflake-registry = ${registry}` });
  });
  afterAll(async () => {
    await rm(registryDir, { recursive: true, force: true });
  });
  afterEach(async () => {
    await removeDir(dir);
    dir = undefined;
  });

  async function failing(names: string[]): Promise<void> {
    const file = join(dir!, 'flake.nix');
    const text = await readFile(file, 'utf8');
    await writeFile(
      file,
      text.replace('failing = [ ];', `failing = [ ${names.map((n) => `"${n}"`).join(' ')} ];`),
    );
  }

  const headers = (stderr: string) =>
    stderr
      .split('\n')
      .filter((l) => l.startsWith('==> ') && !l.includes('skipped here'))
      .map((l) => l.slice(4));

  it('on a good flake: every x86_64-linux step of ci.yml, in file order, with the generated commands; exit 0', async () => {
    dir = await fixtureCopy('configs');
    const res = await crossflake(['ci', 'run'], dir, env);
    // A step failed here once under heavy load (the Templates step, exit 1):
    // its own output, on stdout, is what says why.
    expect(res.stderr, `the steps' output:\n${res.stdout.slice(-4000)}`).toContain(
      'ci run: 5 steps passed on x86_64-linux (check, flake-lock, configurations-x86_64-linux)',
    );
    expect(res.code).toBe(0);
    expect(headers(res.stderr)).toEqual(
      [
        'check: nix flake check',
        'check: Templates',
        'flake-lock: flake.lock in sync',
        'configurations-x86_64-linux: build homeConfigurations.alice@workstation',
        'configurations-x86_64-linux: build nixosConfigurations.workstation',
      ]
        .concat([])
        .slice(0, 5),
    );
    // The commands shown are the generated ones, step for step.
    const generated = await crossflake(['ci', 'generate', '--json'], dir, env);
    const ci = parse(
      (JSON.parse(generated.stdout) as { files: { content: string }[] }).files[0]!.content,
    ) as { jobs: Record<string, { steps: { name: string; run?: string; if?: string }[] }> };
    const shown = res.stderr
      .split('\n')
      .filter((l) => l.startsWith('$ '))
      .map((l) => l.slice(2));
    const expected = ['check', 'flake-lock', 'configurations-x86_64-linux'].flatMap((job) =>
      ci.jobs[job]!.steps.filter(
        (s) => s.run && (!s.if || s.if.includes("'x86_64-linux'")),
      ).flatMap((s) => s.run!.split('\n')),
    );
    expect(shown).toEqual(expected);
    // The template step ran the CLI from the crossflake input flake.lock pins.
    expect(res.stdout).toContain('pinned crossflake: init --test');
    expect(res.stderr).toContain(
      'check: on hosted runners only, skipped here: Check out, Install Nix',
    );
  });

  it('the CLI is the locked one: an edit to the input after locking never runs', async () => {
    dir = await fixtureCopy('configs');
    const cli = join(dir, 'crossflake', 'flake.nix');
    await writeFile(cli, (await readFile(cli, 'utf8')).replace('pinned crossflake', 'UNLOCKED'));
    const res = await crossflake(['ci', 'run', '--job', 'check'], dir, env);
    // Nix either runs the store copy flake.lock names or refuses the changed
    // source (hash mismatch); it never runs what the lock does not name.
    expect(res.stdout + res.stderr).not.toContain('UNLOCKED');
    if (res.code === 0) expect(res.stdout).toContain('pinned crossflake: init --test');
    else expect(res.stderr).toContain('step "Templates" of job check failed');
  });

  it('a configuration that fails to build fails the run, naming it; later steps do not run', async () => {
    dir = await fixtureCopy('configs');
    await failing(['alice-workstation']);
    const res = await crossflake(['ci', 'run', '--job', 'configurations-x86_64-linux'], dir, env);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(
      'crossflake ci: step "build homeConfigurations.alice@workstation" of job configurations-x86_64-linux failed (exit 1)',
    );
    expect(res.stdout + res.stderr).toContain('alice-workstation is broken');
    expect(res.stderr).not.toContain('build nixosConfigurations.workstation');
    expect(res.stderr).not.toContain('steps passed');
  });

  it('the configuration a failure names is the one that failed', async () => {
    dir = await fixtureCopy('configs');
    await failing(['workstation']);
    const res = await crossflake(['ci', 'run', '--job', 'configurations-x86_64-linux'], dir, env);
    expect(res.code).toBe(1);
    expect(headers(res.stderr)).toEqual([
      'configurations-x86_64-linux: build homeConfigurations.alice@workstation',
      'configurations-x86_64-linux: build nixosConfigurations.workstation',
    ]);
    expect(res.stderr).toContain('step "build nixosConfigurations.workstation" of job');
  });

  it('--job runs one job; a job this host has no steps of, or no such job, is refused (exit 2)', async () => {
    dir = await fixtureCopy('configs');
    const lock = await crossflake(['ci', 'run', '--job', 'flake-lock'], dir, env);
    expect(lock.code).toBe(0);
    expect(headers(lock.stderr)).toEqual(['flake-lock: flake.lock in sync']);
    const darwin = await crossflake(
      ['ci', 'run', '--job', 'configurations-aarch64-darwin'],
      dir,
      env,
    );
    expect(darwin.code).toBe(2);
    expect(darwin.stderr.trim()).toBe(
      'crossflake ci run: job configurations-aarch64-darwin has no steps for x86_64-linux, the system of this host',
    );
    const none = await crossflake(['ci', 'run', '--job', 'deploy'], dir, env);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain(
      'ci.yml has no job "deploy": jobs are check, flake-lock, configurations-aarch64-darwin',
    );
  });

  // The generated step's own command, run as `ci run` runs it: it passes on
  // the fixture's lock and fails, without rewriting the lock, on each way the
  // lock falls out of sync with flake.nix.
  describe('the flake.lock step fails exactly when flake.nix and flake.lock disagree', () => {
    const INPUT = 'inputs.crossflake.url = "path:./crossflake";';
    const edits: [string, (flake: string) => string][] = [
      ['nothing changed (passes)', (f) => f],
      [
        'an input added to flake.nix',
        (f) => f.replace(INPUT, `${INPUT}\n  inputs.extra.url = "path:./crossflake";`),
      ],
      [
        'the input removed from flake.nix',
        (f) => f.replace(INPUT, '').replace('{ self, crossflake }', '{ self }'),
      ],
      ['the input URL changed', (f) => f.replace('path:./crossflake', 'path:./crossflake/.')],
    ];
    it.each(edits)('%s', async (what, edit) => {
      dir = await fixtureCopy('configs');
      const step = ciPlan(makeInput('configs'))
        .find((j) => j.id === 'flake-lock')!
        .steps.find((s) => s.kind === 'run')!;
      expect(step.kind === 'run' && step.commands).toEqual([
        { argv: ['nix', 'flake', 'lock', '--no-update-lock-file'] },
      ]);
      const file = join(dir, 'flake.nix');
      await writeFile(file, edit(await readFile(file, 'utf8')));
      const before = await readFile(join(dir, 'flake.lock'), 'utf8');
      const [program, ...args] = argvOf(step.kind === 'run' ? step.commands[0]! : { script: '' });
      const res = await run(program!, args, { cwd: dir, env });
      if (what.includes('passes')) {
        expect(res.code, res.stderr.toString()).toBe(0);
      } else {
        expect(res.code).toBe(1);
        expect(res.stderr.toString()).toMatch(/requires lock file changes/);
      }
      expect(await readFile(join(dir, 'flake.lock'), 'utf8')).toBe(before);
    });
  });

  it('ci run on a flake whose lock is out of sync exits 1 with what nix said', async () => {
    dir = await fixtureCopy('configs');
    const file = join(dir, 'flake.nix');
    await writeFile(
      file,
      (await readFile(file, 'utf8')).replace('path:./crossflake', 'path:./crossflake/.'),
    );
    const res = await crossflake(['ci', 'run'], dir, env);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/requires lock file changes/);
  });

  it('a step whose program is missing is "could not run" (exit 1), never a pass', async () => {
    dir = await fixtureCopy('configs');
    // Only nix is on PATH: the team's extra step needs bash, as on a runner.
    await symlink(nixPath!, join(dir, 'nix'));
    await writeFile(
      join(dir, 'crossflake.json'),
      JSON.stringify({
        ci: { extraSteps: [{ name: 'lint', run: 'true', phase: 'before-check' }] },
      }),
    );
    const res = await crossflake(['ci', 'run', '--job', 'check'], dir, { ...env, PATH: dir });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('step "lint" of job check could not run bash: not-found');
    expect(res.stderr).not.toContain('steps passed');
  });
});

describe('shell text of a command', () => {
  it('quotes only what a shell would read as syntax', () => {
    expect(
      shellText({ argv: ['nix', 'build', '.#homeConfigurations."a@b".activationPackage'] }),
    ).toBe(`nix build '.#homeConfigurations."a@b".activationPackage'`);
    expect(shellText({ argv: ['echo', "it's"] })).toBe(`echo 'it'\\''s'`);
    expect(shellText({ script: 'echo "$HOME" | tr a b' })).toBe('echo "$HOME" | tr a b');
  });
});
