// A file released in numbered parts (a small --part-size, or GitHub's limit
// made small for the test) comes back from `images fetch` as the one file,
// byte for byte: from a release directory, over HTTP from 127.0.0.1 and from
// the loopback GitHub replay. A corrupted part is refused by name, and an
// interrupted fetch run again finishes without fetching the joined parts again.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stageDirFor } from '../../src/images/fetch-parts.js';
import { startFakeGitHub } from './github-server.js';
import { cli } from './helpers.js';
import { makeDist, sha256 } from './dist-fixture.js';
import { serveRelease } from '../helpers/release-server.js';
import { captureIo } from '../helpers/capture-io.js';
import { liveContext } from '../../src/onboard/live.js';
import type { Plan } from '../../src/onboard/step.js';
import { colors } from '../../src/ui/color.js';

const TOKEN = 'ghp_partsfetch0123456789abcdefghijklmno';
const QCOW = 'demo-qcow2-x86_64-linux-2026.11.qcow2';
const part = (i: number) => `${QCOW}.part-00${i}-of-003`;
// 2500 bytes: three parts of at most 1000, the last one short.
const big = Buffer.from(Array.from({ length: 2500 }, (_, i) => (i * 7) % 251));
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cf-parts-'));
  await makeDist(join(dir, 'dist'), '2026.11', [
    { file: QCOW, data: big, format: 'qcow2' },
    { file: 'demo-iso-x86_64-linux-2026.11.iso', data: 'small', format: 'iso' },
  ]);
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const releaseToDir = () =>
  cli(['images', 'release', '--tag', 'v2026.11', '--dir', 'out', '--part-size', '1000'], dir);
// With --json a failure is the envelope's error on stdout; the tests read it
// beside stderr.
const fetchTo = async (source: string, env: NodeJS.ProcessEnv = {}) => {
  const res = await cli(
    ['images', 'fetch', source, '--image', QCOW, '--to', 'got', '--json'],
    dir,
    env,
  );
  if (res.code === 0) return res;
  const { error } = JSON.parse(res.stdout) as { error: { message: string } };
  return { ...res, stderr: `${res.stderr}${error.message}\n` };
};

async function expectWhole(): Promise<void> {
  expect((await readFile(join(dir, 'got', QCOW))).equals(big)).toBe(true);
  // Nothing of the joining is left beside it.
  expect(readdirSync(join(dir, 'got'))).toEqual([QCOW]);
}

describe('a release in parts to a directory (--part-size)', () => {
  it('publishes numbered parts listed in SHA256SUMS, and fetch joins them byte for byte', async () => {
    const released = await releaseToDir();
    expect(released.code, released.stderr).toBe(0);
    const out = join(dir, 'out', 'v2026.11');
    expect(readdirSync(out).sort()).toEqual(
      [
        'RELEASE-NOTES.md',
        'SHA256SUMS',
        'demo-iso-x86_64-linux-2026.11.iso',
        part(1),
        part(2),
        part(3),
        'manifest.json',
      ].sort(),
    );
    expect((await readFile(join(out, part(3)))).length).toBe(500);
    const got = await fetchTo(out);
    expect(got.code, got.stderr).toBe(0);
    expect(JSON.parse(got.stdout)).toMatchObject({ sha256: sha256(big), verified: true });
    await expectWhole();
  });

  it('fetch over HTTP from 127.0.0.1 joins them too, and a second fetch finds the file there', async () => {
    await releaseToDir();
    const server = await serveRelease(join(dir, 'out', 'v2026.11'));
    try {
      const got = await fetchTo(server.url);
      expect(got.code, got.stderr).toBe(0);
      await expectWhole();
      const again = await fetchTo(server.url);
      expect(JSON.parse(again.stdout)).toMatchObject({ reused: true });
    } finally {
      await server.close();
    }
  });

  it('refuses a corrupted part, naming it, from a directory and over HTTP', async () => {
    await releaseToDir();
    const out = join(dir, 'out', 'v2026.11');
    const bad = Buffer.from(await readFile(join(out, part(2))));
    bad[10] = (bad[10] ?? 0) ^ 0xff;
    await writeFile(join(out, part(2)), bad);
    const local = await fetchTo(out);
    expect(local.code).toBe(1);
    expect(local.stderr).toContain(`refusing ${part(2)}: SHA-256 mismatch`);
    expect(existsSync(join(dir, 'got', QCOW))).toBe(false);
    const server = await serveRelease(out);
    try {
      const remote = await fetchTo(server.url);
      expect(remote.code).toBe(1);
      expect(remote.stderr).toContain(`refusing ${part(2)}: SHA-256 mismatch`);
      expect(existsSync(join(dir, 'got', QCOW))).toBe(false);
    } finally {
      await server.close();
    }
  });

  it('an interrupted fetch run again finishes: joined parts are not fetched again, the cut one resumes', async () => {
    await releaseToDir();
    const server = await serveRelease(join(dir, 'out', 'v2026.11'));
    try {
      server.dropAfter(part(2), 400);
      const first = await fetchTo(server.url, { CROSSFLAKE_RETRIES: '0' });
      expect(first.code).toBe(1);
      expect(first.stderr).toContain(part(2));
      expect(existsSync(join(dir, 'got', QCOW))).toBe(false);
      expect(existsSync(stageDirFor(join(dir, 'got', QCOW)))).toBe(true);
      server.requests.length = 0;
      const second = await fetchTo(server.url, { CROSSFLAKE_RETRIES: '0' });
      expect(second.code, second.stderr).toBe(0);
      expect(JSON.parse(second.stdout)).toMatchObject({ sha256: sha256(big), resumedFrom: 1400 });
      const fetched = server.requests.filter((r) => r.path.includes('.part-'));
      expect(fetched).toEqual([
        { path: `/${part(2)}`, range: 'bytes=400-', status: 206 },
        { path: `/${part(3)}`, range: undefined, status: 200 },
      ]);
      await expectWhole();
    } finally {
      await server.close();
    }
  });

  it('verifies the joined file against the manifest: every part right but the whole wrong is refused', async () => {
    await releaseToDir();
    const manifest = join(dir, 'out', 'v2026.11', 'manifest.json');
    const text = await readFile(manifest, 'utf8');
    await writeFile(manifest, text.replace(sha256(big), 'e'.repeat(64)));
    const got = await fetchTo(join(dir, 'out', 'v2026.11'));
    expect(got.code).toBe(1);
    expect(got.stderr).toContain(`refusing ${QCOW}: SHA-256 mismatch`);
    expect(got.stderr).toMatch(new RegExp(`actual\\s+${sha256(big)}`));
    expect(readdirSync(join(dir, 'got'))).toEqual([]);
  });

  it('refuses a file whose parts are incomplete, saying which is missing', async () => {
    await releaseToDir();
    const out = join(dir, 'out', 'v2026.11');
    const sums = (await readFile(join(out, 'SHA256SUMS'), 'utf8'))
      .split('\n')
      .filter((l) => !l.endsWith(part(3)))
      .join('\n');
    await writeFile(join(out, 'SHA256SUMS'), sums);
    const got = await fetchTo(out);
    expect(got.code).toBe(1);
    expect(got.stderr).toContain(`refusing ${QCOW}: part(s) 3 of 3 missing`);
  });
});

describe('a GitHub release in parts (loopback replay, asset limit made small)', () => {
  it('fetch from the release download URLs joins the parts byte for byte', async () => {
    const gh = await startFakeGitHub(TOKEN);
    try {
      const released = await cli(
        ['images', 'release', '--tag', 'v2026.11', '--github', 'acme/images'],
        dir,
        { GH_TOKEN: TOKEN, GITHUB_API_URL: gh.url, CROSSFLAKE_GITHUB_ASSET_LIMIT: '1000' },
      );
      expect(released.code, released.stderr).toBe(0);
      const got = await fetchTo(`${gh.url}/acme/images/releases/download/v2026.11/`);
      expect(got.code, got.stderr).toBe(0);
      await expectWhole();
      // Each part came through its release download URL (then the storage redirect).
      const downloads = gh.log.filter(
        (l) => l.includes('/releases/download/') && l.includes('.part-'),
      );
      expect(downloads).toEqual(
        [1, 2, 3].map((i) => `GET /acme/images/releases/download/v2026.11/${part(i)}`),
      );
    } finally {
      await gh.close();
    }
  });
});

describe('onboard wsl --image with a .wsl released in parts', () => {
  const WSL = 'demo-wsl-x86_64-linux-2026.11.wsl';
  it('plans the whole image (saying it comes in parts) and its fetch step joins them', async () => {
    await rm(join(dir, 'dist'), { recursive: true });
    await makeDist(join(dir, 'dist'), '2026.11', [{ file: WSL, data: big, format: 'wsl' }]);
    expect((await releaseToDir()).code).toBe(0);
    const out = join(dir, 'out', 'v2026.11');
    const facts = join(process.cwd(), 'test/fixtures/host/facts/windows-native.json');
    const planned = await cli(
      ['onboard', 'wsl', '--dry-run', '--facts', facts, '--image', out, '--json'],
      dir,
      { LOCALAPPDATA: join(dir, 'appdata') },
    );
    expect(planned.code, planned.stderr).toBe(0);
    const plan = (JSON.parse(planned.stdout) as { plan: Plan }).plan;
    const fetchStep = plan.steps.find((s) => s.id === 'fetch-image')!;
    expect(fetchStep.what).toBe(
      `Download ${WSL} (published in 3 parts, joined here) and verify its SHA-256`,
    );
    const io = captureIo(dir);
    await liveContext(io, colors(false)).internal(fetchStep.internal!, fetchStep);
    expect((await readFile(join(out, WSL))).equals(big)).toBe(true);
    expect(io.err()).toContain(`sha256 ${sha256(big)} (verified)`);
  });
});
