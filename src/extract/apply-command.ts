// `crossflake extract apply`: the effectful half. Checks both repositories
// for every refusal reason (apply-preflight.ts), computes the step's changes
// (apply.ts), then commits them on a new branch in each repo through a
// temporary git worktree. The checked-out branch and working tree are never
// written, so a crash (even kill -9) at any moment leaves them as they were;
// what a killed run made is recorded (apply-leftovers.ts) and removed by the
// next run, and nothing else ever is.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { EXIT, UserError, type Io, type ParsedOptions } from '../command.js';
import { PathError, pathInside, writeFileAtomic } from '../io/files.js';
import { toByteString, toBytes } from '../nixlang/index.js';
import { planChanges, Refusal, selectStep, type StepChanges } from './apply.js';
import { refuseSecretsInCommit } from './apply-scan.js';
import type { PlanStep } from './plan.js';
import { inputName, planFor } from './command.js';
import { loadAnalysis } from './load.js';
import { flakeCheck, type CheckResult } from '../io/flake-check.js';
import { stagedTree } from '../io/git-export.js';
import { proveStep } from './apply-verify.js';
import { describeRefusal, type Verification } from './verify.js';
import {
  branchHasTrailer,
  branchSha,
  dirtyPaths,
  git,
  hasCommit,
  head,
  operationInProgress,
  readAt,
  topLevel,
  worktrees,
} from '../io/git.js';
import { isDirectory } from '../io/nix-files.js';
import {
  Busy,
  claim,
  heldBy,
  SCRATCH_PREFIX,
  sweepRecords,
  sweepScratch,
} from './apply-leftovers.js';
import {
  branchDecision,
  repoRefusal,
  type BranchAction,
  type BranchFacts,
  type RepoFacts,
} from './apply-preflight.js';
import { writeEnvelope } from '../ui/json.js';

interface RepoResult {
  repo: 'personal' | 'shared';
  branch: string;
  status: BranchAction | 'committed';
  commit?: string;
  check?: CheckResult;
}

/** The repository's top directory, or a one-line refusal. */
async function requireTop(dir: string, what: string): Promise<string> {
  if (!isDirectory(dir)) throw new UserError(`${what} ${dir} is not a directory`);
  const top = await topLevel(dir);
  if (!top) throw new UserError(`${what} ${dir} is not a git repository`, EXIT.failed);
  if (resolve(top) !== resolve(dir))
    throw new UserError(
      `${what} ${dir} is inside ${top}; give the repository's top directory`,
      EXIT.failed,
    );
  return top;
}

async function repoFacts(repo: RepoFacts['repo'], dir: string): Promise<RepoFacts> {
  const commit = await hasCommit(dir);
  return {
    repo,
    dir,
    hasCommit: commit,
    headBranch: commit ? (await head(dir)).branch : null,
    dirty: await dirtyPaths(dir),
    operation: await operationInProgress(dir),
  };
}

async function branchFacts(
  dir: string,
  branch: string,
  trailer: string,
  changes: number,
): Promise<BranchFacts> {
  const sha = await branchSha(dir, branch);
  return {
    branch,
    sha,
    hasTrailer: sha !== null && (await branchHasTrailer(dir, branch, trailer)),
    checkedOutIn: (await worktrees(dir)).filter((w) => w.branch === branch).map((w) => w.path),
    changes,
  };
}

/** Both refusals at once, so the user fixes them in one go; nothing was changed. */
function refuseAll(reasons: (string | null)[]): void {
  const found = reasons.filter((r): r is string => r !== null);
  if (found.length > 0)
    throw new UserError(`refused, nothing changed: ${found.join('; ')}`, EXIT.failed);
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

interface Side {
  repo: RepoFacts['repo'];
  dir: string;
  base: string;
  /** The exact bytes of every file this step commits in this repository. */
  files: Map<string, Uint8Array>;
  message: string;
  action: BranchAction;
}

interface Prepared {
  side: Side;
  worktree: string;
  check: CheckResult;
  release: () => Promise<string[]>;
}

/** Adds the step branch in a recorded temporary worktree, writes and stages the files, checks the flake. */
async function prepare(
  side: Side,
  branch: string,
  trailer: string,
  scratch: string,
  env: NodeJS.ProcessEnv,
  made: Prepared[],
): Promise<void> {
  const worktree = join(scratch, side.repo);
  let release: () => Promise<string[]>;
  try {
    release = await claim(side.dir, {
      pid: process.pid,
      branch,
      base: side.base,
      worktree,
      scratch,
      trailer,
    });
  } catch (error) {
    if (error instanceof Busy) throw new UserError(error.message, EXIT.failed);
    throw error;
  }
  const prepared: Prepared = { side, worktree, release, check: { status: 'skipped', note: '' } };
  made.push(prepared);
  await git(side.dir, ['worktree', 'add', '--quiet', '-b', branch, worktree, side.base]);
  // A tracked symbolic link (say nix -> /etc) must not carry a write out of the worktree.
  try {
    for (const [path, bytes] of side.files)
      await writeFileAtomic(pathInside(worktree, path), bytes, { within: worktree });
  } catch (error) {
    if (!(error instanceof PathError)) throw error;
    throw new UserError(
      `${side.repo} repo: ${error.message}; nothing committed in either repo`,
      EXIT.failed,
    );
  }
  await git(worktree, ['add', '--', ...side.files.keys()]);
  // The personal flake is proven by the behaviour check (apply-verify.ts),
  // with the shared flake at this step's state; checking it alone would
  // fetch the shared repository's checked-out branch, without the step.
  prepared.check =
    side.repo === 'shared'
      ? await flakeCheck(worktree, env)
      : { status: 'skipped', note: 'the behaviour proof below evaluates the personal flake' };
  if (prepared.check.status === 'failed')
    throw new UserError(
      `${side.repo} repo: ${prepared.check.note}; nothing committed in either repo`,
      EXIT.failed,
    );
}

async function commitPrepared(p: Prepared, branch: string, trailer: string): Promise<RepoResult> {
  await git(p.worktree, [
    'commit',
    '--quiet',
    '--no-verify',
    '-m',
    `${p.side.message}\n\n${trailer}`,
  ]);
  const commit = (await git(p.worktree, ['rev-parse', 'HEAD'])).trim();
  return { repo: p.side.repo, branch, status: 'committed', commit, check: p.check };
}

/**
 * Both sides are prepared (branch, worktree, files, flake check) before
 * either commits, so a failure in one leaves neither with a step commit. A
 * crash between the two commits leaves one side with the step's trailer; the
 * next run sees it as applied there and finishes the other.
 */
async function applySides(
  sides: Side[],
  branch: string,
  trailer: string,
  env: NodeJS.ProcessEnv,
  proof: Proof,
): Promise<{ results: RepoResult[]; verification: Verification }> {
  const todo = sides.filter((s) => s.action === 'create');
  const results = new Map<Side, RepoResult>();
  for (const s of sides)
    if (s.action !== 'create') results.set(s, { repo: s.repo, branch, status: s.action });
  if (todo.length === 0)
    return {
      results: sides.map((s) => results.get(s)!),
      verification: proof.skip ?? { verified: 'not-run', reason: 'nothing to commit' },
    };
  const scratch = await mkdtemp(join(tmpdir(), `${SCRATCH_PREFIX}${process.pid}-`));
  const made: Prepared[] = [];
  let verification: Verification;
  try {
    for (const side of todo) await prepare(side, branch, trailer, scratch, env, made);
    verification = proof.skip ?? (await prove(sides, made, branch, scratch, env, proof));
    if (verification.verified === false)
      throw new UserError(
        `refused, nothing committed in either repo: ${describeRefusal(verification)}`,
        EXIT.failed,
      );
    for (const p of made) results.set(p.side, await commitPrepared(p, branch, trailer));
  } finally {
    // Each release removes only what its record names; an uncommitted branch goes with it.
    for (const p of made) await p.release();
    await rm(scratch, { recursive: true, force: true });
  }
  return { results: sides.map((s) => results.get(s)!), verification };
}

interface Proof {
  /** Set with --no-verify: the proof's result without running it. */
  skip: Verification | null;
  input: string;
}

/** Evaluates the personal flake's configurations before and after the prepared step. */
async function prove(
  sides: Side[],
  made: Prepared[],
  branch: string,
  scratch: string,
  env: NodeJS.ProcessEnv,
  proof: Proof,
): Promise<Verification> {
  const before = { personal: '', shared: '' };
  const after = { personal: '', shared: '' };
  for (const side of sides) {
    before[side.repo] = side.base;
    const prepared = made.find((p) => p.side === side);
    // An already-applied side (a crash between the two commits) is its branch's tip.
    after[side.repo] = prepared
      ? await stagedTree(prepared.worktree)
      : side.action === 'already-applied'
        ? `refs/heads/${branch}`
        : side.base;
  }
  const dirs = { personal: '', shared: '' };
  for (const side of sides) dirs[side.repo] = side.dir;
  return proveStep({
    dirs,
    before,
    after,
    input: proof.input,
    workDir: join(scratch, 'verify'),
    env,
  });
}

type RepoName = 'shared' | 'personal';
type Both<T> = Record<RepoName, T>;
const REPOS: readonly RepoName[] = ['shared', 'personal'];

interface Args {
  n: number;
  dirs: Both<string>;
  sharedUrl: string;
}

async function parseArgs(repoArg: string | undefined, opts: ParsedOptions, io: Io): Promise<Args> {
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
  const personal = await requireTop(resolve(io.cwd, repoArg), 'personal repo');
  const shared = await requireTop(resolve(io.cwd, opts.shared), 'shared repo');
  if (personal === shared)
    throw new UserError('the personal and the shared repo must be different repositories');
  const sharedUrl =
    typeof opts['shared-url'] === 'string' ? opts['shared-url'] : `git+file:${shared}`;
  if (/[\s"\\$]/.test(sharedUrl))
    throw new UserError(
      `--shared-url ${JSON.stringify(sharedUrl)} must not contain spaces, quotes, backslashes or $`,
    );
  return { n, dirs: { shared, personal }, sharedUrl };
}

function refused<T>(decide: () => T): T {
  try {
    return decide();
  } catch (error) {
    if (error instanceof Refusal) throw new UserError(`refused: ${error.message}`, EXIT.failed);
    throw error;
  }
}

interface Planned {
  step: PlanStep;
  changes: StepChanges;
  heads: Both<{ sha: string; branch: string | null }>;
}

/** The step's changes, computed from both repositories' HEAD (apply.ts decides). */
async function planStep(args: Args, opts: ParsedOptions, io: Io): Promise<Planned> {
  const { n, dirs } = args;
  const { report } = await loadAnalysis(dirs.personal, opts, io);
  const plan = planFor(report, inputName(opts));
  const step = refused(() => selectStep(plan, n));
  const heads = { shared: await head(dirs.shared), personal: await head(dirs.personal) };
  const importers = report.edges.filter((e) => e.to === step.file).map((e) => e.from);
  const depDests = step.after
    .map((d) => plan.steps[d - 1]!.destination)
    .filter((d): d is string => d !== undefined);
  const personal = await readRepoFiles(dirs.personal, heads.personal.sha, [
    'flake.nix',
    step.file,
    ...importers,
  ]);
  const shared = await readRepoFiles(dirs.shared, heads.shared.sha, [
    'flake.nix',
    step.destination!,
    ...depDests,
  ]);
  const changes = refused(() =>
    planChanges({ plan, report, step: n, personal, shared, sharedUrl: args.sharedUrl }),
  );
  // The bytes about to be committed, checked before either repository changes.
  refuseSecretsInCommit(changes, { personal, shared });
  return { step, changes, heads };
}

/** Each repository's part of the step, or every reason (both repositories') it may not run. */
async function decideSides(
  dirs: Both<string>,
  heads: Planned['heads'],
  bytes: Both<Map<string, Uint8Array>>,
  messages: Both<string>,
  branch: string,
  trailer: string,
): Promise<Side[]> {
  const sides: Side[] = [];
  const refusals: (string | null)[] = [];
  for (const repo of REPOS) {
    const busy = await heldBy(dirs[repo], branch);
    const b = await branchFacts(dirs[repo], branch, trailer, bytes[repo].size);
    const decision = busy ? { refusal: busy } : branchDecision(repo, b);
    if ('refusal' in decision) refusals.push(decision.refusal);
    else
      sides.push({
        repo,
        dir: dirs[repo],
        base: heads[repo].sha,
        files: bytes[repo],
        message: messages[repo],
        action: decision.action,
      });
  }
  refuseAll(refusals);
  return sides;
}

export async function applyCommand(
  repoArg: string | undefined,
  opts: ParsedOptions,
  io: Io,
): Promise<number> {
  const args = await parseArgs(repoArg, opts, io);
  const { n, dirs } = args;
  // A killed earlier run's worktrees, branches and temporary directories
  // (only what it recorded) go first, so they are not mistaken for a user's.
  await sweepScratch();
  const swept: string[] = [];
  for (const repo of REPOS)
    swept.push(...(await sweepRecords(dirs[repo])).map((b) => `${repo}: ${b}`));
  const facts = [
    await repoFacts('shared', dirs.shared),
    await repoFacts('personal', dirs.personal),
  ];
  refuseAll(facts.map(repoRefusal));

  const { step, changes, heads } = await planStep(args, opts, io);
  const branch = `crossflake/extract-step-${n}-${step.name}`;
  const what = `move ${step.file} to ${step.output}.${step.name}`;
  const trailer = `Crossflake-Extract: ${step.file} -> ${step.output}.${step.name}`;
  // The exact bytes about to be committed in each repository. A check of
  // them (a secret scan) belongs here: nothing has been changed yet.
  const bytes = { shared: toByteMap(changes.shared), personal: toByteMap(changes.personal) };
  const messages = {
    shared: `extract step ${n}: add ${step.output}.${step.name} (from ${step.file})`,
    personal: `extract step ${n}: ${what}`,
  };
  const sides = await decideSides(dirs, heads, bytes, messages, branch, trailer);
  const proof: Proof = {
    input: inputName(opts),
    skip: opts['no-verify'] === true ? { verified: 'skipped', reason: NO_VERIFY } : null,
  };
  if (proof.skip) io.stderr.write(`crossflake extract: warning: ${NO_VERIFY}\n`);
  const { results, verification } = await applySides(sides, branch, trailer, io.env, proof);
  const moved = await movedHeads(heads, dirs);

  const noop = results.every((r) => r.status !== 'committed');
  if (opts.json === true) {
    writeEnvelope(io, 'extract', {
      step: n,
      file: step.file,
      export: `${step.output}.${step.name}`,
      noop,
      changes: changes.notes,
      results,
      verification,
      warnings: proof.skip ? [NO_VERIFY] : [],
      removedLeftovers: swept,
      checkedOutBranchesChanged: moved,
    });
    return EXIT.ok;
  }
  const lines: string[] = [];
  if (swept.length > 0)
    lines.push(`removed branches an interrupted run had made: ${swept.join(', ')}`);
  if (noop) lines.push(`step ${n} (${what}) is already applied (branch ${branch}); nothing to do`);
  else
    lines.push(
      `step ${n}: ${what}`,
      ...changes.notes.map((x) => `  ${x}`),
      ...results.map(resultLine),
      `  ${verificationLine(verification)}`,
    );
  lines.push(
    moved.length === 0
      ? `  your checked-out branches are unchanged; review with: git -C <repo> diff HEAD ${branch}`
      : `  note: the checked-out branch changed while this ran in: ${moved.join(', ')}`,
  );
  io.stdout.write(`${lines.join('\n')}\n`);
  return EXIT.ok;
}

const NO_VERIFY =
  '--no-verify: committed WITHOUT proving that the step leaves every configuration building the same derivation';

function verificationLine(v: Verification): string {
  if (v.verified === true)
    return `behaviour proven unchanged: the same drvPath before and after for ${v.configurations.join(', ')}`;
  if (v.verified === 'skipped') return `behaviour proof SKIPPED (${v.reason})`;
  if (v.verified === 'not-run') return `behaviour proof NOT RUN, so nothing is proven: ${v.reason}`;
  return describeRefusal(v);
}

function resultLine(r: RepoResult): string {
  const check = r.check ? `; flake check ${r.check.status}: ${r.check.note}` : '';
  const status =
    r.status === 'committed'
      ? `committed ${r.commit!.slice(0, 12)} on branch ${r.branch}`
      : `${r.status} (branch ${r.branch})`;
  return `  ${r.repo}: ${status}${check}`;
}

function toByteMap(files: Map<string, string>): Map<string, Uint8Array> {
  return new Map([...files].map(([path, text]) => [path, toBytes(text)]));
}

/** The repositories whose checked-out commit or branch is not what it was: the report says so. */
async function movedHeads(before: Planned['heads'], dirs: Both<string>): Promise<string[]> {
  const moved: string[] = [];
  for (const repo of REPOS) {
    const now = await head(dirs[repo]);
    if (now.sha !== before[repo].sha || now.branch !== before[repo].branch) moved.push(repo);
  }
  return moved;
}
