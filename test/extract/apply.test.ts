import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseNix } from '../../src/nixlang/index.js';
import { runAsync } from '../helpers/run-async.js';
import { gitIn, GIT_ENV, makeRepos, type Repos } from './git-fixture.js';

const bin = 'bin/crossflake.js';

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const res = await runAsync(process.execPath, [bin, 'extract', ...args], { env: GIT_ENV });
  return { code: res.status ?? -1, stdout: res.stdout, stderr: res.stderr };
}

interface PlanJson {
  steps: {
    n: number;
    action: string;
    file: string;
    label: string;
    name?: string;
    output?: string;
    options: unknown[];
    importStyle: string;
  }[];
}

async function plan(dir: string): Promise<PlanJson> {
  return (JSON.parse((await cli(['plan', dir, '--json'])).stdout) as { plan: PlanJson }).plan;
}

function stepFor(p: PlanJson, file: string): PlanJson['steps'][number] {
  const s = p.steps.find((x) => x.file === file);
  if (!s) throw new Error(`no step for ${file}`);
  return s;
}

function snapshot(dir: string): string {
  return `${gitIn(dir, ['rev-parse', 'HEAD'])}${gitIn(dir, ['symbolic-ref', 'HEAD'])}${gitIn(dir, ['status', '--porcelain', '--untracked-files=all'])}`;
}

let repos: Repos | null = null;
afterEach(() => {
  repos?.cleanup();
  repos = null;
});

// These tests drive the built CLI (the kill -9 test must): `npm test` builds
// first; alone, run `npm run build` before them.

describe('extract apply on real git repositories', () => {
  it('moves a module on a new branch in each repo: both still parse, the personal diff touches only imports and the input', async () => {
    repos = makeRepos();
    const { personal, shared } = repos;
    const before = snapshot(personal);
    const step = stepFor(await plan(personal), 'home/tools.nix');
    const res = await cli(['apply', personal, '--step', String(step.n), '--shared', shared]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/flake check skipped: /);
    const branch = `crossflake/extract-step-${step.n}-tools`;
    expect(snapshot(personal)).toBe(before);

    const changed = gitIn(personal, ['diff', '--name-only', 'main', branch]).trim().split('\n');
    expect(changed.sort()).toEqual(['flake.nix', 'home/alice.nix']);
    const diff = gitIn(personal, ['diff', '-U0', 'main', branch]);
    const touched = diff.split('\n').filter((l) => /^[-+](?![-+])/.test(l));
    for (const line of touched) {
      expect(line, line).toMatch(
        /^-\s+\.\/tools\.nix$|^\+\s+inputs\.shared\.homeModules\.tools$|^\+\s+shared\.url = "git\+file:.*";$|^[-+]\{ (inputs, )?\.\.\. \}:$/,
      );
    }
    for (const [dir, files] of [
      [personal, changed],
      [shared, gitIn(shared, ['diff', '--name-only', 'main', branch]).trim().split('\n')],
    ] as const) {
      for (const f of files) {
        const text = gitIn(dir, ['show', `${branch}:${f}`]);
        expect(parseNix(text).diagnostics, `${f} parses`).toEqual([]);
      }
    }
    expect(gitIn(shared, ['show', `${branch}:nix/modules/home/tools.nix`])).toBe(
      readFileSync(join(personal, 'home/tools.nix'), 'utf8'),
    );
    expect(gitIn(shared, ['show', `${branch}:flake.nix`])).toContain(
      'homeModules.tools = { imports = [ ./nix/modules/home/tools.nix ]; };',
    );
    expect(gitIn(personal, ['log', '-1', '--format=%s', branch]).trim()).toBe(
      `extract step ${step.n}: move home/tools.nix to homeModules.tools`,
    );
  });

  it('dendritic (import-tree): moves an inline module, leaving a re-export of the shared one', async () => {
    repos = makeRepos('dendritic');
    const { personal, shared } = repos;
    const step = stepFor(await plan(personal), 'modules/shell.nix');
    const res = await cli(['apply', personal, '--step', String(step.n), '--shared', shared]);
    expect(res.code, res.stderr).toBe(0);
    const branch = `crossflake/extract-step-${step.n}-shell`;
    const old = readFileSync(join(personal, 'modules/shell.nix'), 'utf8');
    const now = gitIn(personal, ['show', `${branch}:modules/shell.nix`]);
    expect(now).toBe(
      '{ inputs, ... }:\n{\n  flake.modules.homeManager.shell =\n    inputs.shared.homeModules.shell;\n}\n',
    );
    expect(
      gitIn(personal, ['diff', '--name-only', 'main', branch]).trim().split('\n').sort(),
    ).toEqual(['flake.nix', 'modules/shell.nix']);
    const moved = gitIn(shared, ['show', `${branch}:nix/modules/home/shell.nix`]);
    expect(moved.startsWith('{ pkgs, ... }:\n{\n  programs.zsh.enable = true;')).toBe(true);
    // The same lines, four spaces less indented than inside the file.
    for (const line of moved.trimEnd().split('\n').slice(1)) expect(old).toContain(`    ${line}`);
    for (const text of [now, moved, gitIn(personal, ['show', `${branch}:flake.nix`])])
      expect(parseNix(text).diagnostics).toEqual([]);
  });

  it('dendritic: refuses an inline module that needs names from its file', async () => {
    repos = makeRepos('dendritic');
    const { personal, shared } = repos;
    // modules/wsl.nix imports `inputs.nixos-wsl...` from the enclosing flake-parts module;
    // strip its personal value first so only that reason remains.
    writeFileSync(
      join(personal, 'modules/wsl.nix'),
      readFileSync(join(personal, 'modules/wsl.nix'), 'utf8').replace(
        '    wsl.defaultUser = "carol";\n',
        '',
      ),
    );
    gitIn(personal, ['commit', '-qam', 'wsl: no default user']);
    const step = stepFor(await plan(personal), 'modules/wsl.nix');
    const res = await cli(['apply', personal, '--step', String(step.n), '--shared', shared]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/uses names from its file \(undefined variable 'inputs'\)/);
  });

  it('edits only the bytes of the changed nodes (everything else byte-identical)', async () => {
    repos = makeRepos();
    const { personal, shared } = repos;
    const step = stepFor(await plan(personal), 'modules/base.nix');
    expect(
      (await cli(['apply', personal, '--step', String(step.n), '--shared', shared])).code,
    ).toBe(0);
    const branch = `crossflake/extract-step-${step.n}-base`;
    const old = readFileSync(join(personal, 'hosts/laptop/default.nix'), 'utf8');
    const now = gitIn(personal, ['show', `${branch}:hosts/laptop/default.nix`]);
    const expected = old
      .replace('{ pkgs, ... }:', '{ inputs, pkgs, ... }:')
      .replace('../../modules/base.nix', 'inputs.shared.nixosModules.base');
    expect(now).toBe(expected);
    const sharedFlake = gitIn(shared, ['show', `${branch}:flake.nix`]);
    // The existing export and its trailing comment are untouched.
    expect(sharedFlake).toContain(
      "team-base = { imports = [ ./nix/modules/nixos/team-base.nix ]; }; # the team's defaults\n",
    );
  });

  it('a second apply of the same step is a no-op', async () => {
    repos = makeRepos();
    const { personal, shared } = repos;
    const step = stepFor(await plan(personal), 'modules/nix-gc.nix');
    expect(
      (await cli(['apply', personal, '--step', String(step.n), '--shared', shared])).code,
    ).toBe(0);
    const branch = `crossflake/extract-step-${step.n}-nix-gc`;
    const tips = [gitIn(personal, ['rev-parse', branch]), gitIn(shared, ['rev-parse', branch])];
    const again = await cli(['apply', personal, '--step', String(step.n), '--shared', shared]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/already applied/);
    expect([gitIn(personal, ['rev-parse', branch]), gitIn(shared, ['rev-parse', branch])]).toEqual(
      tips,
    );
  });

  it('refuses a dirty tree (in either repo) and changes nothing', async () => {
    repos = makeRepos();
    const { personal, shared } = repos;
    const step = stepFor(await plan(personal), 'home/tools.nix');
    writeFileSync(join(personal, 'home/tools.nix'), '{ }\n');
    const res = await cli(['apply', personal, '--step', String(step.n), '--shared', shared]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/uncommitted changes .*home\/tools\.nix/);
    gitIn(personal, ['checkout', '--', '.']);
    writeFileSync(join(shared, 'notes.txt'), 'wip\n');
    expect(
      (await cli(['apply', personal, '--step', String(step.n), '--shared', shared])).stderr,
    ).toMatch(/shared repo .* uncommitted changes/);
    expect(gitIn(personal, ['branch', '--list']).trim()).toBe('* main');
  });

  it('refuses a secret step, a personal step and a step that still holds personal values', async () => {
    repos = makeRepos();
    const { personal, shared } = repos;
    const p = await plan(personal);
    const secret = await cli([
      'apply',
      personal,
      '--step',
      String(stepFor(p, 'modules/wifi.nix').n),
      '--shared',
      shared,
    ]);
    expect(secret.code).toBe(1);
    expect(secret.stderr).toMatch(/classified secret: secrets never move/);
    expect(secret.stderr + secret.stdout).not.toContain('correct-horse');
    const personalStep = await cli([
      'apply',
      personal,
      '--step',
      String(stepFor(p, 'home/alice.nix').n),
      '--shared',
      shared,
    ]);
    expect(personalStep.stderr).toMatch(/stays in the personal repo/);
    const params = await cli([
      'apply',
      personal,
      '--step',
      String(stepFor(p, 'home/git.nix').n),
      '--shared',
      shared,
    ]);
    expect(params.stderr).toMatch(/personal values .*crossflake\.user\.email/);
    expect(gitIn(shared, ['branch', '--list']).trim()).toBe('* main');
  });

  it('kill -9 at random moments never touches the original branch; a later run completes (6 kills)', async () => {
    repos = makeRepos();
    const { personal, shared } = repos;
    const step = stepFor(await plan(personal), 'modules/desktop.nix');
    const before = [snapshot(personal), snapshot(shared)];
    mkdirSync(join(repos.root, 'tmp'));
    const args = [bin, 'extract', 'apply', personal, '--step', String(step.n), '--shared', shared];
    // Calibrate: time one uninterrupted run on a copy, then kill at seeded
    // random points between 20% and 100% of that (the machine's load varies).
    const probe = makeRepos();
    const t0 = Date.now();
    const calibrate = await cli([
      'apply',
      probe.personal,
      '--step',
      String(step.n),
      '--shared',
      probe.shared,
    ]);
    const full = Date.now() - t0;
    probe.cleanup();
    expect(calibrate.code, calibrate.stderr).toBe(0);
    let seed = 7;
    let leftovers = 0;
    const delays = Array.from({ length: 6 }, () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return Math.round(full * (0.2 + 0.8 * ((seed % 1000) / 1000)));
    });
    for (const delay of delays) {
      // Its temp worktrees go under the test's own dir, so cleanup takes them too.
      const env = { ...GIT_ENV, TMPDIR: join(repos.root, 'tmp') };
      const child = spawn(process.execPath, args, { env, stdio: 'ignore' });
      const closed = new Promise((r) => child.on('close', r));
      await new Promise((r) => setTimeout(r, delay));
      child.kill('SIGKILL');
      await closed;
      expect([snapshot(personal), snapshot(shared)], `after kill at ${delay} ms`).toEqual(before);
      leftovers += gitIn(shared, ['branch', '--list']).includes('extract-step') ? 1 : 0;
    }
    console.log(
      `kill -9 test: a full run took ${full} ms; ${leftovers} of ${delays.length} kills left a step branch behind`,
    );
    const done = await cli(['apply', personal, '--step', String(step.n), '--shared', shared]);
    expect(done.code, done.stderr).toBe(0);
    const branch = `crossflake/extract-step-${step.n}-desktop`;
    expect(gitIn(personal, ['log', '-1', '--format=%s', branch])).toContain(
      'move modules/desktop.nix',
    );
    expect(gitIn(shared, ['show', `${branch}:nix/modules/nixos/desktop.nix`])).toBe(
      readFileSync(join(personal, 'modules/desktop.nix'), 'utf8'),
    );
    expect([snapshot(personal), snapshot(shared)]).toEqual(before);
  });

  it("refuses to reuse a step branch that has someone else's commits", async () => {
    repos = makeRepos();
    const { personal, shared } = repos;
    const step = stepFor(await plan(personal), 'modules/desktop.nix');
    const branch = `crossflake/extract-step-${step.n}-desktop`;
    gitIn(personal, ['checkout', '-q', '-b', branch]);
    gitIn(personal, ['commit', '-q', '--allow-empty', '-m', 'mine']);
    gitIn(personal, ['checkout', '-q', 'main']);
    const res = await cli(['apply', personal, '--step', String(step.n), '--shared', shared]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(
      /branch crossflake\/extract-step-\d+-desktop exists, .*did not make it/,
    );
    expect(gitIn(personal, ['log', '-1', '--format=%s', branch]).trim()).toBe('mine');
  });
});
