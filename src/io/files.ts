// File effects shared by commands: atomic writes (temp file + rename), copies
// whose SHA-256 is computed while the copy runs (no second pass), and tree
// walks. A crash at any point leaves either the old file or the new one,
// plus at most a temp file whose name carries TEMP_MARK so the next run can
// sweep it.
import { createRequire } from 'node:module';
import { constants, createReadStream } from 'node:fs';
import {
  chmod,
  copyFile,
  lstat,
  mkdir,
  open,
  readdir,
  rename,
  rm,
  stat,
  unlink,
  readFile,
  readlink,
} from 'node:fs/promises';
import { basename, dirname, join, posix, relative, sep } from 'node:path';
import { UserError } from '../command.js';

// node:crypto is required where a hash or a temp name is made, not imported
// with this file: loading it (OpenSSL) costs more than the rest of init's
// start-up, and init uses this file only for its path checks.
const requireBuiltin = createRequire(import.meta.url);
const crypto = (): typeof import('node:crypto') => requireBuiltin('node:crypto');

/** Every temp file crossflake creates has this in its name (and nothing else does). */
export const TEMP_MARK = '.crossflake-tmp-';

const CHUNK = 4 * 1024 * 1024;

/** A temp path beside `target`, so the final rename stays on one file system. */
export function tempPathFor(target: string): string {
  const tag = `${process.pid}-${crypto().randomBytes(4).toString('hex')}`;
  return join(dirname(target), `.${basename(target)}${TEMP_MARK}${tag}`);
}

export function isTempName(name: string): boolean {
  return name.includes(TEMP_MARK);
}

async function syncDir(dir: string): Promise<void> {
  // Makes the rename itself durable; not every platform lets a directory be opened.
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    /* best effort */
  }
}

/** Moves a finished temp file into place and makes the rename durable. */
export async function commitTemp(temp: string, target: string): Promise<void> {
  await rename(temp, target);
  await syncDir(dirname(target));
}

/**
 * A name that could lead a write outside its directory, or a link on the
 * way: refused. A UserError, so every command reports it in one line, exit 2.
 */
export class PathError extends UserError {
  override name = 'PathError';
}

// C0 and C1 controls, DEL, and the Unicode marks that reorder how a name is
// shown (U+202E makes "evil\u202Etxt.nix" display as "evilxin.txt").
// eslint-disable-next-line no-control-regex
const UNSAFE_CHAR = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

/**
 * The segments of a relative path ('/'-separated), each a plain name: never
 * empty, `.` or `..`, never a backslash (a separator on Windows), a drive
 * (`C:`) or a control or bidirectional character.
 */
export function safeSegments(rel: string): string[] {
  const show = JSON.stringify(rel);
  if (rel === '' || rel.startsWith('/')) throw new PathError(`${show} is not a relative path`);
  const parts = rel.split('/');
  for (const part of parts) {
    if (part === '' || part === '.' || part === '..')
      throw new PathError(`${show} has an empty, "." or ".." segment`);
    if (part.includes('\\') || /^[A-Za-z]:/.test(part))
      throw new PathError(`${show} has a backslash or a drive letter`);
    if (UNSAFE_CHAR.test(part))
      throw new PathError(`${show} has a control or bidirectional-text character`);
  }
  return parts;
}

/** `rel` (checked by safeSegments) inside `root`. */
export function pathInside(root: string, rel: string): string {
  return join(root, ...safeSegments(rel));
}

async function lstatOrNull(path: string): Promise<Awaited<ReturnType<typeof lstat>> | null> {
  try {
    return await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

async function refuseLink(path: string, info: Awaited<ReturnType<typeof lstat>>): Promise<void> {
  if (!info.isSymbolicLink()) return;
  const to = await readlink(path).catch(() => '?');
  throw new PathError(
    `${path} is a symbolic link (to ${to}); crossflake does not write through links: remove it or write elsewhere`,
  );
}

/**
 * Refuses when any existing component of `rel` below `root` (the last one
 * included) is a symbolic link, naming it; checked without following links.
 */
export async function refuseLinksBelow(root: string, rel: string): Promise<void> {
  let path = root;
  const parts = safeSegments(rel);
  for (const [i, part] of parts.entries()) {
    path = join(path, part);
    const info = await lstatOrNull(path);
    if (!info) return;
    await refuseLink(path, info);
    if (i < parts.length - 1 && !info.isDirectory())
      throw new PathError(`${path} is not a directory`);
  }
}

/**
 * Makes the directory `rel` below `root` one component at a time, checking
 * each without following links, so it never creates anything through one.
 */
export async function mkdirInside(root: string, rel: string): Promise<string> {
  let path = root;
  for (const part of rel === '' ? [] : safeSegments(rel)) {
    path = join(path, part);
    let info = await lstatOrNull(path);
    if (!info) {
      await mkdir(path).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'EEXIST') throw error;
      });
      info = await lstat(path);
    }
    await refuseLink(path, info);
    if (!info.isDirectory()) throw new PathError(`${path} is not a directory`);
  }
  return path;
}

/** The parent directory of `target`, made without following a link below `within` when given. */
async function parentFor(target: string, within: string | undefined): Promise<void> {
  if (within === undefined) {
    await mkdir(dirname(target), { recursive: true });
    return;
  }
  const rel = relative(within, target).split(sep).join('/');
  await refuseLinksBelow(within, rel);
  await mkdirInside(within, posix.dirname(rel) === '.' ? '' : posix.dirname(rel));
  if ((await lstatOrNull(target))?.isDirectory())
    throw new PathError(`${target} is a directory; a file cannot replace it`);
}

/**
 * Writes `data` to `target` atomically: readers see the old or the new
 * content, never half. With `within`, `target` must lie below that directory
 * and no component between them may be a symbolic link.
 */
export async function writeFileAtomic(
  target: string,
  data: string | Uint8Array,
  options: { mode?: number; within?: string } = {},
): Promise<void> {
  await parentFor(target, options.within);
  const temp = tempPathFor(target);
  const handle = await open(temp, 'wx', options.mode ?? 0o644);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await commitTemp(temp, target);
  } catch (error) {
    // The target could not be replaced (a directory, a vanished parent): the
    // temp file is ours and must not stay behind.
    await rm(temp, { force: true });
    throw error;
  }
}

export interface HashedFile {
  size: number;
  sha256: string;
}

export interface CopyOptions {
  /** Called after each chunk with the bytes copied so far. */
  onProgress?: (bytes: number) => void;
  mode?: number;
  /**
   * fsync before the rename (default true). Callers that re-verify the
   * sha256 before trusting the file again may skip it: flushing a multi-GiB
   * artifact costs seconds, and a file lost to a power cut is caught by the
   * hash check and copied again.
   */
  durable?: boolean;
  /** As for writeFileAtomic: the target lies below it, reached through no link. */
  within?: string;
}

/**
 * Copies `source` to `target` and returns its SHA-256 in the time of one
 * pass: the kernel copies (copy_file_range, or a reflink/clone on
 * copy-on-write file systems) while this thread hashes the same bytes as
 * they are read; nothing is read back afterwards. Measured against a
 * user-space read-hash-write loop, this stays fast when the disk is busy
 * flushing other writes. The copy goes to a temp name, is checked for
 * length, and is renamed only when complete.
 */
export async function copyFileHashing(
  source: string,
  target: string,
  options: CopyOptions = {},
): Promise<HashedFile> {
  await parentFor(target, options.within);
  const temp = tempPathFor(target);
  try {
    const [, hashed] = await Promise.all([
      copyFile(source, temp, constants.COPYFILE_EXCL | constants.COPYFILE_FICLONE),
      hashFile(source, options.onProgress),
    ]);
    const copied = await stat(temp);
    if (copied.size !== hashed.size) {
      throw new Error(`copy of ${source} is ${copied.size} bytes, expected ${hashed.size}`);
    }
    // Store files are read-only; the exported artifact belongs to the user.
    await chmod(temp, options.mode ?? 0o644);
    if (options.durable !== false) {
      const handle = await open(temp, 'r+');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
    await commitTemp(temp, target);
    return hashed;
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** SHA-256 and size of a file, streamed. */
export async function hashFile(
  path: string,
  onProgress?: (bytes: number) => void,
): Promise<HashedFile> {
  const hash = crypto().createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK })) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
    onProgress?.(size);
  }
  return { size, sha256: hash.digest('hex') };
}

export interface WalkEntry {
  /** Path relative to the walked root, with '/' separators. */
  path: string;
  type: 'file' | 'dir' | 'symlink' | 'other';
  size: number;
}

/** Every entry under `root` (not following symlinks); names sorted within a directory. */
export async function* walkTree(root: string): AsyncGenerator<WalkEntry> {
  const top = await lstat(root);
  if (!top.isDirectory()) {
    yield { path: '', type: kindOf(top), size: top.size };
    return;
  }
  const stack: string[] = [root];
  while (stack.length > 0) {
    const dir = stack.pop() as string;
    for (const name of (await readdir(dir)).sort()) {
      const full = join(dir, name);
      const info = await lstat(full);
      const rel = relative(root, full).split('\\').join('/');
      yield { path: rel, type: kindOf(info), size: info.size };
      if (info.isDirectory()) stack.push(full);
    }
  }
}

function kindOf(info: Awaited<ReturnType<typeof lstat>>): WalkEntry['type'] {
  if (info.isFile()) return 'file';
  if (info.isDirectory()) return 'dir';
  return info.isSymbolicLink() ? 'symlink' : 'other';
}

/** Deletes temp files an interrupted run left under `root`; returns what it removed. */
export async function sweepTempFiles(root: string): Promise<string[]> {
  if (!(await exists(root))) return [];
  const removed: string[] = [];
  for await (const entry of walkTree(root)) {
    if (entry.type !== 'dir' && isTempName(basename(entry.path))) {
      await unlink(join(root, entry.path));
      removed.push(entry.path);
    }
  }
  return removed;
}

/**
 * Whether the process that left a temp file or record is still running (its
 * debris is then not debris). This process's own pid means an earlier
 * process that had the same pid, long gone.
 */
export function processAlive(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A text file's content, or null when it does not exist (other errors throw). */
export async function readTextOrNull(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

export async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
