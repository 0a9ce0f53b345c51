// The files a download writes (the partial file, its record, the final
// artifact) are checked without following links: a link planted at one of
// those names would make the download grow or replace a file elsewhere.
import { constants } from 'node:fs';
import { lstat, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { EXIT, UserError } from '../../command.js';
import { printable } from '../../ui/printable.js';

export type Kind = 'missing' | 'file' | 'dir' | 'link' | 'other';

export async function kindOf(path: string): Promise<Kind> {
  try {
    const info = await lstat(path);
    if (info.isSymbolicLink()) return 'link';
    if (info.isFile()) return 'file';
    return info.isDirectory() ? 'dir' : 'other';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw error;
  }
}

/** Refuses unless `path` is absent or a regular file (never a link, directory or device). */
export async function requirePlainFileOrNothing(path: string, role: string): Promise<Kind> {
  const kind = await kindOf(path);
  if (kind === 'link') {
    throw new UserError(
      `${printable(path)} (${role}) is a symbolic link; crossflake never writes through one: remove the link and run again`,
      EXIT.failed,
    );
  }
  if (kind === 'dir' || kind === 'other') {
    const what = kind === 'dir' ? 'a directory' : 'not a regular file';
    throw new UserError(
      `${printable(path)} (${role}) is ${what}; move it away or choose another --to`,
      EXIT.failed,
    );
  }
  return kind;
}

/** open() flags that refuse a link at the last path component (where the platform has it). */
export const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;

const PARTIAL = /^\.(.+)\.crossflake-partial$/;
const RECORD = /^\.(.+)\.crossflake-partial\.json$/;

export function isPartialName(name: string): boolean {
  return PARTIAL.test(name);
}

/**
 * Removes the records of partial downloads whose partial file is gone (a run
 * killed between writing the record and the first byte). Only regular files
 * with crossflake's own names are touched.
 */
export async function sweepOrphanRecords(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const present = new Set(names);
  const removed: string[] = [];
  for (const name of names) {
    const m = RECORD.exec(name);
    if (!m || present.has(`.${m[1]}.crossflake-partial`)) continue;
    if ((await kindOf(join(dir, name))) !== 'file') continue;
    await unlink(join(dir, name)).catch(() => undefined);
    removed.push(name);
  }
  return removed;
}
