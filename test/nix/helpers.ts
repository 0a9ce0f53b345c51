// Helpers for the tests of the shared flake: the repository root, offline
// nix-instantiate evaluation of the pure Nix library, and a scratch copy of
// the flake (only the files it needs, so `path:` flakes stay small).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { nixEnv } from '../helpers/nix.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface NixResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runNix(cmd: string, args: string[], cwd = repoRoot): NixResult {
  const r = spawnSync(cmd, args, { cwd, env: nixEnv(), encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Evaluates `expr` (a function of one argument `args`) applied to `args`,
 * strictly, as JSON, with nix-instantiate and no nixpkgs anywhere.
 */
export function evalPure(expr: string, args: unknown = {}): NixResult {
  const json = nixString(JSON.stringify(args));
  return runNix('nix-instantiate', [
    '--eval',
    '--strict',
    '--json',
    '-E',
    `let args = builtins.fromJSON ${json}; in ${expr}`,
  ]);
}

/** A Nix string literal holding `text` verbatim. */
export function nixString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\$\{/g, '\\${')}"`;
}

export function evalPureJson<T>(expr: string, args: unknown = {}): T {
  const r = evalPure(expr, args);
  if (r.code !== 0) throw new Error(`nix-instantiate failed (${r.code}):\n${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

/** Absolute path of a repository file, for use inside a Nix expression. */
export function nixPath(rel: string): string {
  return path.join(repoRoot, rel);
}

/** Copies flake.nix, flake.lock, nix/, data/ and templates/ (checks render them) into a fresh temp dir. */
export function scratchFlake(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'crossflake-flake-'));
  for (const entry of ['flake.nix', 'flake.lock', 'nix', 'data', 'templates']) {
    cpSync(path.join(repoRoot, entry), path.join(dir, entry), { recursive: true });
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Every file below `dir` (relative to the repo root) whose name passes `keep`. */
export function walkFiles(dir: string, keep: (file: string) => boolean): string[] {
  const root = path.join(repoRoot, dir);
  const out: string[] = [];
  const visit = (abs: string): void => {
    for (const name of readdirSync(abs)) {
      const child = path.join(abs, name);
      if (statSync(child).isDirectory()) visit(child);
      else if (keep(child)) out.push(path.relative(repoRoot, child));
    }
  };
  visit(root);
  return out.sort();
}
