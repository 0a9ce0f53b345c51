// The one shape of every `--json` output: an object naming its schema
// (data/schemas/<command>.schema.json), whether the command did what was
// asked, the command's data, and on failure what went wrong. Consumers check
// `ok` and read `error.message` the same way for every command.
import { writeJson, type Sink } from './json-stream.js';

/** Bumped per command when a field changes meaning or goes away (adding one is not a change). */
export const JSON_VERSION = 1;

/** Why a command failed, in a form a program can branch on (`code`) and a person can read. */
export interface JsonFailure {
  code: string;
  message: string;
}

export type Envelope = { schema: string; ok: boolean; error?: JsonFailure } & Record<
  string,
  unknown
>;

export function schemaId(command: string): string {
  return `crossflake/${command}/v${JSON_VERSION}`;
}

const OWN = new Set(['schema', 'ok', 'error']);

/**
 * The envelope for `command`'s data: schema and ok first for a reader, and a
 * data field of the same name never replaces them. `ok` is false exactly when
 * a failure is given.
 */
export function envelope(command: string, data: object, failure?: JsonFailure): Envelope {
  const fields = Object.entries(data).filter(([key]) => !OWN.has(key));
  return {
    schema: schemaId(command),
    ok: failure === undefined,
    ...(failure ? { error: failure } : {}),
    ...Object.fromEntries(fields),
  };
}

interface Out {
  stdout: { write(chunk: string): unknown };
}

/** Writes the envelope, indented, as the last thing on stdout. */
export function writeEnvelope(io: Out, command: string, data: object, failure?: JsonFailure): void {
  io.stdout.write(`${JSON.stringify(envelope(command, data, failure), null, 2)}\n`);
}

/** The same, streamed, for data too large for one string (a syntax tree). */
export async function streamEnvelope(
  io: { stdout: unknown },
  command: string,
  data: object,
  failure?: JsonFailure,
): Promise<void> {
  await writeJson(envelope(command, data, failure), io.stdout as Sink);
}
