// What `extract apply` makes, it records first, and only what it recorded it
// ever removes. Before creating a step branch and its temporary worktree, a
// record (pid, branch, base, worktree path) is created exclusively in the
// repository's git directory; it doubles as a lock against a concurrent run
// of the same step. A run killed at any moment leaves its record, so the next
// run can tell its own leftovers from a user's branch or worktree that only
// looks like one: a user's worktree is never removed, a branch is deleted
// only when it is still at the recorded base and checked out nowhere.
import { randomBytes } from 'node:crypto';
import { link, mkdir, readdir, readFile, realpath, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { processAlive } from '../io/files.js';
import { branchHasTrailer, branchSha, commonGitDir, git, worktrees } from '../io/git.js';

export interface OwnRecord {
  pid: number;
  branch: string;
  /** The commit the branch was created at. */
  base: string;
  /** The temporary worktree crossflake adds for the branch. */
  worktree: string;
  /** The temporary directory holding the worktree. */
  scratch: string;
  trailer: string;
}

/** Temporary directories of `extract apply`: `crossflake-extract-<pid>-XXXXXX`. */
export const SCRATCH_PREFIX = 'crossflake-extract-';
const SCRATCH_NAME = /^crossflake-extract-(\d+)-[A-Za-z0-9]{6}$/;

export class Busy extends Error {
  override name = 'Busy';
}

function recordsDir(gitDir: string): string {
  return join(gitDir, 'crossflake-extract');
}

function recordPath(gitDir: string, branch: string): string {
  return join(recordsDir(gitDir), `${encodeURIComponent(branch)}.json`);
}

async function samePath(a: string, b: string): Promise<boolean> {
  if (resolve(a) === resolve(b)) return true;
  const real = async (p: string) => realpath(p).catch(() => resolve(p));
  return (await real(a)) === (await real(b));
}

async function readRecord(path: string): Promise<OwnRecord | null> {
  try {
    const value = JSON.parse(await readFile(path, 'utf8')) as Partial<OwnRecord>;
    const ok =
      typeof value.pid === 'number' &&
      typeof value.branch === 'string' &&
      typeof value.base === 'string' &&
      typeof value.worktree === 'string' &&
      typeof value.scratch === 'string' &&
      typeof value.trailer === 'string';
    return ok ? (value as OwnRecord) : null;
  } catch {
    return null;
  }
}

/**
 * Removes what a finished or killed run recorded in this repository: its
 * worktree (only at the recorded path), its branch (only while at the
 * recorded base, without the step's commit, checked out nowhere), its
 * temporary directory, then the record. Returns the branches it deleted.
 */
async function undo(dir: string, gitDir: string, record: OwnRecord): Promise<string[]> {
  for (const wt of await worktrees(dir)) {
    if (wt.branch === record.branch && (await samePath(wt.path, record.worktree))) {
      // Force is safe here: this worktree is the one crossflake added.
      await git(dir, ['worktree', 'remove', '--force', wt.path]);
    }
  }
  const removed: string[] = [];
  const sha = await branchSha(dir, record.branch);
  const checkedOut = (await worktrees(dir)).some((w) => w.branch === record.branch);
  if (
    sha === record.base &&
    !checkedOut &&
    !(await branchHasTrailer(dir, record.branch, record.trailer))
  ) {
    await git(dir, ['branch', '-D', record.branch]);
    removed.push(record.branch);
  }
  if (SCRATCH_NAME.test(basename(record.scratch)))
    await rm(record.scratch, { recursive: true, force: true });
  await unlink(recordPath(gitDir, record.branch)).catch(() => undefined);
  return removed;
}

/** Undoes every record a run that is no longer alive left in this repository. */
export async function sweepRecords(dir: string): Promise<string[]> {
  const gitDir = await commonGitDir(dir);
  let names: string[];
  try {
    names = await readdir(recordsDir(gitDir));
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names.filter((n) => n.endsWith('.tmp'))) {
    const pid = Number(/\.(\d+)-[0-9a-f]{8}\.tmp$/.exec(name)?.[1]);
    // A record half-made by a killed run: never linked, so it claims nothing.
    if (pid && !processAlive(pid))
      await unlink(join(recordsDir(gitDir), name)).catch(() => undefined);
  }
  for (const name of names.filter((n) => n.endsWith('.json'))) {
    const path = join(recordsDir(gitDir), name);
    const record = await readRecord(path);
    // A record that cannot be read names nothing crossflake could remove.
    if (!record) await unlink(path).catch(() => undefined);
    else if (!processAlive(record.pid)) {
      // A record that cannot be undone now stays for the next run; what it
      // names then refuses the step with its own one-line reason.
      removed.push(...(await undo(dir, gitDir, record).catch(() => [])));
    }
  }
  return removed;
}

/** Deletes `crossflake-extract-<pid>-*` temporary directories whose process is gone. */
export async function sweepScratch(root = tmpdir()): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(root);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = SCRATCH_NAME.exec(name);
    if (!m || processAlive(Number(m[1]))) continue;
    // Another user's directory in a shared /tmp cannot be removed: not ours to report.
    const gone = await rm(join(root, name), { recursive: true, force: true }).then(
      () => true,
      () => false,
    );
    if (gone) removed.push(join(root, name));
  }
  return removed;
}

/** The refusal when a live run holds the record of `branch` in this repository, or null. */
export async function heldBy(dir: string, branch: string): Promise<string | null> {
  const path = recordPath(await commonGitDir(dir), branch);
  const record = await readRecord(path);
  return record && processAlive(record.pid) ? busyMessage(record.pid, dir, path) : null;
}

function busyMessage(pid: number | string, dir: string, path: string): string {
  return `another crossflake extract apply (pid ${pid}) is applying this step in ${dir}; wait for it, or if no such process runs, delete ${path}`;
}

/**
 * Records, exclusively, that this run is about to make `record.branch` and
 * its worktree. A live run holding the same record is refused (Busy).
 */
export async function claim(dir: string, record: OwnRecord): Promise<() => Promise<string[]>> {
  const gitDir = await commonGitDir(dir);
  await mkdir(recordsDir(gitDir), { recursive: true });
  const path = recordPath(gitDir, record.branch);
  const temp = `${path}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temp, `${JSON.stringify(record)}\n`, { flag: 'wx' });
  try {
    // link() fails when the record exists: an exclusive, atomic create of a whole file.
    await link(temp, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const other = await readRecord(path);
    throw new Busy(busyMessage(other?.pid ?? '?', dir, path));
  } finally {
    await unlink(temp).catch(() => undefined);
  }
  return () => undo(dir, gitDir, record);
}
