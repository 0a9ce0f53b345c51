// Lists and reads every .nix file of a repository (the only file reading
// extract analyze does). Directories that never hold a user's configuration
// are pruned.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

// .cache: tool caches (this repository keeps its Node binaries and Wine prefix there).
const SKIP_DIRS = new Set(['.git', 'node_modules', '.direnv', 'result', '.jj', '.hg', '.cache']);

export interface ScannedFile {
  /** Relative to the root, '/'-separated. */
  path: string;
  bytes: Uint8Array;
}

/**
 * What `stat` says about a file: enough to tell that it was not touched since
 * it was last hashed, as git's index does (ctime changes on every write and
 * cannot be set back by a program).
 */
export interface FileStamp {
  path: string;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
}

export function isDirectory(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

/** Every .nix file under `root`, relative and '/'-separated, sorted. */
export function listNixFiles(root: string): string[] {
  const paths: string[] = [];
  const stack = [''];
  while (stack.length > 0) {
    const rel = stack.pop()!;
    const entries = readdirSync(join(root, rel), { withFileTypes: true });
    for (const entry of entries) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name) && !entry.name.startsWith('result-')) stack.push(child);
      } else if (entry.isFile() && entry.name.endsWith('.nix')) {
        paths.push(child);
      }
    }
  }
  return paths.sort();
}

// Synchronous on purpose: thousands of small files read and stat faster one
// after the other than through thousands of promises.
export function readNixFiles(root: string, paths: string[]): ScannedFile[] {
  return paths.map((path) => ({ path, bytes: readFileSync(join(root, path)) }));
}

export function stampNixFiles(root: string, paths: string[]): FileStamp[] {
  // Plain concatenation: path.join's normalising costs more than the stat
  // on thousands of files, and `path` is already clean ('/' works on Windows).
  const base = root.endsWith('/') || root.endsWith('\\') ? root : `${root}/`;
  return paths.map((path) => {
    const s = statSync(base + path);
    return { path, size: s.size, mtimeMs: s.mtimeMs, ctimeMs: s.ctimeMs, ino: s.ino };
  });
}

export function scanNixFiles(root: string): Promise<ScannedFile[]> {
  return Promise.resolve(readNixFiles(root, listNixFiles(root)));
}
