// Streams the decompressed bytes of a file for the privacy gate: gzip through
// node's zlib, xz, zstd and bzip2 through the system tools (argument arrays,
// the file on stdin; Debian: xz-utils, zstd, bzip2). A tool that is missing
// or fails makes the file unreadable, which the gate reports; it never
// counts as a clean scan.
import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';

export type Compression = 'gzip' | 'xz' | 'zstd' | 'bzip2';

/** The compression of a file, by its first bytes; null when it is none of ours. */
export function compressionOf(head: Uint8Array): Compression | null {
  const starts = (...bytes: number[]) => bytes.every((b, i) => head[i] === b);
  if (starts(0x1f, 0x8b)) return 'gzip';
  if (starts(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00)) return 'xz';
  if (starts(0x28, 0xb5, 0x2f, 0xfd)) return 'zstd';
  if (starts(0x42, 0x5a, 0x68) && head[3] !== undefined && head[3] >= 0x31 && head[3] <= 0x39)
    return 'bzip2';
  return null;
}

export class UnreadableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnreadableError';
  }
}

const TOOLS: Record<Exclude<Compression, 'gzip'>, string> = {
  xz: 'xz',
  zstd: 'zstd',
  bzip2: 'bzip2',
};

async function* gunzipped(path: string): AsyncGenerator<Buffer> {
  const raw = createReadStream(path, { highWaterMark: 1024 * 1024 });
  const gunzip = raw.pipe(createGunzip());
  try {
    for await (const chunk of gunzip) yield chunk as Buffer;
  } catch (error) {
    throw new UnreadableError(`gzip: ${(error as Error).message}`);
  } finally {
    raw.destroy();
    gunzip.destroy();
  }
}

async function* throughTool(path: string, tool: string): AsyncGenerator<Buffer> {
  const child = spawn(tool, ['-dc'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const spawned = new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  const err: Buffer[] = [];
  child.stderr.on('data', (c: Buffer) => err.push(c));
  try {
    await spawned;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UnreadableError(
      code === 'ENOENT' ? `${tool} is not installed` : `${tool}: ${(error as Error).message}`,
    );
  }
  const input = createReadStream(path);
  input.pipe(child.stdin);
  // The reader may stop early (the gate found enough): a closed pipe is not an error.
  child.stdin.on('error', () => undefined);
  let finished = false;
  try {
    for await (const chunk of child.stdout) yield chunk as Buffer;
    finished = true;
  } finally {
    if (!finished) child.kill();
    input.destroy();
  }
  const code = await exited;
  if (code !== 0) {
    const first = Buffer.concat(err).toString('utf8').trim().split('\n')[0] ?? '';
    throw new UnreadableError(`${tool} -d failed${first ? `: ${first}` : ''}`);
  }
}

/** The decompressed bytes of `path`; throws UnreadableError when they cannot be had. */
export function decompressed(path: string, compression: Compression): AsyncGenerator<Buffer> {
  return compression === 'gzip' ? gunzipped(path) : throughTool(path, TOOLS[compression]);
}
