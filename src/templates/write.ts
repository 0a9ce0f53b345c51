// Writing a rendered template without ever leaving half of it behind: every
// file goes into a temporary directory beside the target, and the directory
// is renamed into place at the end (one rename, atomic on one file system).
// A run that is killed leaves only its temporary directory, which the next
// run removes once its process is gone.
// Synchronous calls: a template is a handful of small files, init waits for
// each step anyway, and node:fs/promises alone (its file handles bring
// readline and the watchers) costs more start-up than the whole write.
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, posix, resolve } from 'node:path';
import {
  mkdirInside,
  PathError,
  pathInside,
  processAlive,
  refuseLinksBelow,
} from '../io/files.js';
import { killPoint } from '../io/kill-point.js';
import type { FileTree } from './types.js';

export const TEMP_MARK = '.crossflake-init-';

/** A target init cannot write: one line for the user, exit 2 (their input) or 1 (the machine). */
export class TargetError extends Error {
  override name = 'TargetError';
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 2,
  ) {
    super(message);
  }
}

// A temp name is the target's name plus about 30 characters; a long (valid)
// target name is cut so the temp name stays under the 255-byte limit.
const TEMP_NAME_KEEP = 120;

function tempPrefix(target: string): string {
  return `.${basename(target).slice(0, TEMP_NAME_KEEP)}${TEMP_MARK}`;
}

/** The file system's refusals, as one line naming the path and what to do. */
export function explainWriteError(error: unknown, target: string): TargetError | null {
  const e = error as NodeJS.ErrnoException;
  // The temp directory is an implementation detail; its parent is what the user can fix.
  const at = e.path && !e.path.includes(TEMP_MARK) ? e.path : dirname(target);
  switch (e.code) {
    case 'ENAMETOOLONG':
      return new TargetError(`${target}: a name in this path is too long; choose a shorter one`);
    case 'EISDIR':
      return new TargetError(`${at}: a directory is where the template has a file`);
    case 'ENOTDIR':
      return new TargetError(`${at}: a part of this path is a file, not a directory`);
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new TargetError(
        `cannot write in ${at} (${e.code}); choose a directory you can write to`,
        1,
      );
    case 'ENOSPC':
    case 'EDQUOT':
      return new TargetError(`no space left to write ${target}; free some and run again`, 1);
    default:
      return null;
  }
}

export interface WriteOptions {
  /** Write into a non-empty directory, replacing files the template also has. */
  force?: boolean;
  /** The process's working directory: never renamed over, even when empty. */
  cwd?: string;
}

export interface WriteResult {
  target: string;
  /** "created": renamed into place; "merged": files moved one by one into an existing directory. */
  mode: 'created' | 'merged';
  files: string[];
  /** Files that existed and were replaced (only with force). */
  replaced: string[];
  /** Temporary directories of earlier, killed runs that were removed. */
  staleRemoved: string[];
}

type TargetState = 'absent' | 'empty' | 'non-empty';

function targetState(target: string): TargetState {
  let info;
  try {
    info = lstatSync(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
    throw error;
  }
  if (info.isSymbolicLink()) {
    throw new TargetError(`${target} is a symbolic link; give the directory it points to`);
  }
  if (!info.isDirectory()) throw new TargetError(`${target} exists and is not a directory`);
  return readdirSync(target).length === 0 ? 'empty' : 'non-empty';
}

/** Removes `.<name>.crossflake-init-<pid>-*` beside the target whose process is gone. */
export async function removeStaleTemps(target: string): Promise<string[]> {
  const parent = dirname(target);
  const prefix = tempPrefix(target);
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number.parseInt(name.slice(prefix.length), 10);
    if (Number.isInteger(pid) && processAlive(pid)) continue;
    rmSync(join(parent, name), { recursive: true, force: true });
    removed.push(join(parent, name));
  }
  return removed;
}

function writeAll(root: string, files: FileTree): void {
  const paths = [...files.keys()].map((path) => pathInside(root, path));
  for (const dir of new Set(paths.map((p) => dirname(p)))) mkdirSync(dir, { recursive: true });
  for (const [i, text] of [...files.values()].entries()) {
    writeFileSync(paths[i] as string, text, { flag: 'wx' });
    killPoint('init-write');
  }
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

// Into an existing directory: each file is renamed into place on its own, so
// every file is whole, though the set is complete only at the end. No path is
// written through a symbolic link: all are checked before the first rename,
// and each again (with its directories made one by one) right before its own.
async function mergeInto(temp: string, target: string, files: FileTree): Promise<string[]> {
  for (const path of files.keys()) await refuseLinksBelow(target, path);
  const replaced: string[] = [];
  for (const path of files.keys()) {
    const destination = pathInside(target, path);
    await mkdirInside(target, posix.dirname(path) === '.' ? '' : posix.dirname(path));
    await refuseLinksBelow(target, path);
    if (exists(destination)) replaced.push(path);
    renameSync(pathInside(temp, path), destination);
  }
  return replaced;
}

export async function placeTree(temp: string, target: string, state: TargetState): Promise<void> {
  try {
    renameSync(temp, target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // POSIX renames over an empty directory; other systems refuse it.
    if (state === 'empty' && code !== 'ENOTEMPTY') {
      try {
        rmdirSync(target);
      } catch {
        // Gone or filled meanwhile: the rename below says which.
      }
      try {
        renameSync(temp, target);
      } catch (again) {
        raceOr(again, target);
      }
      return;
    }
    raceOr(error, target);
  }
}

/** Another process (a second init) filled the target while this one ran: nothing was written. */
function raceOr(error: unknown, target: string): never {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOTEMPTY' || code === 'EEXIST')
    throw new TargetError(
      `${target} was filled by another process while init ran; nothing written: check what is in it, then run again (with --force to write into it)`,
      1,
    );
  throw error;
}

/**
 * Writes the files under target atomically; refuses a non-empty target
 * without force. Every refusal, the file system's included, is a TargetError.
 */
export async function writeTree(
  targetPath: string,
  files: FileTree,
  options: WriteOptions = {},
): Promise<WriteResult> {
  const target = resolve(targetPath);
  try {
    return await writeTreeAt(target, files, options);
  } catch (error) {
    if (error instanceof PathError) throw new TargetError(error.message);
    throw explainWriteError(error, target) ?? error;
  }
}

async function writeTreeAt(
  target: string,
  files: FileTree,
  options: WriteOptions,
): Promise<WriteResult> {
  const parent = dirname(target);
  mkdirSync(parent, { recursive: true });
  const staleRemoved = await removeStaleTemps(target);
  const state = targetState(target);
  if (state === 'non-empty' && !options.force) {
    throw new TargetError(`${target} is not empty; use --force to write into it anyway`);
  }
  const merge = state === 'non-empty' || (options.cwd !== undefined && resolve(options.cwd) === target);
  const temp = mkdtempSync(join(parent, `${tempPrefix(target)}${process.pid}-`));
  try {
    writeAll(temp, files);
    // mkdtemp makes the directory private (0700); a configuration is not.
    chmodSync(temp, 0o755);
    let replaced: string[] = [];
    killPoint('init-rename');
    if (merge) replaced = await mergeInto(temp, target, files);
    else await placeTree(temp, target, state);
    killPoint('init-renamed');
    return {
      target,
      mode: merge ? 'merged' : 'created',
      files: [...files.keys()],
      replaced,
      staleRemoved,
    };
  } finally {
    // Renamed into place, the temp directory is gone (and Node's recursive
    // removal code need not load); else what is left of it goes.
    if (exists(temp)) rmSync(temp, { recursive: true, force: true });
  }
}
