// Writing a rendered template without ever leaving half of it behind: every
// file goes into a temporary directory beside the target, and the directory
// is renamed into place at the end (one rename, atomic on one file system).
// A run that is killed leaves only its temporary directory, which the next
// run removes once its process is gone.
import { chmod, lstat, mkdir, mkdtemp, readdir, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { processAlive } from '../io/files.js';
import { killPoint } from '../io/kill-point.js';
import type { FileTree } from './types.js';

export const TEMP_MARK = '.crossflake-init-';

export class TargetError extends Error {
  override name = 'TargetError';
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

async function targetState(target: string): Promise<TargetState> {
  let info;
  try {
    info = await lstat(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
    throw error;
  }
  if (info.isSymbolicLink()) {
    throw new TargetError(`${target} is a symbolic link; give the directory it points to`);
  }
  if (!info.isDirectory()) throw new TargetError(`${target} exists and is not a directory`);
  return (await readdir(target)).length === 0 ? 'empty' : 'non-empty';
}

/** Removes `.<name>.crossflake-init-<pid>-*` beside the target whose process is gone. */
export async function removeStaleTemps(target: string): Promise<string[]> {
  const parent = dirname(target);
  const prefix = `.${basename(target)}${TEMP_MARK}`;
  let names: string[];
  try {
    names = await readdir(parent);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number.parseInt(name.slice(prefix.length), 10);
    if (Number.isInteger(pid) && processAlive(pid)) continue;
    await rm(join(parent, name), { recursive: true, force: true });
    removed.push(join(parent, name));
  }
  return removed;
}

const WRITE_CONCURRENCY = 16;

async function writeAll(root: string, files: FileTree): Promise<void> {
  const paths = [...files.keys()].map((path) => join(root, ...path.split('/')));
  for (const dir of new Set(paths.map((p) => dirname(p)))) await mkdir(dir, { recursive: true });
  const texts = [...files.values()];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < paths.length) {
      const i = next++;
      await writeFile(paths[i] as string, texts[i] as string, { flag: 'wx' });
      killPoint('init-write');
    }
  };
  await Promise.all(Array.from({ length: Math.min(WRITE_CONCURRENCY, paths.length) }, worker));
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

// Into an existing directory: each file is renamed into place on its own, so
// every file is whole, though the set is complete only at the end.
async function mergeInto(temp: string, target: string, files: FileTree): Promise<string[]> {
  const replaced: string[] = [];
  for (const path of files.keys()) {
    const parts = path.split('/');
    const destination = join(target, ...parts);
    if (await exists(destination)) replaced.push(path);
    await mkdir(dirname(destination), { recursive: true });
    await rename(join(temp, ...parts), destination);
  }
  return replaced;
}

async function renameIntoPlace(temp: string, target: string, state: TargetState): Promise<void> {
  try {
    await rename(temp, target);
  } catch (error) {
    // POSIX renames over an empty directory; other systems refuse it.
    if (state !== 'empty') throw error;
    await rmdir(target);
    await rename(temp, target);
  }
}

/** Writes the files under target atomically; refuses a non-empty target without force. */
export async function writeTree(
  targetPath: string,
  files: FileTree,
  options: WriteOptions = {},
): Promise<WriteResult> {
  const target = resolve(targetPath);
  const parent = dirname(target);
  await mkdir(parent, { recursive: true });
  const staleRemoved = await removeStaleTemps(target);
  const state = await targetState(target);
  if (state === 'non-empty' && !options.force) {
    throw new TargetError(`${target} is not empty; use --force to write into it anyway`);
  }
  const merge = state === 'non-empty' || (options.cwd !== undefined && resolve(options.cwd) === target);
  const temp = await mkdtemp(join(parent, `.${basename(target)}${TEMP_MARK}${process.pid}-`));
  try {
    await writeAll(temp, files);
    // mkdtemp makes the directory private (0700); a configuration is not.
    await chmod(temp, 0o755);
    let replaced: string[] = [];
    killPoint('init-rename');
    if (merge) replaced = await mergeInto(temp, target, files);
    else await renameIntoPlace(temp, target, state);
    killPoint('init-renamed');
    return {
      target,
      mode: merge ? 'merged' : 'created',
      files: [...files.keys()],
      replaced,
      staleRemoved,
    };
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}
