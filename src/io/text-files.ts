// Reads the text files of a tree for a scan (check's leak scan): regular
// files only (links are not followed out of the tree), small enough to read
// whole, and not binary (a NUL byte in the first block).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { walkTree } from './files.js';

export interface TextFile {
  /** Relative to the root, '/'-separated. */
  path: string;
  bytes: Buffer;
}

export const TEXT_SCAN_LIMIT = 4 * 1024 * 1024;

export function isBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, 8192).includes(0);
}

/** Text files under `root` that `keep` accepts; `tooLarge` gets the paths over the limit. */
export async function readTextFiles(
  root: string,
  keep: (path: string) => boolean,
  tooLarge: (path: string) => void = () => undefined,
): Promise<TextFile[]> {
  const out: TextFile[] = [];
  for await (const entry of walkTree(root)) {
    if (entry.type !== 'file' || !keep(entry.path)) continue;
    if (entry.size > TEXT_SCAN_LIMIT) {
      tooLarge(entry.path);
      continue;
    }
    const bytes = await readFile(join(root, entry.path));
    if (!isBinary(bytes)) out.push({ path: entry.path, bytes });
  }
  return out;
}
