// Reads many files with a bounded number of reads in flight, handing them back
// in the order asked for. The caller parses one file while the next ones are
// being read: one read at a time leaves the CPU idle on every file, and
// thousands of reads at once hold every file in memory and swamp libuv's pool.
import { readFile } from 'node:fs';

export type ReadResult = { ok: true; bytes: Buffer } | { ok: false; error: NodeJS.ErrnoException };

/** How many reads are in flight at once (libuv's pool has 4 threads by default). */
export const READ_AHEAD = 16;

// The callback form: fs/promises' readFile costs a FileHandle and four
// round trips through the pool per file, about twice the time on small files.
function readOne(path: string): Promise<ReadResult> {
  return new Promise((done) => {
    readFile(path, (error, bytes) => done(error ? { ok: false, error } : { ok: true, bytes }));
  });
}

/** Every file's bytes (or its read error), in the order of `paths`. */
export async function* readAhead(
  paths: readonly string[],
  limit = READ_AHEAD,
): AsyncGenerator<ReadResult> {
  const pending: Promise<ReadResult>[] = [];
  let next = 0;
  const fill = (): void => {
    while (next < paths.length && pending.length < limit) pending.push(readOne(paths[next++]!));
  };
  fill();
  while (pending.length > 0) {
    const result = await pending.shift()!;
    fill();
    yield result;
  }
}
