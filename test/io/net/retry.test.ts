// Retries: exponential back-off with jitter, Retry-After honoured, and which
// failures are retried at all. The policy is pure; the behaviour runs against
// real servers on 127.0.0.1 with the waits recorded instead of slept.
import { afterEach, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { download } from '../../../src/io/net/download.js';
import { fetchText, netConfig } from '../../../src/io/net/client.js';
import { NetError } from '../../../src/io/net/errors.js';
import { DEFAULT_RETRY, parseRetryAfter, retryDelay } from '../../../src/io/net/retry.js';

describe('the retry policy (pure)', () => {
  const policy = { retries: 4, baseMs: 100, maxMs: 500, maxRetryAfterMs: 10_000 };

  it('doubles the wait each attempt, up to the cap, with jitter in the upper half', () => {
    const low = [1, 2, 3, 4].map((a) => retryDelay(a, policy, null, () => 0));
    const high = [1, 2, 3, 4].map((a) => retryDelay(a, policy, null, () => 0.999999));
    expect(low).toEqual([50, 100, 200, 250]);
    expect(high).toEqual([100, 200, 400, 500]);
    expect(retryDelay(5, policy, null, () => 0)).toBeNull();
  });

  it('waits what Retry-After says, and gives up when that is longer than it will wait', () => {
    expect(retryDelay(1, policy, 3000, () => 0.5)).toBe(3000);
    expect(retryDelay(1, policy, 60_000, () => 0.5)).toBeNull();
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-12-07T12:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter('Mon, 07 Dec 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(undefined, now)).toBeNull();
  });
});

let closers: (() => void)[] = [];
let out: string;
afterEach(() => {
  for (const c of closers) c();
  closers = [];
  if (out) rmSync(out, { recursive: true, force: true });
});

async function serve(handler: (req: IncomingMessage, res: ServerResponse, n: number) => void) {
  let n = 0;
  const server = createServer((req, res) => handler(req, res, ++n));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => {
    server.closeAllConnections();
    server.close();
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, count: () => n };
}

function recordingNet(retries = 5) {
  const waits: number[] = [];
  const net = netConfig(
    {},
    {
      retry: { ...DEFAULT_RETRY, retries },
      sleep: async (ms) => {
        waits.push(ms);
      },
      random: () => 0,
    },
  );
  return { net, waits };
}

describe('retries against real servers (waits recorded, not slept)', () => {
  const body = randomBytes(64 * 1024);
  const sha = createHash('sha256').update(body).digest('hex');

  it('503 with Retry-After: 3 twice, then the file: waits 3 s twice and succeeds', async () => {
    const s = await serve((_, res, n) => {
      if (n <= 2) res.writeHead(503, { 'retry-after': '3' }).end();
      else res.writeHead(200, { 'content-length': body.length }).end(body);
    });
    out = mkdtempSync(join(tmpdir(), 'cf-retry-'));
    const { net, waits } = recordingNet();
    const got = await download(`${s.url}x.wsl`, join(out, 'x.wsl'), { expectedSha256: sha, net });
    expect(waits).toEqual([3000, 3000]);
    expect(got.attempts).toBe(3);
    expect(readFileSync(join(out, 'x.wsl')).equals(body)).toBe(true);
  });

  it('429 without Retry-After backs off exponentially', async () => {
    const s = await serve((_, res, n) => {
      if (n <= 3) res.writeHead(429).end();
      else res.writeHead(200).end('ok');
    });
    const { net, waits } = recordingNet();
    expect(await fetchText(`${s.url}SHA256SUMS`, net)).toBe('ok');
    expect(waits).toEqual([250, 500, 1000]);
  });

  it('a Retry-After longer than it will wait fails at once, saying so', async () => {
    const s = await serve((_, res) => res.writeHead(429, { 'retry-after': '3600' }).end());
    const { net, waits } = recordingNet();
    const error = await fetchText(`${s.url}SHA256SUMS`, net).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetError);
    expect((error as Error).message).toBe(
      `${s.url}SHA256SUMS: HTTP 429 Too Many Requests (the server asks to wait 3600 s); try again later`,
    );
    expect(waits).toEqual([]);
  });

  it('404 is an answer, not a failure to retry', async () => {
    const s = await serve((_, res) => res.writeHead(404).end());
    const { net, waits } = recordingNet();
    out = mkdtempSync(join(tmpdir(), 'cf-retry-'));
    await expect(download(`${s.url}x.wsl`, join(out, 'x.wsl'), { net })).rejects.toThrow(
      'HTTP 404 Not Found; check the URL',
    );
    expect(s.count()).toBe(1);
    expect(waits).toEqual([]);
  });

  it('a refused connection is retried as often as configured, then named with the count', async () => {
    const s = await serve(() => undefined);
    closers.pop()!();
    const { net, waits } = recordingNet(3);
    await expect(fetchText(`${s.url}SHA256SUMS`, net)).rejects.toThrow(
      `${s.url}SHA256SUMS: connection refused (ECONNREFUSED) (after 4 attempts)`,
    );
    expect(waits).toHaveLength(3);
  });

  it('never prints the credentials of a URL', async () => {
    const s = await serve((_, res) => res.writeHead(403).end());
    const { net } = recordingNet(0);
    const withCreds = s.url.replace('http://', 'http://alice:s3cret@');
    const error = (await fetchText(`${withCreds}SHA256SUMS`, net).catch(
      (e: unknown) => e,
    )) as Error;
    expect(error.message).toContain(`${s.url}SHA256SUMS: HTTP 403`);
    expect(error.message).not.toContain('s3cret');
  });
});
