// What shells complete, as plain data: built from the command table and each
// command's option types, so a new command, subcommand or flag appears in
// every shell's script without editing a script by hand.
import type { OptionsConfig } from '../command.js';

export interface FlagSpec {
  /** Long name without dashes. */
  name: string;
  short?: string;
  takesValue: boolean;
  /** Known values, when the set is closed (formats, systems, step ids). */
  values: string[];
}

export interface CommandSpec {
  name: string;
  summary: string;
  subcommands: string[];
  flags: FlagSpec[];
  /** Known values of the first argument after the command (init's template). */
  firstArgument: string[];
}

export interface CompletionSpec {
  program: string;
  commands: CommandSpec[];
}

/** The command table's view that completion needs; src/cli.ts's entries have it. */
export interface TableEntry {
  name: string;
  summary: string;
  arity: number | Readonly<Record<string, number>>;
}

/** Values known for `command --flag`, and for a command's first argument (flag: null). */
export interface ValueRule {
  command: string;
  flag: string | null;
  values: readonly string[];
}

export function commandSpec(
  entry: TableEntry,
  options: OptionsConfig,
  rules: readonly ValueRule[],
): CommandSpec {
  const valuesOf = (flag: string | null) =>
    rules.filter((r) => r.command === entry.name && r.flag === flag).flatMap((r) => r.values);
  const flags: FlagSpec[] = Object.entries({ help: { type: 'boolean', short: 'h' }, ...options })
    .map(([name, o]) => ({
      name,
      ...(o.short ? { short: o.short } : {}),
      takesValue: o.type === 'string',
      values: [...new Set(valuesOf(name))],
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return {
    name: entry.name,
    summary: entry.summary,
    subcommands: typeof entry.arity === 'number' ? [] : Object.keys(entry.arity),
    flags,
    firstArgument: [...new Set(valuesOf(null))],
  };
}

/** The global flags, offered before a command. */
export const GLOBAL_FLAGS: readonly FlagSpec[] = [
  { name: 'help', short: 'h', takesValue: false, values: [] },
  { name: 'version', short: 'V', takesValue: false, values: [] },
  { name: 'debug', takesValue: false, values: [] },
];

export const SHELLS = ['bash', 'zsh', 'fish', 'powershell'] as const;
export type Shell = (typeof SHELLS)[number];
