// The one face every crossflake command has (after pnpm's command modules):
// names, help text, option types for node:util parseArgs, and a handler that
// returns the exit code. src/cli.ts only registers and dispatches.
import type { ParseArgsConfig } from 'node:util';

export type OptionsConfig = NonNullable<ParseArgsConfig['options']>;
export type ParsedOptions = Record<string, string | boolean | string[] | boolean[] | undefined>;

export interface Io {
  stdout: { write(chunk: string | Uint8Array): unknown; isTTY?: boolean; columns?: number };
  stderr: { write(chunk: string): unknown; isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export interface CommandModule {
  commandNames: readonly string[];
  help(): string;
  cliOptionsTypes(): OptionsConfig;
  handler(opts: ParsedOptions, params: string[], io: Io): Promise<number>;
}

/** Exit codes shared by every command. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** A problem with what the user gave us (flag, file, value): exit 2, no stack. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.usage,
  ) {
    super(message);
    this.name = 'UserError';
  }
}
