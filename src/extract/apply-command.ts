// `crossflake extract apply`: the effectful half. Checks both repositories,
// computes the step's changes (apply.ts), then commits them on a new branch
// in each repo through a temporary git worktree. The checked-out branch and
// working tree are never written, so a crash (even kill -9) at any moment
// leaves them as they were; a half-made step branch is recognised and redone.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { EXIT, UserError, type Io, type ParsedOptions } from '../command.js';
import { writeFileAtomic } from '../io/files.js';
import { toByteString, toBytes } from '../nixlang/index.js';
import { planChanges, Refusal, selectStep, type StepChanges } from './apply.js';
import { inputName, planFor } from './command.js';
import { loadAnalysis } from './load.js';
import { flakeCheck, type CheckResult } from '../io/flake-check.js';
import {
  branchHasTrailer,
  branchSha,
  dirtyPaths,
  git,
  gitOk,
  head,
  readAt,
  topLevel,
} from '../io/git.js';
import { isDirectory } from '../io/nix-files.js';

interface RepoResult {
  repo: 'personal' | 'shared';
  branch: string;
  status: 'committed' | 'already-applied' | 'unchanged';
  commit?: string;
  check?: CheckResult;
}

async function requireRepo(dir: string, what: string): Promise<string> {
  if (!isDirectory(dir)) throw new UserError(`${what} ${dir} is not a directory`);
  const top = await topLevel(dir);
  if (!top) throw new UserError(`${what} ${dir} is not a git repository`, EXIT.failed);
  if (resolve(top) !== resolve(dir))
    throw new UserError(
      `${what} ${dir} is inside ${top}; give the repository's top directory`,
      EXIT.failed,
    );
  // A branch is made from HEAD: a repository without a commit has none.
  if (!(await gitOk(dir, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'])))
    throw new UserError(
      `${what} ${dir} has no commit yet; make a first commit, then run again`,
      EXIT.failed,
    );
  const dirty = await dirtyPaths(dir);
  if (dirty.length > 0) {
    throw new UserError(
      `${what} ${dir} has uncommitted changes (${dirty.length}, e.g. ${dirty[0]!.slice(3)}); commit or stash them first`,
      EXIT.failed,
    );
  }
  return top;
}

async function readRepoFiles(
  dir: string,
  rev: string,
  paths: string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const p of [...new Set(paths)]) {
    const bytes = await readAt(dir, rev, p);
    if (bytes) out.set(p, toByteString(bytes));
  }
  return out;
}

/** Removes a branch left by an interrupted run (no step commit on it), with its worktree. */
async function clearLeftover(dir: string, branch: string): Promise<void> {
  const list = await git(dir, ['worktree', 'list', '--porcelain']);
  for (const block of list.split('\n\n')) {
    if (block.includes(`branch refs/heads/${branch}`)) {
      const path = /^worktree (.*)$/m.exec(block)?.[1];
      if (path) await git(dir, ['worktree', 'remove', '--force', path]).catch(() => undefined);
    }
  }
  await git(dir, ['worktree', 'prune']);
  await git(dir, ['branch', '-D', branch]);
}

async function commitOnBranch(
  repo: 'personal' | 'shared',
  dir: string,
  base: string,
  branch: string,
  files: Map<string, string>,
  message: string,
  trailer: string,
  env: NodeJS.ProcessEnv,
): Promise<RepoResult> {
  const existing = await branchSha(dir, branch);
  if (existing && (await branchHasTrailer(dir, branch, trailer)))
    return { repo, branch, status: 'already-applied' };
  if (existing) {
    if (existing !== base)
      throw new UserError(
        `${repo} repo: branch ${branch} exists with other commits; delete or rename it first`,
        EXIT.failed,
      );
    await clearLeftover(dir, branch);
  }
  if (files.size === 0) return { repo, branch, status: 'unchanged' };
  const scratch = await mkdtemp(join(tmpdir(), 'crossflake-extract-'));
  const wt = join(scratch, repo);
  let committed = false;
  try {
    await git(dir, ['worktree', 'add', '--quiet', '-b', branch, wt, base]);
    for (const [path, text] of files) await writeFileAtomic(join(wt, path), toBytes(text));
    await git(wt, ['add', '--', ...files.keys()]);
    const check = await flakeCheck(wt, env);
    if (check.status === 'failed')
      throw new UserError(`${repo} repo: ${check.note}; nothing committed`, EXIT.failed);
    await git(wt, ['commit', '--quiet', '--no-verify', '-m', `${message}\n\n${trailer}`]);
    committed = true;
    const commit = (await git(wt, ['rev-parse', 'HEAD'])).trim();
    return { repo, branch, status: 'committed', commit, check };
  } finally {
    await git(dir, ['worktree', 'remove', '--force', wt]).catch(() => undefined);
    await rm(scratch, { recursive: true, force: true });
    if (!committed && (await branchSha(dir, branch)))
      await git(dir, ['branch', '-D', branch]).catch(() => undefined);
  }
}

export async function applyCommand(
  repoArg: string | undefined,
  opts: ParsedOptions,
  io: Io,
): Promise<number> {
  const n =
    typeof opts.step === 'string' && /^[1-9]\d*$/.test(opts.step) ? Number(opts.step) : null;
  if (n === null)
    throw new UserError('apply needs --step N (a step number from `crossflake extract plan`)');
  if (typeof opts.shared !== 'string')
    throw new UserError('apply needs --shared DIR (the shared flake repository)');
  if (!repoArg)
    throw new UserError(
      'name the personal repository, e.g. `crossflake extract apply . --step 1 --shared ../shared`',
    );
  const personalDir = await requireRepo(resolve(io.cwd, repoArg), 'personal repo');
  const sharedDir = await requireRepo(resolve(io.cwd, opts.shared), 'shared repo');
  if (personalDir === sharedDir)
    throw new UserError('the personal and the shared repo must be different repositories');
  const sharedUrl =
    typeof opts['shared-url'] === 'string' ? opts['shared-url'] : `git+file:${sharedDir}`;
  if (/[\s"\\$]/.test(sharedUrl))
    throw new UserError(
      `--shared-url ${JSON.stringify(sharedUrl)} must not contain spaces, quotes, backslashes or $`,
    );

  const { report } = await loadAnalysis(personalDir, opts, io);
  const plan = planFor(report, inputName(opts));
  let changes: StepChanges;
  let step;
  try {
    step = selectStep(plan, n);
  } catch (error) {
    if (error instanceof Refusal) throw new UserError(`refused: ${error.message}`, EXIT.failed);
    throw error;
  }
  const personalHead = await head(personalDir);
  const sharedHead = await head(sharedDir);
  const importers = report.edges.filter((e) => e.to === step.file).map((e) => e.from);
  const personalFiles = await readRepoFiles(personalDir, personalHead.sha, [
    'flake.nix',
    step.file,
    ...importers,
  ]);
  const depDests = step.after
    .map((d) => plan.steps[d - 1]!.destination)
    .filter((d): d is string => d !== undefined);
  const sharedFiles = await readRepoFiles(sharedDir, sharedHead.sha, [
    'flake.nix',
    step.destination!,
    ...depDests,
  ]);
  try {
    changes = planChanges({
      plan,
      report,
      step: n,
      personal: personalFiles,
      shared: sharedFiles,
      sharedUrl,
    });
  } catch (error) {
    if (error instanceof Refusal) throw new UserError(`refused: ${error.message}`, EXIT.failed);
    throw error;
  }

  const branch = `crossflake/extract-step-${n}-${step.name}`;
  const what = `move ${step.file} to ${step.output}.${step.name}`;
  const trailer = `Crossflake-Extract: ${step.file} -> ${step.output}.${step.name}`;
  const env = io.env;
  const results = [
    await commitOnBranch(
      'shared',
      sharedDir,
      sharedHead.sha,
      branch,
      changes.shared,
      `extract step ${n}: add ${step.output}.${step.name} (from ${step.file})`,
      trailer,
      env,
    ),
    await commitOnBranch(
      'personal',
      personalDir,
      personalHead.sha,
      branch,
      changes.personal,
      `extract step ${n}: ${what}`,
      trailer,
      env,
    ),
  ];
  const noop = results.every((r) => r.status !== 'committed');
  if (opts.json === true) {
    io.stdout.write(
      `${JSON.stringify({ step: n, file: step.file, export: `${step.output}.${step.name}`, noop, changes: changes.notes, results }, null, 2)}\n`,
    );
    return EXIT.ok;
  }
  if (noop) {
    io.stdout.write(`step ${n} (${what}) is already applied (branch ${branch}); nothing to do\n`);
    return EXIT.ok;
  }
  const lines = [`step ${n}: ${what}`, ...changes.notes.map((x) => `  ${x}`)];
  for (const r of results) {
    const check = r.check ? `; flake check ${r.check.status}: ${r.check.note}` : '';
    lines.push(
      `  ${r.repo}: ${r.status === 'committed' ? `committed ${r.commit!.slice(0, 12)} on branch ${r.branch}` : `${r.status} (branch ${r.branch})`}${check}`,
    );
  }
  lines.push(
    `  your checked-out branches are unchanged; review with: git -C <repo> diff HEAD ${branch}`,
  );
  io.stdout.write(`${lines.join('\n')}\n`);
  return EXIT.ok;
}
