import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChecksumMismatch, download, partialPathFor } from '../../../src/io/net/download.js';
import { fetchText, netConfig } from '../../../src/io/net/client.js';
import { NetError } from '../../../src/io/net/errors.js';
import { DEFAULT_RETRY } from '../../../src/io/net/retry.js';
import { serveRelease, type ReleaseServer } from '../../helpers/release-server.js';

// Back-off waits are recorded, not slept.
const net = (retries = 5) =>
  netConfig({}, { retry: { ...DEFAULT_RETRY, retries }, sleep: async () => undefined });
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
let root: string;
let out: string;
let server: ReleaseServer;
const body = randomBytes(3 * 1024 * 1024 + 17);

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'crossflake-dl-src-'));
  out = mkdtempSync(join(tmpdir(), 'crossflake-dl-out-'));
  writeFileSync(join(root, 'image.wsl'), body);
  server = await serveRelease(root);
});
afterEach(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
  rmSync(out, { recursive: true, force: true });
});

describe('download over real HTTP on 127.0.0.1', () => {
  it('resumes with a Range request after the server drops the connection mid-file', async () => {
    server.dropAfter('image.wsl', 1024 * 1024);
    const seen: number[] = [];
    const result = await download(`${server.url}image.wsl`, join(out, 'image.wsl'), {
      expectedSha256: sha(body),
      net: net(),
      onProgress: (p) => seen.push(p.received),
    });
    expect(readFileSync(join(out, 'image.wsl')).equals(body)).toBe(true);
    expect(result.sha256).toBe(sha(body));
    expect(result.attempts).toBe(2);
    const second = server.requests.filter((r) => r.path === '/image.wsl')[1];
    expect(second?.status).toBe(206);
    expect(Number(/bytes=(\d+)-/.exec(second?.range ?? '')?.[1])).toBeGreaterThan(0);
    expect(Math.max(...seen)).toBe(body.length);
    expect(existsSync(partialPathFor(join(out, 'image.wsl')))).toBe(false);
  });

  it('resumes a partial file left by an earlier, killed run', async () => {
    server.dropAfter('image.wsl', 512 * 1024);
    await expect(
      download(`${server.url}image.wsl`, join(out, 'image.wsl'), { net: net(0) }),
    ).rejects.toThrow(/closed/);
    const partial = partialPathFor(join(out, 'image.wsl'));
    const kept = readFileSync(partial).length;
    expect(kept).toBeGreaterThan(0);
    expect(existsSync(join(out, 'image.wsl'))).toBe(false);
    const result = await download(`${server.url}image.wsl`, join(out, 'image.wsl'));
    expect(result.resumedFrom).toBe(kept);
    expect(server.requests.at(-1)?.range).toBe(`bytes=${kept}-`);
    expect(readFileSync(join(out, 'image.wsl')).equals(body)).toBe(true);
  });

  it('starts over when the file changed on the server since the partial download (If-Range)', async () => {
    server.dropAfter('image.wsl', 512 * 1024);
    await expect(
      download(`${server.url}image.wsl`, join(out, 'image.wsl'), { net: net(0) }),
    ).rejects.toThrow(/closed/);
    const changed = randomBytes(body.length + 100);
    writeFileSync(join(root, 'image.wsl'), changed);
    const result = await download(`${server.url}image.wsl`, join(out, 'image.wsl'), {
      expectedSha256: sha(changed),
    });
    const last = server.requests.at(-1);
    expect(last?.range).toMatch(/^bytes=\d+-$/);
    expect(last?.status).toBe(200);
    expect(result.resumedFrom).toBe(0);
    expect(readFileSync(join(out, 'image.wsl')).equals(changed)).toBe(true);
  });

  it('refuses a checksum mismatch, naming both hashes, and removes the bytes', async () => {
    const wrong = 'ab'.repeat(32);
    const error = await download(`${server.url}image.wsl`, join(out, 'image.wsl'), {
      expectedSha256: wrong,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChecksumMismatch);
    expect((error as ChecksumMismatch).expected).toBe(wrong);
    expect((error as ChecksumMismatch).actual).toBe(sha(body));
    expect(readdirSync(out)).toEqual([]);
  });

  it('fails on 404 without retrying, and fetchText returns null for it', async () => {
    await expect(
      download(`${server.url}missing.wsl`, join(out, 'm.wsl'), { net: net() }),
    ).rejects.toBeInstanceOf(NetError);
    expect(server.requests.filter((r) => r.path === '/missing.wsl')).toHaveLength(1);
    expect(await fetchText(`${server.url}SHA256SUMS`, net())).toBeNull();
  });
});
