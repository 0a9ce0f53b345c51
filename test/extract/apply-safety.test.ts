// Data-loss classes of `extract apply` (issue 14), on real git repositories
// and the built CLI: crossflake removes only what it made, refuses before
// changing either repository, and sweeps its own debris after kill -9.
import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { runAsync } from '../helpers/run-async.js';
import { gitIn, GIT_ENV, makeRepos, type Repos } from './git-fixture.js';

const bin = 'bin/crossflake.js';

async function cli(
  args: string[],
  env: NodeJS.ProcessEnv = GIT_ENV,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const res = await runAsync(process.execPath, [bin, 'extract', ...args], { env });
  return { code: res.status ?? -1, stdout: res.stdout, stderr: res.stderr };
}

async function stepOf(dir: string, file: string): Promise<number> {
  const { plan } = JSON.parse((await cli(['plan', dir, '--json'])).stdout) as {
    plan: { steps: { n: number; file: string }[] };
  };
  return plan.steps.find((s) => s.file === file)!.n;
}

function branches(dir: string): string {
  return gitIn(dir, ['branch', '--list', '--format=%(refname:short)']).trim();
}

let repos: Repos | null = null;
afterEach(() => {
  repos?.cleanup();
  repos = null;
});

// Built CLI: run `npm run build` before these when run alone.
describe('extract apply data loss: removes only what it made', () => {
  it("never removes a user's worktree on a branch named like a step branch (uncommitted and untracked work kept)", async () => {
    repos = makeRepos();
    const { root, personal, shared } = repos;
    const n = await stepOf(personal, 'modules/desktop.nix');
    const branch = `crossflake/extract-step-${n}-desktop`;
    const mine = join(root, 'my-worktree');
    gitIn(personal, ['worktree', 'add', '-q', '-b', branch, mine, 'HEAD']);
    writeFileSync(join(mine, 'flake.nix'), '# my uncommitted edit\n');
    writeFileSync(join(mine, 'notes.txt'), 'untracked work\n');

    const res = await cli(['apply', personal, '--step', String(n), '--shared', shared]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`branch ${branch} exists and is checked out in ${mine}`);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(readFileSync(join(mine, 'flake.nix'), 'utf8')).toBe('# my uncommitted edit\n');
    expect(readFileSync(join(mine, 'notes.txt'), 'utf8')).toBe('untracked work\n');
    expect(gitIn(personal, ['worktree', 'list'])).toContain(mine);
    // Refused before either repository changed: the shared one has no step branch.
    expect(branches(shared)).toBe('main');
  });

  it('the step branch checked out in the personal repo: refused before the shared repo changes (never half-applied)', async () => {
    repos = makeRepos();
    const { personal, shared } = repos;
    const n = await stepOf(personal, 'modules/desktop.nix');
    const branch = `crossflake/extract-step-${n}-desktop`;
    gitIn(personal, ['checkout', '-q', '-b', branch]);

    const res = await cli(['apply', personal, '--step', String(n), '--shared', shared]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(
      /^crossflake extract apply: refused, nothing changed: personal repo: branch /,
    );
    expect(branches(shared)).toBe('main');
    expect(gitIn(personal, ['symbolic-ref', '--short', 'HEAD']).trim()).toBe(branch);
  });

  it('a refusal in either repository (detached HEAD in the shared one, the step branch checked out in the personal one) changes neither', async () => {
    repos = makeRepos();
    const { personal, shared } = repos;
    const n = await stepOf(personal, 'modules/desktop.nix');
    gitIn(shared, ['checkout', '-q', '--detach']);
    gitIn(personal, ['checkout', '-q', '-b', `crossflake/extract-step-${n}-desktop`]);
    const res = await cli(['apply', personal, '--step', String(n), '--shared', shared]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/shared repo .* is on a detached HEAD/);
    const again =
      (gitIn(shared, ['checkout', '-q', 'main']),
      await cli(['apply', personal, '--step', String(n), '--shared', shared]));
    expect(again.stderr).toMatch(/personal repo: branch .* is checked out in /);
    expect(branches(shared)).toBe('main');
  });

  it('a shared repository with no commit is one line, exit 1', async () => {
    repos = makeRepos();
    const { root, personal } = repos;
    const empty = join(root, 'empty');
    mkdirSync(empty);
    gitIn(empty, ['init', '-q']);
    const n = await stepOf(personal, 'modules/desktop.nix');
    const res = await cli(['apply', personal, '--step', String(n), '--shared', empty]);
    expect(res.code).toBe(1);
    expect(res.stderr.trim()).toMatch(
      /^crossflake extract apply: refused, nothing changed: shared repo .* has no commit yet; commit its files first$/,
    );
    expect(branches(personal)).toBe('main');
  });

  it('never writes through a symbolic link the shared repo tracks (nix/modules/nixos -> elsewhere): refused, naming it', async () => {
    repos = makeRepos();
    const { root, personal, shared } = repos;
    const n = await stepOf(personal, 'modules/desktop.nix');
    const elsewhere = join(root, 'elsewhere');
    mkdirSync(elsewhere);
    gitIn(shared, ['mv', 'nix/modules/nixos', 'nix/modules/nixos-real']);
    symlinkSync(elsewhere, join(shared, 'nix/modules/nixos'));
    gitIn(shared, ['add', '-A']);
    gitIn(shared, ['commit', '-q', '-m', 'a link']);

    const res = await cli(['apply', personal, '--step', String(n), '--shared', shared]);
    expect(res.code).toBe(1);
    expect(res.stderr.trim()).toMatch(
      /^crossflake extract apply: shared repo: .*nix\/modules\/nixos is a symbolic link \(to .*elsewhere\); .*nothing committed in either repo$/,
    );
    expect(readdirSync(elsewhere)).toEqual([]);
    expect([branches(shared), branches(personal)]).toEqual(['main', 'main']);
  });

  it('a re-run after a crash between the two commits finishes the other side and says what it did', async () => {
    repos = makeRepos();
    const { personal, shared } = repos;
    const n = await stepOf(personal, 'modules/desktop.nix');
    const branch = `crossflake/extract-step-${n}-desktop`;
    expect((await cli(['apply', personal, '--step', String(n), '--shared', shared])).code).toBe(0);
    const sharedTip = gitIn(shared, ['rev-parse', branch]);
    gitIn(personal, ['branch', '-D', branch]);
    const res = await cli(['apply', personal, '--step', String(n), '--shared', shared]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/shared: already-applied/);
    expect(res.stdout).toMatch(/personal: committed [0-9a-f]{12} on branch/);
    expect(res.stdout).toContain('your checked-out branches are unchanged');
    expect(gitIn(shared, ['rev-parse', branch])).toBe(sharedTip);
  });
});

describe('extract apply debris after kill -9 is swept by the next run', () => {
  it('a run killed inside its temporary worktree: the next run removes that worktree, branch and directory, and nothing else', async () => {
    repos = makeRepos();
    const { root, personal, shared } = repos;
    const n = await stepOf(personal, 'modules/desktop.nix');
    const branch = `crossflake/extract-step-${n}-desktop`;
    const tmp = join(root, 'tmp');
    mkdirSync(tmp);
    // A `nix` that says where it runs and then waits: the run is held inside
    // its flake check, with its worktree made, until the test kills it.
    const fakeBin = join(root, 'fake-bin');
    mkdirSync(fakeBin);
    const mark = join(root, 'nix-started');
    writeFileSync(join(fakeBin, 'nix'), `#!/bin/sh\necho $$ > "${mark}"\nexec sleep 300\n`);
    chmodSync(join(fakeBin, 'nix'), 0o755);
    // A worktree of the user's whose directory is gone must survive the sweep.
    gitIn(shared, ['worktree', 'add', '-q', '-b', 'offline-disk', join(root, 'gone'), 'HEAD']);
    rmSync(join(root, 'gone'), { recursive: true });

    const env = { ...GIT_ENV, TMPDIR: tmp, PATH: `${fakeBin}:${process.env.PATH ?? ''}` };
    const args = [bin, 'extract', 'apply', personal, '--step', String(n), '--shared', shared];
    const child = spawn(process.execPath, args, { env, stdio: 'ignore' });
    const closed = new Promise((r) => child.on('close', r));
    for (let i = 0; i < 1200 && !existsSync(mark); i++) await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(mark), 'the run reached its flake check').toBe(true);

    // While it runs, a second run of the same step is refused, changing nothing.
    const second = await cli(['apply', personal, '--step', String(n), '--shared', shared], {
      ...GIT_ENV,
      TMPDIR: tmp,
    });
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(
      /another crossflake extract apply \(pid \d+\) is applying this step/,
    );

    child.kill('SIGKILL');
    await closed;
    process.kill(Number(readFileSync(mark, 'utf8')), 'SIGKILL');
    const debris = readdirSync(tmp).filter((d) => d.startsWith('crossflake-extract-'));
    expect(debris).toHaveLength(1);
    expect(branches(shared)).toContain(branch);
    expect(gitIn(shared, ['worktree', 'list'])).toContain(debris[0]);

    const res = await cli(['apply', personal, '--step', String(n), '--shared', shared], {
      ...GIT_ENV,
      TMPDIR: tmp,
    });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain(`removed branches an interrupted run had made: shared: ${branch}`);
    expect(readdirSync(tmp).filter((d) => d.startsWith('crossflake-extract-'))).toEqual([]);
    const left = gitIn(shared, ['worktree', 'list', '--porcelain']);
    expect(left).not.toContain(debris[0]);
    expect(left).toContain(join(root, 'gone'));
    expect(gitIn(shared, ['log', '-1', '--format=%s', branch])).toContain(`extract step ${n}`);
    expect(readdirSync(join(shared, '.git', 'crossflake-extract'))).toEqual([]);
  }, 120_000);
});
