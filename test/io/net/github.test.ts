// The GitHub client and the draft-then-publish flow against the loopback
// replay of GitHub's releases API (test/images/github-server.ts, answering
// with recorded response shapes): rate limits on an injected clock, a 502 in
// mid-upload, a draft left by a killed run, token redaction and the rule that
// the token goes only to the API and its matching upload host. No Nix.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GitHubError,
  GitHubReleases,
  mayCarryToken,
  rateLimitWait,
  redactTokens,
  tokenOrigins,
  type FetchLike,
} from '../../../src/io/net/github.js';
import { publishToGitHub, type PublishFile } from '../../../src/images/publish.js';
import { startFakeGitHub, type FakeGitHub } from '../../images/github-server.js';

const TOKEN = 'ghp_replaytoken0123456789abcdefghijklmn';
let gh: FakeGitHub;
let dir: string;
let waits: number[];
let logs: string[];
beforeEach(async () => {
  gh = await startFakeGitHub(TOKEN);
  dir = await mkdtemp(join(tmpdir(), 'cf-gh-'));
  waits = [];
  logs = [];
});
afterEach(async () => {
  await gh.close();
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, data: string): Promise<PublishFile> {
  const path = join(dir, name);
  await writeFile(path, data);
  const sha256 = createHash('sha256').update(data).digest('hex');
  return {
    name,
    source: { path },
    size: Buffer.byteLength(data),
    sha256,
    contentType: 'text/plain',
  };
}

const options = (extra: Record<string, unknown> = {}) => ({
  token: TOKEN,
  apiUrl: gh.url,
  retryDelayMs: 1,
  // The injected clock: waits are recorded, never slept.
  sleep: async (ms: number) => {
    waits.push(ms);
  },
  random: () => 0.5,
  log: (m: string) => logs.push(m),
  ...extra,
});

const set = async () => [
  await file('a.iso', 'aaaa'),
  await file('b.qcow2', 'bbbbbbbb'),
  await file('SHA256SUMS', 'sums'),
];

describe('GitHub release: draft first, published only when complete', () => {
  it('creates a draft, uploads and verifies every asset, then publishes it', async () => {
    const draftDuringUploads: boolean[] = [];
    const spy: FetchLike = async (url, init) => {
      if (init.method === 'POST' && url.includes('/uploads/'))
        draftDuringUploads.push([...gh.releases.values()][0]?.draft === true);
      return fetch(url, init as unknown as RequestInit);
    };
    const files = await set();
    const report = await publishToGitHub(
      'acme/images',
      'v1.0.0',
      'notes',
      files,
      false,
      options({ fetch: spy }),
    );
    expect(report.files.map((f) => f.action)).toEqual(['sent', 'sent', 'sent']);
    expect(draftDuringUploads).toEqual([true, true, true]);
    const [release] = [...gh.releases.values()];
    expect(release?.draft).toBe(false);
    expect(gh.log.at(-1)).toBe(`PATCH /repos/acme/images/releases/${String(release?.id)}`);
    expect(gh.authHeaders).toEqual(new Set([`Bearer ${TOKEN}`]));
  });

  it('waits out a secondary rate limit for as long as retry-after says, on the injected clock', async () => {
    gh.rateLimitOnce.set('POST /uploads', 90);
    gh.rateLimitOnce.set('GET /repos/acme/images/releases', 7);
    gh.rateLimitOnce.set('POST /repos/acme/images/releases', 61);
    const report = await publishToGitHub('acme/images', 'v1', 'n', await set(), false, options());
    expect(report.files.every((f) => f.action === 'sent')).toBe(true);
    expect(waits).toContain(90_000);
    expect(waits).toContain(7_000);
    expect(waits).toContain(61_000);
    expect(gh.releases.size).toBe(1);
    expect(logs).toContain('GitHub rate limit: waiting 90 s as it asked');
    expect([...gh.releases.values()][0]?.draft).toBe(false);
  });

  it('a rate limit longer than it will wait fails naming when to run again, and the release stays a draft', async () => {
    gh.rateLimitOnce.set('POST /uploads', 3600);
    const run = publishToGitHub(
      'acme/images',
      'v1',
      'n',
      await set(),
      false,
      options({ maxWaitMs: 60_000, now: () => Date.UTC(2026, 10, 27, 12) }),
    );
    await expect(run).rejects.toThrow(
      /asks to wait until 2026-11-27T13:00:00\.000Z.*run again then/,
    );
    expect([...gh.releases.values()][0]?.draft).toBe(true);
  });

  it('survives a 502 in mid-upload: the half asset is deleted, the file sent again and verified', async () => {
    const files = [await file('big.qcow2', 'q'.repeat(200_000)), await file('SHA256SUMS', 's')];
    gh.failUploadOnce.add('big.qcow2');
    const report = await publishToGitHub('acme/images', 'v1', 'n', files, false, options());
    expect(report.files.map((f) => f.action)).toEqual(['sent', 'sent']);
    // The 502 page, or the connection the server closed while the body was still going.
    expect(
      logs.some((l) =>
        /^upload of big\.qcow2 failed \(POST .*: (HTTP 502 502 Bad Gateway|network error)/.test(l),
      ),
    ).toBe(true);
    expect(gh.log.filter((l) => l.startsWith('DELETE'))).toHaveLength(1);
    const held = [...gh.assets.values()].find((a) => a.json.name === 'big.qcow2');
    expect(held?.data.length).toBe(200_000);
    expect([...gh.releases.values()][0]?.draft).toBe(false);
  });

  it('a run killed after two uploads leaves an invisible draft; the re-run finishes it', async () => {
    let uploads = 0;
    const dying: FetchLike = async (url, init) => {
      if (init.method === 'POST' && url.includes('/uploads/') && ++uploads > 2)
        throw new Error('killed');
      return fetch(url, init as unknown as RequestInit);
    };
    const files = await set();
    await expect(
      publishToGitHub(
        'acme/images',
        'v2',
        'n',
        files,
        false,
        options({ fetch: dying, retries: 0 }),
      ),
    ).rejects.toThrow(GitHubError);
    const [draft] = [...gh.releases.values()];
    expect(draft?.draft).toBe(true);
    // A user asking for the release by tag does not see it.
    const visible = await fetch(`${gh.url}/repos/acme/images/releases/tags/v2`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(visible.status).toBe(404);

    gh.log.length = 0;
    const again = await publishToGitHub('acme/images', 'v2', 'n', files, false, options());
    expect(again.files.map((f) => f.action)).toEqual(['unchanged', 'unchanged', 'sent']);
    expect(gh.log.filter((l) => l.startsWith('POST'))).toEqual([
      `POST /uploads/repos/acme/images/releases/${String(draft?.id)}/assets`,
    ]);
    expect(gh.releases.size).toBe(1);
    expect([...gh.releases.values()][0]?.draft).toBe(false);
  });

  it('a stale asset in a left-over draft is a conflict unless --replace; the draft is never published with it', async () => {
    const files = await set();
    await publishToGitHub('acme/images', 'v3', 'n', files, false, options());
    const [release] = [...gh.releases.values()];
    if (!release) throw new Error('no release');
    release.draft = true;
    const stale = [...gh.assets.values()][0];
    if (!stale) throw new Error('no asset');
    stale.json.name = 'old-build.iso';
    const refused = await publishToGitHub('acme/images', 'v3', 'n', files, false, options());
    expect(refused.conflicts).toEqual(['old-build.iso']);
    expect(release.draft).toBe(true);
    const replaced = await publishToGitHub('acme/images', 'v3', 'n', files, true, options());
    expect(replaced.conflicts).toEqual([]);
    expect([...gh.assets.values()].map((a) => a.json.name).sort()).toEqual([
      'SHA256SUMS',
      'a.iso',
      'b.qcow2',
    ]);
    expect(release.draft).toBe(false);
  });
});

describe("the cases Octokit's retry and throttling plugins cover", () => {
  it('retries idempotent calls on 5xx and 429 with back-off, and reads the rate-limit headers', async () => {
    gh.statusOnce.set('GET /repos/acme/images/releases/tags', 503);
    gh.statusOnce.set('GET /repos/acme/images/releases', 502);
    const client = new GitHubReleases('acme', 'images', options());
    expect(await client.findRelease('v9')).toBeNull();
    // Both faults hit the by-tag call (the prefixes match it): retryDelayMs 1 x 2^attempt x
    // jitter (0.5 + random() / 2 = 0.75), so 0.75 then 1.5.
    expect(waits).toEqual([0.75, 1.5]);
    const headers = (h: Record<string, string>) => new Headers(h);
    const now = Date.UTC(2026, 10, 27, 12);
    expect(rateLimitWait(403, headers({ 'retry-after': '30' }), '', now)).toBe(30_000);
    expect(
      rateLimitWait(
        403,
        headers({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 120) }),
        '{"message":"API rate limit exceeded"}',
        now,
      ),
    ).toBe(121_000);
    expect(
      rateLimitWait(
        403,
        headers({}),
        '{"message":"You have exceeded a secondary rate limit"}',
        now,
      ),
    ).toBe(60_000);
    expect(rateLimitWait(429, headers({}), '', now)).toBe(60_000);
    expect(
      rateLimitWait(403, headers({}), '{"message":"Resource not accessible by integration"}', now),
    ).toBeNull();
    expect(rateLimitWait(404, headers({ 'retry-after': '5' }), '', now)).toBeNull();
  });

  it('does not retry a client error', async () => {
    const client = new GitHubReleases('acme', 'images', options({ token: 'wrong-token-value' }));
    await expect(client.findRelease('v1')).rejects.toThrow(/HTTP 401 Bad credentials/);
    expect(waits).toEqual([]);
  });
});

describe('the token: redacted everywhere, sent only to the API and its upload host', () => {
  it('an error body echoing the Authorization header is printed without the token', async () => {
    gh.echoAuthOnce.add('GET /repos/acme/images/releases/tags');
    const run = publishToGitHub('acme/images', 'v1', 'n', await set(), false, options());
    const error = (await run.catch((e: unknown) => e)) as GitHubError;
    expect(error).toBeInstanceOf(GitHubError);
    expect(error.message).toContain('HTTP 400');
    expect(error.message).toContain('[REDACTED]');
    expect(error.message).not.toContain(TOKEN);
    expect(error.message).not.toContain(TOKEN.slice(4));
  });

  it('never sends the token to a host that upload_url names', async () => {
    const seen: (string | undefined)[] = [];
    const foreign = http.createServer((req, res) => {
      seen.push(req.headers.authorization);
      req.resume();
      res.writeHead(201, { 'content-type': 'application/json' }).end('{}');
    });
    await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
    try {
      gh.uploadRoot = `http://localhost:${(foreign.address() as AddressInfo).port}/uploads`;
      const run = publishToGitHub('acme/images', 'v1', 'n', await set(), false, options());
      await expect(run).rejects.toThrow(
        /upload_url names http:\/\/localhost:\d+, not the upload host .*refusing to send the token/,
      );
      expect(seen).toEqual([]);
      expect(waits).toEqual([]); // a refusal is not retried
      expect([...gh.releases.values()][0]?.draft).toBe(true);
    } finally {
      await new Promise((resolve) => foreign.close(resolve));
    }
  });

  it('follows the asset download redirect to storage without the token', async () => {
    const files = await set();
    await publishToGitHub('acme/images', 'v1', 'n', files, false, options());
    const asset = [...gh.assets.values()][0];
    // Storage on another origin (localhost, not 127.0.0.1), as GitHub's is.
    gh.storageRoot = gh.url.replace('127.0.0.1', 'localhost') + '/storage';
    const storageAuth: (string | null)[] = [];
    const spy: FetchLike = async (url, init) => {
      if (url.includes('/storage/')) storageAuth.push(init.headers.authorization ?? null);
      return fetch(url, init as unknown as RequestInit);
    };
    const client = new GitHubReleases('acme', 'images', options({ fetch: spy }));
    const chunks: Uint8Array[] = [];
    for await (const c of await client.downloadAsset(Number(asset?.json.id))) chunks.push(c);
    expect(Buffer.concat(chunks)).toEqual(asset?.data);
    expect(storageAuth).toEqual([null]);
  });

  it('pairs api.github.com with uploads.github.com and GHE /api/v3 with /api/uploads, nothing else', () => {
    const dotcom = tokenOrigins('https://api.github.com');
    expect(dotcom).toEqual({
      api: 'https://api.github.com/',
      uploads: 'https://uploads.github.com/',
    });
    expect(
      mayCarryToken('https://uploads.github.com/repos/o/r/releases/1/assets?name=x', dotcom),
    ).toBe(true);
    expect(mayCarryToken('https://api.github.com.evil.example/repos', dotcom)).toBe(false);
    expect(mayCarryToken('http://api.github.com/repos', dotcom)).toBe(false);
    expect(mayCarryToken('https://objects.githubusercontent.com/x', dotcom)).toBe(false);
    const ghe = tokenOrigins('https://ghe.corp.example/api/v3/');
    expect(ghe).toEqual({
      api: 'https://ghe.corp.example/api/v3/',
      uploads: 'https://ghe.corp.example/api/uploads/',
    });
    expect(
      mayCarryToken('https://ghe.corp.example/api/uploads/repos/o/r/releases/1/assets', ghe),
    ).toBe(true);
    expect(mayCarryToken('https://ghe.corp.example/other/path', ghe)).toBe(false);
    expect(mayCarryToken('https://ghe.corp.example:8443/api/v3/repos', ghe)).toBe(false);
  });

  it('redacts GitHub token shapes and Authorization values from any text', () => {
    const text =
      'auth "Authorization: Bearer abc.def-ghi_jkl012345" and github_pat_11ABCDEFG0123456789_abcdefghijklmnop and gho_0123456789abcdefghijKLMNOP';
    const out = redactTokens(text);
    expect(out).not.toMatch(/abc\.def|github_pat_11|gho_0123/);
    expect(redactTokens('x my-own-secret-value y', ['my-own-secret-value'])).toBe('x [REDACTED] y');
  });
});
