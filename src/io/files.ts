// File effects shared by commands: atomic writes (temp file + rename), copies
// whose SHA-256 is computed while the copy runs (no second pass), and tree
// walks. A crash at any point leaves either the old file or the new one,
// plus at most a temp file whose name carries TEMP_MARK so the next run can
// sweep it.
import { createHash, randomBytes } from 'node:crypto';
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
} from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';

/** Every temp file crossflake creates has this in its name (and nothing else does). */
export const TEMP_MARK = '.crossflake-tmp-';

const CHUNK = 4 * 1024 * 1024;

/** A temp path beside `target`, so the final rename stays on one file system. */
export function tempPathFor(target: string): string {
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
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

/** Writes `data` to `target` atomically: readers see the old or the new content, never half. */
export async function writeFileAtomic(
  target: string,
  data: string | Uint8Array,
  options: { mode?: number } = {},
): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
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
  await mkdir(dirname(target), { recursive: true });
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
  const hash = createHash('sha256');
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
