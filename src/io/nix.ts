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
