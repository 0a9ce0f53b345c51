// What a build records about its source: the flake reference, the local
// directory behind it (for VERSION, flake.lock and crossflake.json), the git
// revision and whether the tree had uncommitted changes.
import { readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { run } from '../io/proc.js';
import { exists } from '../io/files.js';
import type { FlakeRef } from '../io/flake-ref.js';
export { resolveFlakeRef, type FlakeRef } from '../io/flake-ref.js';
import { lockedInputs, type LockedInput } from './manifest.js';

export interface GitState {
  revision: string;
  dirty: boolean;
}

export async function gitState(dir: string): Promise<GitState | null> {
  const head = await run('git', ['-C', dir, 'rev-parse', 'HEAD'], { timeoutMs: 10_000 });
  if (head.code !== 0) return null;
  const status = await run('git', ['-C', dir, 'status', '--porcelain', '--untracked-files=no'], {
    timeoutMs: 30_000,
  });
  return {
    revision: head.stdout.toString('utf8').trim(),
    dirty: status.code !== 0 || status.stdout.toString('utf8').trim() !== '',
  };
}

/** The repository root (git top level), or the directory itself outside git. */
export async function repoRoot(dir: string): Promise<string> {
  const top = await run('git', ['-C', dir, 'rev-parse', '--show-toplevel'], { timeoutMs: 10_000 });
  return top.code === 0 ? top.stdout.toString('utf8').trim() : dir;
}

export async function readVersionFile(dir: string | null): Promise<string | null> {
  if (dir === null) return null;
  const path = join(dir, 'VERSION');
  return (await exists(path)) ? readFile(path, 'utf8') : null;
}

export async function readFlakeLock(dir: string | null): Promise<Record<string, LockedInput>> {
  if (dir === null) return {};
  try {
    return lockedInputs(JSON.parse(await readFile(join(dir, 'flake.lock'), 'utf8')));
  } catch {
    return {};
  }
}

/**
 * The flake as a manifest records it: a remote reference as given, a local
 * one relative to its repository (`.`, `./team`), since the manifest is
 * published and this machine's paths must not be.
 */
export async function publishedFlakeRef(flake: FlakeRef): Promise<string> {
  if (flake.dir === null) return flake.ref;
  const rel = relative(await repoRoot(flake.dir), flake.dir)
    .split(sep)
    .join('/');
  return rel === '' || rel.startsWith('..') ? '.' : `./${rel}`;
}
