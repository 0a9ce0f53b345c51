// `crossflake parse` without --json or --print-nix: only the problems are
// printed, so no tree outlives its file and files can be checked in any order
// (on two threads, see pool.ts); the lines still come out in argument order.
import { isAbsolute, resolve, sep } from 'node:path';
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

/**
 * CROSSFLAKE_PARSE_WORKER=always|never overrides the pool's own choice (see
 * pool.ts): tests use it to compare both ways on small inputs.
 */
function workerChoice(io: Io): 'always' | 'never' | 'auto' {
  const v = io.env.CROSSFLAKE_PARSE_WORKER;
  return v === 'always' || v === 'never' ? v : 'auto';
}

/**
 * Where to open a named file: path.resolve only for a name with `..` in it
 * (resolved by its text, as Nix does, not through a link the system would
 * follow). Normalising thousands of plain names costs more than reading them.
 * A plain relative name under the process's own directory (`here`) opens as
 * it is: the system then walks only the name's folders, not the directory's
 * again for every file (about 10 ms over 1,672 files).
 */
export function pathFrom(cwd: string, name: string, here: boolean): string {
  if (name.includes('..')) return resolve(cwd, name);
  if (isAbsolute(name)) return name;
  return here && name !== '' ? name : `${cwd}${sep}${name}`;
}

export async function checkParams(params: string[], io: Io, pipes: boolean): Promise<Checked> {
  const named = params.filter((p) => p !== '-');
  const choice = workerChoice(io);
  const here = io.cwd === process.cwd();
  const { outcomes } = await checkFiles(
    named,
    named.map((p) => pathFrom(io.cwd, p, here)),
    {
      pipes,
      workerUrl: choice === 'never' ? null : builtWorker(import.meta.url),
      force: choice === 'always',
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
