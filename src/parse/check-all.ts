// `crossflake parse` without --json or --print-nix: only the problems are
// printed, so no tree outlives its file and files can be checked in any order
// (on two threads, see pool.ts); the lines still come out in argument order.
import { resolve } from 'node:path';
import { UserError, type Io } from '../command.js';
import { parseNix } from '../nixlang/index.js';
import { problemLines, unreadableMessage } from './check-file.js';
import { builtWorker, checkFiles } from './pool.js';

export interface Checked {
  /** The problem lines of every file, in argument order. */
  stderr: string;
  problems: number;
}

async function readStdin(io: Io): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

/** Tests set CROSSFLAKE_PARSE_POOL_BYTES=0 to use the worker on small inputs too. */
function startAfterBytes(io: Io): number | undefined {
  const raw = io.env.CROSSFLAKE_PARSE_POOL_BYTES;
  return raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : undefined;
}

export async function checkParams(params: string[], io: Io, pipes: boolean): Promise<Checked> {
  const named = params.filter((p) => p !== '-');
  const startAfter = startAfterBytes(io);
  const { outcomes } = await checkFiles(
    named,
    named.map((p) => resolve(io.cwd, p)),
    {
      pipes,
      workerUrl: builtWorker(import.meta.url),
      startAfterBytes: startAfter,
      minFilesLeft: startAfter === 0 ? 0 : undefined,
    },
  );
  let stderr = '';
  let problems = 0;
  let k = 0;
  for (const file of params) {
    if (file === '-') {
      const tree = parseNix(await readStdin(io), { pipes });
      stderr += problemLines('(stdin)', tree);
      problems += tree.diagnostics.length;
      continue;
    }
    const outcome = outcomes[k++]!;
    if (!outcome.ok) throw new UserError(unreadableMessage(file, outcome.code));
    stderr += outcome.problems;
    problems += outcome.count;
  }
  return { stderr, problems };
}
