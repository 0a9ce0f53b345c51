// Reads every .nix file of a repository (the only file reading extract analyze
// does). Directories that never hold a user's configuration are pruned.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const SKIP_DIRS = new Set(['.git', 'node_modules', '.direnv', 'result', '.jj', '.hg']);

export interface ScannedFile {
  /** Relative to the root, '/'-separated. */
  path: string;
  bytes: Uint8Array;
}

// Synchronous on purpose: thousands of small files read faster one after the
// other than through thousands of promises.
export function scanNixFiles(root: string): Promise<ScannedFile[]> {
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
  paths.sort();
  return Promise.resolve(paths.map((path) => ({ path, bytes: readFileSync(join(root, path)) })));
}
