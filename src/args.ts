// Checks of the raw command line shared by every command, done once in
// src/cli.ts: the global --debug flag, arguments that were not valid UTF-8,
// and positional arguments a command does not take.

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
