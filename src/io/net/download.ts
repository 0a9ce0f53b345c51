// HTTP(S) downloads that survive a dropped connection: bytes go to a partial
// file beside the target, a retry asks only for the rest (Range, guarded by
// If-Range so a changed file restarts), the SHA-256 is computed as the bytes
// arrive (while the previous ones are being written), and the file is renamed
// into place only once it matches. A crash leaves at most the partial file
// and its record, which the next run resumes (or sweeps, if the partial file
// never got a byte). The partial file, its record and the target are never
// links. Proxies, CAs, timeouts and retries come from the HTTP layer (client.ts).
import { createHash, type Hash } from 'node:crypto';
import { once } from 'node:events';
import {
  close,
  constants,
  createReadStream,
  createWriteStream,
  fsync,
  open as openCb,
} from 'node:fs';
import { promisify } from 'node:util';
import { mkdir, readFile, rm, stat, statfs } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { EXIT, UserError } from '../../command.js';
import { commitTemp, writeFileAtomic } from '../files.js';
import {
  get,
  netConfig,
  statusOutcome,
  timeoutsOf,
  withRetries,
  type NetConfig,
  type Outcome,
  type Response,
} from './client.js';
import { NetError, isStall, isTransient, networkError } from './errors.js';
import { printable } from '../../ui/printable.js';
import { formatBytes } from '../../ui/download-progress.js';
import { Sink, WRITE_BUFFER, pump } from './pump.js';
import { killByteAt, killNow } from '../kill-point.js';
import { NO_FOLLOW, requirePlainFileOrNothing, sweepOrphanRecords } from './local-files.js';

export { fetchText } from './client.js';

const openFd = promisify(openCb);
const fsyncFd = promisify(fsync);
const closeFd = promisify(close);

export interface Progress {
  received: number;
  total: number | null;
  /** Bytes already on disk when this download (re)started. */
  resumedFrom: number;
}

export interface DownloadOptions {
  onProgress?: (progress: Progress) => void;
  /** When set, a different SHA-256 is refused and the bytes are deleted. */
  expectedSha256?: string | null;
  /** Proxy, CA, timeouts and retry policy; default: from this process's environment. */
  net?: NetConfig;
}

export interface DownloadResult {
  path: string;
  size: number;
  sha256: string;
  /** Bytes reused from an earlier, interrupted download. */
  resumedFrom: number;
  attempts: number;
}

export class ChecksumMismatch extends Error {
  constructor(
    readonly file: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`${file}: SHA-256 mismatch\n  expected ${expected}\n  actual   ${actual}`);
    this.name = 'ChecksumMismatch';
  }
}

/** The partial file of an unfinished download of `target`. */
export function partialPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.crossflake-partial`);
}

interface Validator {
  url: string;
  etag: string | null;
  lastModified: string | null;
}

async function readValidator(partial: string, url: string): Promise<Validator | null> {
  try {
    const v = JSON.parse(await readFile(`${partial}.json`, 'utf8')) as Validator;
    return v.url === url ? v : null;
  } catch {
    return null;
  }
}

/** The SHA-256 state after the first `bytes` bytes of `path` (to go on hashing what is appended). */
export async function hashPrefix(path: string, bytes: number): Promise<Hash> {
  const hash = createHash('sha256');
  if (bytes === 0) return hash;
  const fd = await openFd(path, constants.O_RDONLY | NO_FOLLOW);
  try {
    const stream = createReadStream('', {
      fd,
      start: 0,
      end: bytes - 1,
      highWaterMark: 4 * 1024 * 1024,
      autoClose: false,
    });
    for await (const chunk of stream) hash.update(chunk as Buffer);
  } finally {
    await closeFd(fd).catch(() => undefined);
  }
  return hash;
}

function contentRange(header: string | undefined): { start: number; total: number | null } | null {
  const m = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(header ?? '');
  if (!m) return null;
  return { start: Number(m[1]), total: m[2] === '*' ? null : saneLength(m[2]) };
}

/** A length header as a number, or null when absent or beyond what a file can be. */
export function saneLength(value: string | undefined): number | null {
  if (value === undefined || !/^\d{1,16}$/.test(value.trim())) return null;
  const n = Number(value.trim());
  return Number.isSafeInteger(n) ? n : null;
}

/**
 * The partial file as this run knows it: its size, and the SHA-256 of exactly
 * those bytes (updated as each chunk arrives, so the finished file is never
 * read a second time).
 */
interface PartialFile {
  path: string;
  size: number;
  hash: Hash;
  validator: Validator | null;
  /** Bytes from an earlier run were thrown away (the file changed, or no validator). */
  restarted: boolean;
  /** The most bytes any attempt had on disk when it ended. */
  furthest: number;
}

async function openPartial(path: string, url: string): Promise<PartialFile> {
  const kind = await requirePlainFileOrNothing(path, 'the partial download');
  await requirePlainFileOrNothing(`${path}.json`, 'the partial download record');
  const size = kind === 'file' ? (await stat(path)).size : 0;
  const validator = size > 0 ? await readValidator(path, url) : null;
  if (size > 0 && validator)
    return {
      path,
      size,
      hash: await hashPrefix(path, size),
      validator,
      restarted: false,
      furthest: size,
    };
  // Bytes of unknown origin are not spliced onto: start over.
  await rm(path, { force: true });
  return {
    path,
    size: 0,
    hash: createHash('sha256'),
    validator: null,
    restarted: false,
    furthest: 0,
  };
}

/** Forget the bytes on disk; the next open truncates the file. */
function restart(p: PartialFile): void {
  p.size = 0;
  p.hash = createHash('sha256');
  p.restarted = true;
}

type Attempt = Outcome<true>;

const retry = (url: string, problem: string, advice: string): Attempt => ({
  ok: false,
  error: new NetError(url, problem, advice),
  retryAfterMs: null,
});

/** One request: appends to the partial file; says whether the file is complete. */
async function attempt(
  url: string,
  p: PartialFile,
  options: DownloadOptions,
  net: NetConfig,
): Promise<Attempt> {
  const headers: Record<string, string> = {};
  if (p.size > 0) {
    headers.range = `bytes=${p.size}-`;
    const guard = p.validator?.etag ?? p.validator?.lastModified;
    if (guard) headers['if-range'] = guard;
  }
  const res = await get(url, headers, net);
  if (res.status === 416 && p.size > 0) {
    await res.body.dump();
    const total = saneLength(/\/(\d+)$/.exec(res.headers['content-range'] ?? '')?.[1]);
    if (total === p.size) return { ok: true, value: true };
    restart(p);
    return retry(url, 'the partial download is stale', 'run the same command again');
  }
  if (res.status !== 200 && res.status !== 206) {
    await res.body.dump().catch(() => undefined);
    return statusOutcome(url, res, net);
  }
  let total: number | null;
  if (res.status === 206) {
    const range = contentRange(res.headers['content-range']);
    if (!range || range.start !== p.size) {
      await res.body.dump().catch(() => undefined);
      restart(p);
      return retry(url, 'unexpected Content-Range', 'run the same command again');
    }
    total = range.total;
  } else {
    // A full response: the server ignored or refused the range (or the file changed).
    if (p.size > 0) restart(p);
    total = saneLength(res.headers['content-length']);
  }
  // No await from here until the body has a reader: bytes that arrive before
  // a connection drops must not sit in a buffer the error then discards.
  const etag = res.headers.etag?.startsWith('W/') ? null : (res.headers.etag ?? null);
  p.validator = { url, etag, lastModified: res.headers['last-modified'] ?? null };
  return streamInto(url, res, p, total, options, net);
}

/** Refuses a download the disk cannot hold, before writing any of it. */
async function requireSpace(dir: string, bytes: number, url: string): Promise<void> {
  if (bytes <= 0) return;
  const fs = await statfs(dir).catch(() => null);
  if (!fs) return;
  const free = fs.bavail * fs.bsize;
  if (bytes > free) {
    throw new NetError(
      url,
      `needs ${formatBytes(bytes)} but ${printable(dir)} has ${formatBytes(free)} free`,
      'free some space or choose another --to',
    );
  }
}

async function streamInto(
  url: string,
  res: Response,
  p: PartialFile,
  total: number | null,
  options: DownloadOptions,
  net: NetConfig,
): Promise<Attempt> {
  const resumedFrom = p.size;
  const sink = new Sink();
  // A crash test's kill point: the bytes up to the boundary reach the disk,
  // the rest are dropped, and the process dies once those and the record are
  // down (always before the rename), leaving a partial download to resume.
  const killAt = killByteAt('download-bytes');
  let onDisk = resumedFrom;
  let recordDown = false;
  const killIfDue = () => {
    if (killAt !== null && recordDown && onDisk >= killAt) killNow();
  };
  if (killAt !== null) {
    sink.dropAfter = Math.max(0, killAt - resumedFrom);
    sink.onWritten = (bytes) => {
      onDisk += bytes;
      killIfDue();
    };
  }
  const pumped = pump(res.body, sink, (chunk) => {
    // Hashed as it arrives, while earlier chunks are still being written by the thread pool.
    p.hash.update(chunk);
    p.size += chunk.length;
    options.onProgress?.({ received: p.size, total, resumedFrom });
  });
  const flags =
    resumedFrom === 0
      ? constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC
      : constants.O_RDWR;
  let fd: number;
  try {
    await requireSpace(dirname(p.path), total === null ? 0 : total - resumedFrom, url);
    fd = await openFd(p.path, flags | NO_FOLLOW, 0o644);
  } catch (error) {
    res.body.destroy();
    await pumped;
    throw error;
  }
  // A raw descriptor: the stream writes, this function syncs and closes it.
  const out = createWriteStream('', {
    fd,
    start: resumedFrom,
    highWaterMark: WRITE_BUFFER,
    autoClose: false,
  });
  sink.attach(out);
  // The record goes after the file exists, so a kill leaves no record without a file.
  const recorded = writeFileAtomic(`${p.path}.json`, JSON.stringify(p.validator)).then(
    () => null,
    (error: Error) => error,
  );
  if (killAt !== null)
    void recorded.then(() => {
      recordDown = true;
      killIfDue();
    });
  const failure = await pumped;
  try {
    if (out.errored) throw out.errored;
    out.end();
    await once(out, 'finish');
    await fsyncFd(fd);
    const recordError = await recorded;
    if (recordError) throw recordError;
  } catch (error) {
    throw new UserError(
      `cannot write ${printable(p.path)} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); check the disk and --to`,
      EXIT.failed,
    );
  } finally {
    await closeFd(fd).catch(() => undefined);
  }
  const of = total === null ? '' : ` of ${total}`;
  if (failure) {
    // Only progress beyond the furthest point any attempt reached earns another try.
    const progressed = p.size > p.furthest;
    p.furthest = Math.max(p.furthest, p.size);
    if (!isTransient(failure) && !(isStall(failure) && progressed)) throw failure;
    const e = networkError(url, failure, timeoutsOf(net));
    return retry(
      url,
      `${e.problem} after ${p.size}${of} bytes`,
      'run the same command again: it resumes',
    );
  }
  if (total !== null && p.size < total) {
    return retry(
      url,
      `connection closed after ${p.size}${of} bytes`,
      'run the same command again: it resumes',
    );
  }
  return { ok: true, value: true };
}

/**
 * Downloads `url` to `target`, resuming an earlier partial download. With
 * `expectedSha256`, a mismatch deletes the bytes and throws ChecksumMismatch.
 */
export async function download(
  url: string,
  target: string,
  options: DownloadOptions = {},
): Promise<DownloadResult> {
  const net = options.net ?? netConfig(process.env);
  await mkdir(dirname(target), { recursive: true });
  await sweepOrphanRecords(dirname(target));
  await requirePlainFileOrNothing(target, 'the download target');
  const p = await openPartial(partialPathFor(target), url);
  const firstResume = p.size;
  const { attempts } = await withRetries(url, net, () => attempt(url, p, options, net));
  const sha256 = p.hash.digest('hex');
  const expected = options.expectedSha256?.toLowerCase();
  await rm(`${p.path}.json`, { force: true });
  if (expected && expected !== sha256) {
    await rm(p.path, { force: true });
    throw new ChecksumMismatch(basename(target), expected, sha256);
  }
  // Checked again: a link planted while the bytes came in is not replaced through.
  await requirePlainFileOrNothing(target, 'the download target');
  await requirePlainFileOrNothing(p.path, 'the partial download');
  await commitTemp(p.path, target);
  const resumedFrom = p.restarted ? 0 : firstResume;
  return { path: target, size: p.size, sha256, resumedFrom, attempts };
}
