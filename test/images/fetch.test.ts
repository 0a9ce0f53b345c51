import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fetchHandler, locateRelease, pickArtifact, loadRelease } from '../../src/images/fetch.js';
import { serveRelease, type ReleaseServer } from '../helpers/release-server.js';
import { captureIo } from '../helpers/capture-io.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const wslFile = 'company-nixos-wsl-x86_64-linux-2026.11.wsl';
const qcowFile = 'company-nixos-qcow2-x86_64-linux-2026.11.qcow2';
const wsl = randomBytes(2 * 1024 * 1024 + 5);
const qcow = randomBytes(4096);
let release: string;
let to: string;
let server: ReleaseServer;

function writeRelease(sums: string): void {
  writeFileSync(join(release, wslFile), wsl);
  writeFileSync(join(release, qcowFile), qcow);
  writeFileSync(join(release, 'SHA256SUMS'), sums);
}

beforeEach(async () => {
  release = mkdtempSync(join(tmpdir(), 'crossflake-release-'));
  to = mkdtempSync(join(tmpdir(), 'crossflake-fetch-'));
  server = await serveRelease(release);
});
afterEach(async () => {
  await server.close();
  rmSync(release, { recursive: true, force: true });
  rmSync(to, { recursive: true, force: true });
});

const goodSums = () => `${sha(qcow)}  ${qcowFile}\n${sha(wsl)}  ${wslFile}\n`;

describe('images fetch against a release served on 127.0.0.1', () => {
  it('downloads the named image, resuming after a dropped connection, and verifies it', async () => {
    writeRelease(goodSums());
    server.dropAfter(wslFile, 700_000);
    const io = captureIo(to);
    const code = await fetchHandler({ image: wslFile, to, json: true }, [server.url], io);
    expect(code).toBe(0);
    const result = JSON.parse(io.out()) as { sha256: string; verified: boolean; path: string };
    expect(result).toMatchObject({ sha256: sha(wsl), verified: true, path: join(to, wslFile) });
    expect(readFileSync(join(to, wslFile)).equals(wsl)).toBe(true);
    const ranged = server.requests.filter((r) => r.path === `/${wslFile}` && r.range);
    expect(ranged.map((r) => r.status)).toEqual([206]);
  });

  it('refuses a checksum mismatch, prints both hashes and removes the bad file', async () => {
    const wrong = 'cd'.repeat(32);
    writeRelease(`${wrong}  ${wslFile}\n${sha(qcow)}  ${qcowFile}\n`);
    const io = captureIo(to);
    const code = await fetchHandler({ image: 'company-nixos-wsl', to }, [server.url], io);
    expect(code).toBe(1);
    expect(io.err()).toContain(`expected ${wrong}`);
    expect(io.err()).toContain(`actual   ${sha(wsl)}`);
    expect(readdirSync(to)).toEqual([]);
  });

  it('refuses an artifact missing from SHA256SUMS unless --insecure-skip-verify', async () => {
    writeRelease(`${sha(qcow)}  ${qcowFile}\n`);
    const io = captureIo(to);
    await expect(
      fetchHandler({ image: wslFile, to }, [`${server.url}${wslFile}`], io),
    ).rejects.toThrow(/SHA256SUMS has no entry for .*--insecure-skip-verify/);
    expect(existsSync(join(to, wslFile))).toBe(false);
    expect(server.requests.some((r) => r.path === `/${wslFile}`)).toBe(false);

    const io2 = captureIo(to);
    const code = await fetchHandler(
      { to, 'insecure-skip-verify': true },
      [`${server.url}${wslFile}`],
      io2,
    );
    expect(code).toBe(0);
    expect(io2.err()).toContain('NOT verified');
    expect(io2.out()).toContain('NOT VERIFIED');
    expect(readFileSync(join(to, wslFile)).equals(wsl)).toBe(true);
  });

  it('reuses a file already there with the right checksum, without downloading', async () => {
    writeRelease(goodSums());
    writeFileSync(join(to, wslFile), wsl);
    const io = captureIo(to);
    expect(await fetchHandler({ image: wslFile, to }, [server.url], io)).toBe(0);
    expect(io.out()).toContain('already there');
    expect(server.requests.some((r) => r.path === `/${wslFile}`)).toBe(false);
  });

  it('copies from a release directory on disk and verifies it', async () => {
    writeRelease(goodSums());
    const io = captureIo(to);
    expect(await fetchHandler({ image: qcowFile, to }, [release], io)).toBe(0);
    expect(readFileSync(join(to, qcowFile)).equals(qcow)).toBe(true);
    // Not a terminal: plain progress lines, the last one at 100%.
    expect(io.err().trim().split('\n').at(-1)).toMatch(new RegExp(`^${qcowFile}: 100% `));
    expect(io.out()).toContain('matches SHA256SUMS');
  });

  it('asks for --image when the release has several artifacts', async () => {
    writeRelease(goodSums());
    await expect(fetchHandler({ to }, [server.url], captureIo(to))).rejects.toThrow(
      /several artifacts fit.*--image/s,
    );
  });
});

describe('release parsing', () => {
  it('reads sha256sum -c format with the shared grammar and names the bad line', async () => {
    writeFileSync(
      join(release, 'SHA256SUMS'),
      `${'a'.repeat(64)}  x.wsl\n${'B'.repeat(64)} *y.iso\n`,
    );
    const read = await loadRelease(release, to);
    expect([...(read.sums ?? [])]).toEqual([
      ['x.wsl', 'a'.repeat(64)],
      ['y.iso', 'b'.repeat(64)],
    ]);
    writeFileSync(
      join(release, 'SHA256SUMS'),
      `${'a'.repeat(64)}  x.wsl\n${'a'.repeat(64)}  ../etc/passwd\n`,
    );
    await expect(loadRelease(release, to)).rejects.toThrow(`${join(release, 'SHA256SUMS')}:2: `);
  });

  it('maps a GitHub release page to its download directory', () => {
    expect(locateRelease('https://github.com/acme/team/releases/tag/v2026.11', '/')).toEqual({
      base: 'https://github.com/acme/team/releases/download/v2026.11/',
      local: false,
      named: null,
    });
    expect(locateRelease('https://h/r/x-2026.11.wsl', '/').named).toBe('x-2026.11.wsl');
  });

  it('picks the artifact a predicate selects (manifest format and system)', async () => {
    writeRelease(goodSums());
    writeFileSync(
      join(release, 'manifest.json'),
      JSON.stringify({
        artifacts: [
          { file: wslFile, format: 'wsl', system: 'x86_64-linux' },
          { file: qcowFile, format: 'qcow2', system: 'x86_64-linux' },
        ],
      }),
    );
    const rel = await loadRelease(server.url, to);
    expect(pickArtifact(rel, undefined, (a) => a.format === 'wsl').file).toBe(wslFile);
  });
});
