// File effects shared by commands: atomic writes (temp file + rename), copying
// with the SHA-256 computed in the same pass, and tree walks. A crash at any
// point leaves either the old file or the new one, plus at most a temp file
// whose name carries TEMP_MARK so the next run can sweep it.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, mkdir, open, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
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
  await commitTemp(temp, target);
}

export interface HashedFile {
  size: number;
  sha256: string;
}

export interface CopyOptions {
  /** Called after each chunk with the bytes copied so far. */
  onProgress?: (bytes: number) => void;
  mode?: number;
}

/**
 * Copies `source` to `target` and returns its SHA-256, reading the source once:
 * each chunk is hashed while the previous one is being written. The copy goes
 * to a temp name and is renamed only when complete and synced.
 */
export async function copyFileHashing(
  source: string,
  target: string,
  options: CopyOptions = {},
): Promise<HashedFile> {
  await mkdir(dirname(target), { recursive: true });
  const temp = tempPathFor(target);
  const out = await open(temp, 'wx', options.mode ?? 0o644);
  const hash = createHash('sha256');
  let size = 0;
  try {
    let pending: Promise<unknown> = Promise.resolve();
    for await (const chunk of createReadStream(source, { highWaterMark: CHUNK })) {
      const buffer = chunk as Buffer;
      await pending;
      pending = out.write(buffer, 0, buffer.length, size);
      hash.update(buffer);
      size += buffer.length;
      options.onProgress?.(size);
    }
    await pending;
    await out.sync();
  } catch (error) {
    await out.close();
    await rm(temp, { force: true });
    throw error;
  }
  await out.close();
  await commitTemp(temp, target);
  return { size, sha256: hash.digest('hex') };
}

/** SHA-256 and size of a file, streamed. */
export async function hashFile(path: string): Promise<HashedFile> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK })) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
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

export async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
