// Typed calls of the real nix CLI. Every evaluation and build crossflake does
// goes through here, with argument arrays; errors carry the command and the
// last lines of nix's stderr so the user sees what nix said.
import { run, type RunOptions, type RunResult } from './proc.js';

export interface NixCallOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  timeoutMs?: number;
  /** Extra flags placed before the subcommand's own arguments (e.g. --option k v). */
  extraArgs?: string[];
  /** The nix binary; tests and users can point at another one. */
  nixBin?: string;
}

export class NixError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly result: RunResult,
  ) {
    super(describeFailure(args, result));
    this.name = 'NixError';
  }

  get stderr(): string {
    return this.result.stderr.toString('utf8');
  }
}

function describeFailure(args: readonly string[], result: RunResult): string {
  // An --expr argument can be a whole program; the message names it, not prints it.
  const command = [
    'nix',
    ...args.map((a) => (a.length > 120 || a.includes('\n') ? '<expr>' : a)),
  ].join(' ');
  if (result.failure === 'not-found') return `nix is not installed (tried to run: ${command})`;
  if (result.failure === 'timeout') return `nix timed out: ${command}`;
  const tail = result.stderr.toString('utf8').trim().split('\n').slice(-8).join('\n');
  return `${command} failed (exit ${result.code ?? '?'})${tail ? `:\n${tail}` : ''}`;
}

/** Runs nix with the given arguments; throws NixError unless it exits 0. */
export async function nix(
  args: readonly string[],
  options: NixCallOptions = {},
): Promise<RunResult> {
  // crossflake's own calls need these whatever the user's nix.conf says; doctor
  // is where a missing setting is reported, not every other command.
  const fullArgs = [
    '--extra-experimental-features',
    'nix-command flakes',
    ...(options.extraArgs ?? []),
    ...args,
  ];
  const runOptions: RunOptions = {
    env: options.env,
    cwd: options.cwd,
    timeoutMs: options.timeoutMs,
  };
  const result = await run(options.nixBin ?? 'nix', fullArgs, runOptions);
  if (result.code !== 0) throw new NixError(fullArgs, result);
  return result;
}

/** `nix eval --json <installable>`, parsed. */
export async function nixEvalJson<T = unknown>(
  installable: string,
  options: NixCallOptions = {},
): Promise<T> {
  const result = await nix(['eval', '--json', installable], options);
  return JSON.parse(result.stdout.toString('utf8')) as T;
}

export interface BuildResult {
  drvPath: string;
  outputs: Record<string, string>;
}

/** `nix build --no-link --json` of several installables in ONE invocation. */
export async function nixBuild(
  installables: readonly string[],
  options: NixCallOptions = {},
): Promise<BuildResult[]> {
  const result = await nix(['build', '--no-link', '--json', ...installables], options);
  return JSON.parse(result.stdout.toString('utf8')) as BuildResult[];
}

/** "2.8.0" from `nix --version` output such as "nix (Nix) 2.8.0". */
export function parseNixVersion(text: string): string | null {
  const match = /(\d+\.\d+(?:\.\d+)?(?:[-.+][\w.]+)?)\s*$/m.exec(text.trim().split('\n')[0] ?? '');
  return match?.[1] ?? null;
}

/** Compares dotted versions numerically: negative, zero or positive. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/).map((p) => Number.parseInt(p, 10) || 0);
  const pb = b.split(/[.-]/).map((p) => Number.parseInt(p, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

// ---- images: instantiate, streaming build, path info, copy ----

/**
 * The installable that builds a derivation's outputs. Nix 2.13+ reads a bare
 * `.drv` path as the derivation file itself and wants `^*`; older Nix (2.8)
 * knows no `^` and builds the outputs of a bare `.drv`.
 */
export function drvOutputsInstallable(drvPath: string, nixVersion: string | null): string {
  return nixVersion !== null && compareVersions(nixVersion, '2.13') >= 0 ? `${drvPath}^*` : drvPath;
}

export async function nixVersionOf(options: NixCallOptions = {}): Promise<string | null> {
  const result = await run(options.nixBin ?? 'nix', ['--version'], { env: options.env });
  return result.code === 0 ? parseNixVersion(result.stdout.toString('utf8')) : null;
}

export interface StreamOptions extends NixCallOptions {
  /** Each stderr line as it arrives (with --log-format internal-json: "@nix {...}"). */
  onStderrLine?: (line: string) => void;
}

export interface StreamResult {
  code: number | null;
  stdout: string;
  /** Why there is no exit code ("not-found", a signal name, a spawn error). */
  failure: string | null;
}

/** Runs nix, handing stderr over line by line while it runs; never throws on exit codes. */
export async function nixStream(
  args: readonly string[],
  options: StreamOptions = {},
): Promise<StreamResult> {
  const { spawn } = await import('node:child_process');
  const fullArgs = [...(options.extraArgs ?? []), ...args];
  return new Promise((resolve) => {
    const child = spawn(options.nixBin ?? 'nix', fullArgs, {
      env: options.env ?? process.env,
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: false,
    });
    const out: Buffer[] = [];
    let pending = '';
    let failure: string | null = null;
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) options.onStderrLine?.(line);
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      failure = error.code === 'ENOENT' ? 'not-found' : error.message;
    });
    child.on('close', (code, signal) => {
      if (pending) options.onStderrLine?.(pending);
      resolve({
        code: failure ? null : code,
        stdout: Buffer.concat(out).toString('utf8'),
        failure: failure ?? (signal ? `killed by ${signal}` : null),
      });
    });
  });
}

export interface PathInfo {
  path: string;
  valid: boolean;
  narSize: number;
  closureSize: number | null;
}

/**
 * `nix path-info --json` (with `-r` the whole closure, with `-S` closure
 * sizes). Paths that are not in the store come back with valid = false.
 */
export async function nixPathInfo(
  paths: readonly string[],
  flags: { recursive?: boolean; closureSize?: boolean } = {},
  options: NixCallOptions = {},
): Promise<PathInfo[]> {
  const args = ['path-info', '--json'];
  if (flags.recursive) args.push('-r');
  if (flags.closureSize) args.push('-S');
  const result = await nix([...args, ...paths], options);
  const raw = JSON.parse(result.stdout.toString('utf8')) as
    Record<string, unknown>[] | Record<string, Record<string, unknown>>;
  // Nix 2.8 prints a list of objects with "path"; newer Nix an object keyed by path.
  const entries: Record<string, unknown>[] = Array.isArray(raw)
    ? raw
    : Object.entries(raw).map(([path, info]) => ({ path, ...(info ?? { valid: false }) }));
  return entries.map((e) => ({
    path: String(e.path),
    valid: e.valid !== false && typeof e.narSize === 'number',
    narSize: typeof e.narSize === 'number' ? e.narSize : 0,
    closureSize: typeof e.closureSize === 'number' ? e.closureSize : null,
  }));
}

/** `nix copy --to <uri> <paths...>`: pushes the paths and their closures. */
export async function nixCopyTo(
  uri: string,
  paths: readonly string[],
  options: NixCallOptions = {},
): Promise<void> {
  await nix(['copy', '--to', uri, ...paths], options);
}

/** `nix-store --query --requisites`: the closure of store paths (for a .drv: its build graph). */
export async function nixStoreRequisites(
  paths: readonly string[],
  options: NixCallOptions = {},
): Promise<string[]> {
  const bin = (options.nixBin ?? 'nix').replace(/nix$/, 'nix-store');
  const result = await run(bin, ['--query', '--requisites', ...paths], {
    env: options.env,
    cwd: options.cwd,
    timeoutMs: options.timeoutMs,
  });
  if (result.code !== 0)
    throw new NixError(['nix-store', '--query', '--requisites', ...paths], result);
  return result.stdout.toString('utf8').split('\n').filter(Boolean);
}

export interface Instantiated {
  drvPath: string;
  outPath: string;
}

/**
 * drvPath and outPath of many attributes of one flake in ONE evaluation.
 * (`nix build --dry-run a#x a#y` looks the same, but Nix 2.8 evaluates the
 * flake again for every installable.) Uses builtins.getFlake, hence
 * --impure: the flake is read exactly as `nix build <ref>#...` would read it,
 * uncommitted changes included.
 */
export async function nixInstantiateFlakeAttrs(
  flakeRef: string,
  attrPaths: readonly string[][],
  options: NixCallOptions = {},
): Promise<Instantiated[]> {
  // The flake and the attribute paths reach Nix through the environment, so
  // nothing the user typed is ever spliced into Nix source text.
  const expr = [
    'let flake = builtins.getFlake (builtins.getEnv "CROSSFLAKE_FLAKE");',
    '    paths = builtins.fromJSON (builtins.getEnv "CROSSFLAKE_ATTR_PATHS");',
    "    at = path: builtins.foldl' (set: name: set.${name}) flake path;",
    // Not named outPath: toJSON would turn an attrset with outPath into that string.
    'in map (p: let d = at p; in { drv = d.drvPath; out = d.outPath; }) paths',
  ].join('\n');
  const env = {
    ...(options.env ?? process.env),
    CROSSFLAKE_FLAKE: flakeRef,
    CROSSFLAKE_ATTR_PATHS: JSON.stringify(attrPaths),
  };
  const pairs = await nixEvalExprJson<{ drv: string; out: string }[]>(expr, { ...options, env });
  return pairs.map((p) => ({ drvPath: p.drv, outPath: p.out }));
}

/**
 * `nix eval --json --impure --expr <expr>`, parsed. `--impure` lets the
 * expression call builtins.getFlake on a local path and read values passed in
 * `env` through builtins.getEnv, so no caller input is ever spliced into Nix
 * source text.
 */
export async function nixEvalExprJson<T = unknown>(
  expr: string,
  options: NixCallOptions = {},
): Promise<T> {
  const result = await nix(['eval', '--json', '--impure', '--expr', expr], options);
  return JSON.parse(result.stdout.toString('utf8')) as T;
}
