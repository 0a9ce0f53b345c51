// HTTP(S) downloads that survive a dropped connection: bytes go to a partial
// file beside the target, a retry asks only for the rest (Range, guarded by
// If-Range so a changed file restarts), the SHA-256 is computed as the bytes
// are written, and the file is renamed into place only once it matches. A crash leaves at most the
// partial file, which the next run resumes.
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, rm, stat } from 'node:fs/promises';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { basename, dirname, join } from 'node:path';
import { commitTemp, writeFileAtomic } from '../files.js';

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
  retries?: number;
  retryDelayMs?: number;
  timeoutMs?: number;
}

export interface DownloadResult {
  path: string;
  size: number;
  sha256: string;
  /** Bytes reused from an earlier, interrupted download. */
  resumedFrom: number;
  attempts: number;
}

export class HttpError extends Error {
  constructor(
    readonly url: string,
    readonly status: number,
  ) {
    super(`${url}: HTTP ${status}`);
    this.name = 'HttpError';
  }
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

const MAX_REDIRECTS = 8;

function request(
  url: string,
  headers: Record<string, string>,
  timeoutMs: number,
  redirects = 0,
): Promise<{ res: IncomingMessage; url: string }> {
  return new Promise((resolve, reject) => {
    const parsed = new URL(url);
    const lib = parsed.protocol === 'https:' ? https : parsed.protocol === 'http:' ? http : null;
    if (!lib) return reject(new Error(`${url}: only http and https URLs can be downloaded`));
    const req = lib.get(parsed, { headers: { 'user-agent': 'crossflake', ...headers } }, (res) => {
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (status >= 300 && status < 400 && location) {
        res.resume();
        if (redirects >= MAX_REDIRECTS) return reject(new Error(`${url}: too many redirects`));
        const next = new URL(location, parsed).toString();
        // GitHub release assets redirect to a storage host; Range and
        // If-Range go along so a resume still asks only for the rest.
        request(next, headers, timeoutMs, redirects + 1).then(resolve, reject);
        return;
      }
      resolve({ res, url });
    });
    req.setTimeout(timeoutMs, () =>
      req.destroy(new Error(`${url}: no response in ${timeoutMs} ms`)),
    );
    req.on('error', reject);
  });
}

/** A small text resource (SHA256SUMS, manifest.json); null when the server says 404. */
export async function fetchText(url: string, timeoutMs = 30_000): Promise<string | null> {
  const { res } = await request(url, {}, timeoutMs);
  const status = res.statusCode ?? 0;
  if (status === 404 || status === 410) {
    res.resume();
    return null;
  }
  if (status !== 200) {
    res.resume();
    throw new HttpError(url, status);
  }
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
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

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

async function hashExisting(path: string, bytes: number): Promise<Hash> {
  const hash = createHash('sha256');
  if (bytes === 0) return hash;
  for await (const chunk of createReadStream(path, { start: 0, end: bytes - 1 })) {
    hash.update(chunk as Buffer);
  }
  return hash;
}

function contentRange(header: string | undefined): { start: number; total: number | null } | null {
  const m = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(header ?? '');
  if (!m) return null;
  return { start: Number(m[1]), total: m[2] === '*' ? null : Number(m[2]) };
}

type Attempt = { done: true } | { done: false; retryable: boolean; error: Error };

/**
 * The partial file as this run knows it: its size, and the SHA-256 of exactly
 * those bytes (updated as each chunk is written, so the finished file is
 * never read a second time).
 */
interface PartialFile {
  path: string;
  size: number;
  hash: Hash;
  validator: Validator | null;
  /** Bytes from an earlier run were thrown away (the file changed, or no validator). */
  restarted: boolean;
}

async function openPartial(path: string, url: string): Promise<PartialFile> {
  const size = await sizeOf(path);
  const validator = size > 0 ? await readValidator(path, url) : null;
  if (size > 0 && validator)
    return { path, size, hash: await hashExisting(path, size), validator, restarted: false };
  // Bytes of unknown origin are not spliced onto: start over.
  await rm(path, { force: true });
  return { path, size: 0, hash: createHash('sha256'), validator: null, restarted: false };
}

async function restart(p: PartialFile): Promise<void> {
  await rm(p.path, { force: true });
  p.size = 0;
  p.hash = createHash('sha256');
  p.restarted = true;
}

/** One request: appends to the partial file; says whether the file is complete. */
async function attempt(url: string, p: PartialFile, options: DownloadOptions): Promise<Attempt> {
  const headers: Record<string, string> = {};
  if (p.size > 0) {
    headers.range = `bytes=${p.size}-`;
    const guard = p.validator?.etag ?? p.validator?.lastModified;
    if (guard) headers['if-range'] = guard;
  }
  let res: IncomingMessage;
  try {
    ({ res } = await request(url, headers, options.timeoutMs ?? 60_000));
  } catch (error) {
    return { done: false, retryable: true, error: error as Error };
  }
  const status = res.statusCode ?? 0;
  if (status === 416 && p.size > 0) {
    res.resume();
    const total = Number(/\/(\d+)$/.exec(res.headers['content-range'] ?? '')?.[1]);
    if (total === p.size) return { done: true };
    await restart(p);
    return { done: false, retryable: true, error: new Error(`${url}: stale partial download`) };
  }
  if (status !== 200 && status !== 206) {
    res.resume();
    const retryable = status >= 500 || status === 429;
    return { done: false, retryable, error: new HttpError(url, status) };
  }
  let total: number | null = null;
  if (status === 206) {
    const range = contentRange(res.headers['content-range']);
    if (!range || range.start !== p.size) {
      res.resume();
      await restart(p);
      return { done: false, retryable: true, error: new Error(`${url}: unexpected Content-Range`) };
    }
    total = range.total;
  } else {
    // A full response: the server ignored or refused the range (or the file changed).
    if (p.size > 0) await restart(p);
    const length = res.headers['content-length'];
    total = length !== undefined && Number.isFinite(Number(length)) ? Number(length) : null;
  }
  const etag = res.headers.etag?.startsWith('W/') ? null : (res.headers.etag ?? null);
  p.validator = { url, etag, lastModified: res.headers['last-modified'] ?? null };
  await writeFileAtomic(`${p.path}.json`, JSON.stringify(p.validator));
  return streamInto(res, p, total, options);
}

async function streamInto(
  res: IncomingMessage,
  p: PartialFile,
  total: number | null,
  options: DownloadOptions,
): Promise<Attempt> {
  const handle = await open(p.path, p.size === 0 ? 'w' : 'r+');
  const resumedFrom = p.size;
  try {
    for await (const chunk of res) {
      const buffer = chunk as Buffer;
      await handle.write(buffer, 0, buffer.length, p.size);
      p.hash.update(buffer);
      p.size += buffer.length;
      options.onProgress?.({ received: p.size, total, resumedFrom });
    }
    await handle.sync();
  } catch (error) {
    await handle.sync().catch(() => undefined);
    const of = total === null ? '' : ` of ${total}`;
    const why = `connection closed after ${p.size}${of} bytes (${(error as Error).message})`;
    return { done: false, retryable: true, error: new Error(why) };
  } finally {
    await handle.close();
  }
  if ((total !== null && p.size < total) || !res.complete) {
    const of = total === null ? '' : ` of ${total}`;
    const error = new Error(`connection closed after ${p.size}${of} bytes`);
    return { done: false, retryable: true, error };
  }
  return { done: true };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Downloads `url` to `target`, resuming an earlier partial download. With
 * `expectedSha256`, a mismatch deletes the bytes and throws ChecksumMismatch.
 */
export async function download(
  url: string,
  target: string,
  options: DownloadOptions = {},
): Promise<DownloadResult> {
  await mkdir(dirname(target), { recursive: true });
  const p = await openPartial(partialPathFor(target), url);
  const firstResume = p.size;
  const retries = options.retries ?? 5;
  let lastError: Error | null = null;
  let attempts = 0;
  while (attempts <= retries) {
    attempts++;
    const result = await attempt(url, p, options);
    if (result.done) {
      const sha256 = p.hash.digest('hex');
      const expected = options.expectedSha256?.toLowerCase();
      await rm(`${p.path}.json`, { force: true });
      if (expected && expected !== sha256) {
        await rm(p.path, { force: true });
        throw new ChecksumMismatch(basename(target), expected, sha256);
      }
      await commitTemp(p.path, target);
      const resumedFrom = p.restarted ? 0 : firstResume;
      return { path: target, size: p.size, sha256, resumedFrom, attempts };
    }
    lastError = result.error;
    if (!result.retryable) break;
    if (attempts <= retries) await sleep((options.retryDelayMs ?? 500) * attempts);
  }
  throw lastError ?? new Error(`${url}: download failed`);
}
