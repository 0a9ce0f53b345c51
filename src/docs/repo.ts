// The repository as docs see it: its tracked files (and their folders), file
// reading for descriptions, and the exports model from one nix eval.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../command.js';
import { run } from '../io/proc.js';
import type { NixCallOptions } from '../io/nix.js';
import { buildModel, type ExportsModel, type RepoReader } from './model.js';
import { readOutline } from './outline.js';

/** Files git tracks (plus untracked, unignored ones) and every folder above them. */
export async function repoPaths(dir: string): Promise<Set<string>> {
  const res = await run('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
    cwd: dir,
  });
  if (res.code !== 0)
    throw new UserError(
      `${dir} is not a git repository; run docs lint in the repository or pass --dir <repository>`,
    );
  const paths = new Set<string>();
  for (const file of res.stdout.toString('utf8').split('\n').filter(Boolean)) {
    const parts = file.split('/');
    for (let i = 1; i <= parts.length; i++) paths.add(parts.slice(0, i).join('/'));
  }
  return paths;
}

export function fsReader(dir: string): RepoReader {
  return {
    read(path) {
      try {
        return readFileSync(join(dir, path), 'utf8');
      } catch {
        return null;
      }
    },
    isDir(path) {
      try {
        return statSync(join(dir, path)).isDirectory();
      } catch {
        return false;
      }
    },
  };
}

export async function readExports(
  dir: string,
  options: NixCallOptions = {},
): Promise<ExportsModel> {
  return buildModel(await readOutline(dir, options), fsReader(dir));
}
