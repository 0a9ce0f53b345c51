// Checks of the raw command line shared by every command, done once in
// src/cli.ts: the global flags (--debug, --verbose, --color), arguments that
// were not valid UTF-8, options a command does not have, and positional
// arguments it does not take.
import { parseArgs } from 'node:util';
import type { OptionsConfig } from './command.js';
import { didYouMean } from './suggest.js';

/**
 * The positional arguments a command takes: a count, or for a command with
 * subcommands (its first positional) the count after each subcommand.
 * Infinity for a list (files, folders). An unknown subcommand is left to the
 * command, which names the ones it has.
 */
export type Arity = number | Readonly<Record<string, number>>;

/** Removes the global --debug (anywhere before a `--`) and says whether it was there. */
export function splitDebug(argv: readonly string[]): { args: string[]; debug: boolean } {
  const end = argv.indexOf('--');
  const head = end === -1 ? argv : argv.slice(0, end);
  const tail = end === -1 ? [] : argv.slice(end);
  const args = head.filter((a) => a !== '--debug');
  return { args: [...args, ...tail], debug: args.length !== head.length };
}

/** Whether --json was given (before any `--`): errors then come out as JSON too. */
export function givenJson(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).includes('--json');
}

export type ColorMode = 'auto' | 'always' | 'never';
export const COLOR_MODES: readonly ColorMode[] = ['auto', 'always', 'never'];

/** The flags every command takes, wherever they stand before a `--`. */
export interface GlobalFlags {
  /** Stack traces of every error (also CROSSFLAKE_DEBUG=1). */
  debug: boolean;
  /** More of what is going on (images build: Nix's build log). */
  verbose: boolean;
  /** `--color=WHEN`; what `auto` means (terminal, NO_COLOR, FORCE_COLOR) is decided in src/ui. */
  color: ColorMode;
}

/**
 * Takes the global flags out of the command line. `--color` alone means
 * always; `--color WHEN` and `--color=WHEN` name one of auto, always, never.
 */
export function splitGlobals(argv: readonly string[]): {
  args: string[];
  flags: GlobalFlags;
  problem: string | null;
} {
  const { args: rest, debug } = splitDebug(argv);
  const end = rest.indexOf('--');
  const head = end === -1 ? rest : rest.slice(0, end);
  const args: string[] = [];
  let verbose = false;
  let color: ColorMode = 'auto';
  let problem: string | null = null;
  for (let i = 0; i < head.length; i++) {
    const arg = head[i]!;
    if (arg === '--verbose') verbose = true;
    else if (arg === '--color' || arg.startsWith('--color=')) {
      let value = arg === '--color' ? 'always' : arg.slice('--color='.length);
      const next = head[i + 1];
      if (arg === '--color' && next !== undefined && isColorMode(next)) [value, i] = [next, i + 1];
      if (isColorMode(value)) color = value;
      else problem ??= `--color takes auto, always or never, not ${JSON.stringify(value)}`;
    } else args.push(arg);
  }
  if (end !== -1) args.push(...rest.slice(end));
  return { args, flags: { debug, verbose, color }, problem };
}

function isColorMode(value: string): value is ColorMode {
  return (COLOR_MODES as readonly string[]).includes(value);
}

/** Global flags: an old option of the same name is renamed only when it carries a value. */
const GLOBAL_NAMES = new Set(['help', 'version', 'debug', 'verbose', 'color']);

/**
 * Old option names kept for one release: each becomes its new name, with a
 * one-line notice for stderr. `--version V` of a subcommand (now
 * `--image-version`) is renamed only with its value, so a bare `--version`
 * stays the global flag.
 */
export function renameOptions(
  args: readonly string[],
  renamed: Readonly<Record<string, string>>,
): { args: string[]; notices: string[] } {
  const out: string[] = [];
  const notices: string[] = [];
  const end = args.indexOf('--');
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const match = end !== -1 && i >= end ? null : /^--([\w-]+)(=.*)?$/.exec(arg);
    const old = match?.[1];
    const next = args[i + 1];
    const carriesValue = match?.[2] !== undefined || (next !== undefined && !next.startsWith('-'));
    if (
      old === undefined ||
      !Object.hasOwn(renamed, old) ||
      (GLOBAL_NAMES.has(old) && !carriesValue)
    ) {
      out.push(arg);
      continue;
    }
    const to = renamed[old]!;
    out.push(`--${to}${match?.[2] ?? ''}`);
    notices.push(`--${old} is now --${to}; the old name goes away in the next release`);
  }
  return { args: out, notices: [...new Set(notices)] };
}

/**
 * The first problem with the options given to a command, as one line, or
 * null: an option it does not have (with the nearest it has), a value
 * missing, or a value given to a switch. Node's own messages for these are
 * long and name no alternative.
 */
export function optionProblem(args: readonly string[], options: OptionsConfig): string | null {
  const { tokens } = parseArgs({
    args: [...args],
    options,
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  const names = Object.keys(options);
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const spec = options[token.name];
    if (spec === undefined) {
      const known = token.rawName.startsWith('--') ? names : [];
      return `unknown option '${token.rawName}'${didYouMean(token.name, known, '--')}`;
    }
    if (spec.type === 'string' && token.value === undefined)
      return `${token.rawName} needs a value`;
    if (spec.type === 'boolean' && token.inlineValue) return `${token.rawName} takes no value`;
  }
  return null;
}

// Node decodes the bytes of argv as UTF-8 and puts U+FFFD where they are not;
// the name the user meant is then lost, so working on it would touch another
// file (or make one with a different name).
const REPLACEMENT = '\uFFFD';

/** A one-line complaint about the first argument that was not valid UTF-8, or null. */
export function checkArgv(argv: readonly string[]): string | null {
  const index = argv.findIndex((a) => a.includes(REPLACEMENT));
  if (index === -1) return null;
  const shown = JSON.stringify(argv[index]!.replaceAll(REPLACEMENT, '?'));
  return `argument ${index + 1} (${shown}, '?' where it was not) is not valid UTF-8; rename the file or pass the argument in UTF-8`;
}

/** A one-line complaint about the first positional argument the command does not take, or null. */
export function extraPositional(arity: Arity, positionals: readonly string[]): string | null {
  if (typeof arity === 'number') {
    return positionals.length > arity ? unexpected(positionals[arity]!, arity) : null;
  }
  const [sub, ...rest] = positionals;
  if (sub === undefined || !Object.hasOwn(arity, sub)) return null;
  const max = arity[sub]!;
  return rest.length > max ? unexpected(rest[max]!, max, sub) : null;
}

function unexpected(arg: string, max: number, sub?: string): string {
  const takes = max === 0 ? 'no arguments' : max === 1 ? 'one argument' : `${max} arguments`;
  return `unexpected argument ${JSON.stringify(arg)}${sub ? ` (${sub} takes ${takes})` : ` (it takes ${takes})`}`;
}

/** The values of a list flag, given repeated (`--x a --x b`), comma-separated (`--x a,b`) or both. */
export function listValues(value: unknown): string[] {
  const given = Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
  return [
    ...new Set(
      given
        .flatMap((v) => String(v).split(','))
        .map((v) => v.trim())
        .filter(Boolean),
    ),
  ];
}
