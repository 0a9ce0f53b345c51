// Runs the offline evaluation harness (test/nix/harness) on a checkout of
// crossflake: prepares the directory the stub `pkgs.path` points at, finds
// the package names, evaluates the entries in two nix-instantiate processes
// (one per core) and, only when one fails, each remaining entry in its own
// process so every failing output is named with the module system's own
// message.
import { spawn } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { nixEnv } from '../helpers/nix.js';
import { stubPackageNames } from './harness-pkgs.js';
import { nixString, repoRoot } from './helpers.js';

/** ../shared/upstream from the project root (see its README). */
export const upstreamDir = path.resolve(repoRoot, '..', 'shared', 'upstream');
const harnessDir = path.join(repoRoot, 'test', 'nix', 'harness');

export interface EntrySummary {
  class: 'nixos' | 'nixos-config' | 'home' | 'darwin' | 'package';
  real: string[];
  transcribed: string[];
  own: string[];
  stubbed: string[];
  [extra: string]: unknown;
}

export interface HarnessResult {
  entries: Record<string, EntrySummary>;
  failures: Record<string, string>;
  /** Outputs that are data or stub derivations only (no module evaluation). */
  data: Record<string, unknown>;
}

interface Proc {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[]): Promise<Proc> {
  return new Promise((resolve) => {
    const child = spawn('nix-instantiate', args, { env: nixEnv() });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The directory `pkgs.path` points at: the stub set's default.nix next to nixpkgs-subset. */
function preparePkgsPath(dir: string, names: string[]): void {
  const namesFile = path.join(dir, 'names.json');
  writeFileSync(namesFile, JSON.stringify(names));
  const self = path.join(dir, 'pkgs');
  mkdirSync(path.join(self, 'lib', 'services'), { recursive: true });
  const template = readFileSync(path.join(harnessDir, 'pkgs-path-default.nix'), 'utf8');
  writeFileSync(
    path.join(self, 'default.nix'),
    template
      .replace('@upstream@', upstreamDir)
      .replace('@harness@', harnessDir)
      .replace('@names@', namesFile)
      .replace('@self@', self),
  );
  copyFileSync(
    path.join(harnessDir, 'pkgs-path-services-lib.nix'),
    path.join(self, 'lib', 'services', 'lib.nix'),
  );
  for (const sub of ['nixos', 'modules']) {
    symlinkSync(path.join(upstreamDir, 'nixpkgs-subset', sub), path.join(self, sub));
  }
}

function harnessExpr(root: string, pkgsPath: string, select: string): string {
  return `(import ${nixString(harnessDir)} { root = ${nixString(root)}; upstream = ${nixString(upstreamDir)}; pkgsPath = ${nixString(pkgsPath)}; }).${select}`;
}

async function evalJson(root: string, pkgsPath: string, select: string): Promise<Proc> {
  return run(['--eval', '--strict', '--json', '-E', harnessExpr(root, pkgsPath, select)]);
}

/** The first lines of nix's error, without the trace hint. */
function errorText(stderr: string): string {
  return stderr
    .split('\n')
    .filter((l) => !l.includes('--show-trace'))
    .join('\n')
    .trim();
}

/** Runs `tasks` with at most `limit` at a time (the machines have two cores). */
async function pool<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const out: T[] = new Array<T>(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const i = next++;
      out[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return out;
}

/**
 * Evaluates every harness entry of the checkout at `root`; `only` restricts
 * the run to the named entries (the defect tests).
 */
export async function runHarness(root: string, only?: string[]): Promise<HarnessResult> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'crossflake-harness-'));
  try {
    const names = stubPackageNames(
      root,
      ['nix', 'templates', 'flake.nix'],
      [
        path.join(upstreamDir, 'home-manager', 'modules'),
        path.join(upstreamDir, 'nix-darwin', 'modules'),
        path.join(upstreamDir, 'nix-darwin', 'pkgs'),
        path.join(upstreamDir, 'nixos-wsl', 'modules'),
      ],
    );
    preparePkgsPath(tmp, names);
    const pkgsPath = path.join(tmp, 'pkgs');
    const data = await evalJson(root, pkgsPath, 'data');
    if (data.code !== 0)
      throw new Error(`the harness could not list the outputs:\n${errorText(data.stderr)}`);
    const result: HarnessResult = {
      entries: {},
      failures: {},
      data: JSON.parse(data.stdout) as Record<string, unknown>,
    };
    if (!only) {
      // Fast path: the entries in two processes, one per core.
      const parts = await Promise.all([0, 1].map((i) => evalJson(root, pkgsPath, `part ${i} 2`)));
      for (const part of parts) {
        if (part.code === 0)
          Object.assign(result.entries, JSON.parse(part.stdout) as Record<string, EntrySummary>);
      }
      if (parts.every((p) => p.code === 0)) return result;
    }
    const list = await evalJson(root, pkgsPath, 'names');
    if (list.code !== 0)
      throw new Error(`the harness could not list its entries:\n${errorText(list.stderr)}`);
    const wanted = (JSON.parse(list.stdout) as string[]).filter(
      (n) => (!only || only.includes(n)) && !(n in result.entries),
    );
    const outcomes = await pool(
      wanted.map((name) => () => evalJson(root, pkgsPath, `entry ${nixString(name)}`)),
      2,
    );
    wanted.forEach((name, i) => {
      const r = outcomes[i]!;
      if (r.code === 0) result.entries[name] = JSON.parse(r.stdout) as EntrySummary;
      else result.failures[name] = errorText(r.stderr);
    });
    return result;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
