// The one face every crossflake command has (after pnpm's command modules):
// names, help text, option types for node:util parseArgs, and a handler that
// returns the exit code. src/cli.ts only registers and dispatches.
import type { ParseArgsConfig } from 'node:util';
import type { GlobalFlags } from './args.js';

export type OptionsConfig = NonNullable<ParseArgsConfig['options']>;
export type ParsedOptions = Record<string, string | boolean | string[] | boolean[] | undefined>;

export interface Io {
  stdout: { write(chunk: string | Uint8Array): unknown; isTTY?: boolean; columns?: number };
  stderr: { write(chunk: string): unknown; isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** The global flags (--debug, --verbose, --color), set by src/cli.ts; absent in unit tests. */
  flags?: GlobalFlags;
}

export interface CommandModule {
  commandNames: readonly string[];
  help(): string;
  cliOptionsTypes(): OptionsConfig;
  /**
   * For a command with subcommands: the options (long names) each one takes.
   * src/cli.ts builds `crossflake <command> <sub> --help` from it and help().
   */
  subcommandOptions?: Readonly<Record<string, readonly string[]>>;
  /** Old option names (long, without --) kept one release, each to its new name. */
  renamedOptions?: Readonly<Record<string, string>>;
  handler(opts: ParsedOptions, params: string[], io: Io): Promise<number>;
}

/**
 * What help and option parsing need of a command: its `spec.ts`, which
 * imports nothing heavy, so `crossflake <command> --help` never loads the
 * handler's code (src/cli.ts loads `command.ts` only to run it).
 */
export type CommandSpec = Omit<CommandModule, 'handler'>;

/** Exit codes shared by every command. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** A problem with what the user gave us (flag, file, value): exit 2, no stack. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.usage,
    /** The `error.code` of `--json` output; by default from the exit code (see failureCode). */
    readonly code?: string,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

/**
 * How a failure is shown: a user's or the machine's is one line; only a bug
 * gets a stack. `code` is what `--json` output carries as `error.code`.
 */
export type Failure =
  | { kind: 'user' | 'usage' | 'environment'; code: string; message: string; exitCode: number }
  | { kind: 'bug'; code: 'internal' };

/** `usage`: the command line itself; `invalid-input`: a value or file given; `failed`: the rest. */
function failureCode(exitCode: number): string {
  return exitCode === EXIT.usage ? 'invalid-input' : 'failed';
}

// Node's system errors (fs, spawn) carry an errno code and the call that
// failed; they come from the machine (a missing folder, a full disk, a
// permission), never from a mistake in our code, so they are one line, exit 1.
interface SystemError {
  code: string;
  syscall: string;
  path?: string;
  message: string;
}

function isSystemError(error: unknown): error is SystemError {
  const e = error as Partial<SystemError> | null;
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof e.code === 'string' &&
    /^E[A-Z0-9]+$/.test(e.code) &&
    typeof e.syscall === 'string'
  );
}

export function describeFailure(error: unknown): Failure {
  if (error instanceof UserError) {
    const code = error.code ?? failureCode(error.exitCode);
    return { kind: 'user', code, message: error.message, exitCode: error.exitCode };
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))
    return {
      kind: 'usage',
      code: 'usage',
      message: (error as Error).message,
      exitCode: EXIT.usage,
    };
  if (isSystemError(error)) {
    const message = systemMessage(error);
    return { kind: 'environment', code: 'environment', message, exitCode: EXIT.failed };
  }
  return { kind: 'bug', code: 'internal' };
}

function systemMessage(error: SystemError): string {
  // "ENOTDIR: not a directory, scandir '/x'" -> "not a directory"
  const text = error.message.replace(/^E[A-Z0-9]+:\s*/, '').replace(/,.*$/, '');
  const what = error.path ?? error.syscall;
  return `${what}: ${text} (${error.code} in ${error.syscall}); check the path and its permissions, then run again`;
}
