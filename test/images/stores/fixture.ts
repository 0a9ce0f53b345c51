// The per-file set-up of the store tests: one real server per test file,
// a temp dist/2026.11/ per test, and fetching a release back to compare.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { cli } from '../helpers.js';
import { makeDist } from '../dist-fixture.js';
import type { Served } from './servers.js';

/** Test data shared by both stores: a small artifact and a 3 MiB one. */
export function storeFiles(fill: number) {
  const big = Buffer.alloc(3 * 1024 * 1024, fill);
  for (let i = 0; i < big.length; i += 4096) big[i] = (i / 4096) % 251;
  const files = [
    { file: 'demo-wsl-x86_64-linux-2026.11.wsl', data: 'a small wsl tarball\n', format: 'wsl' },
    { file: 'demo-qcow2-x86_64-linux-2026.11.qcow2', data: big, format: 'qcow2' },
  ];
  return { big, files };
}

/**
 * Starts one server for the file's tests (unless `missing` says why not) and,
 * per test, a temp folder with dist/2026.11/ made of `files`.
 */
export function useServer(
  missing: string | null,
  start: (root: string) => Promise<Served>,
  files: { file: string; data: string | Buffer; format: string }[],
) {
  const state = { root: '', dir: '', n: 0, server: null as Served | null };
  beforeAll(async () => {
    if (missing) return;
    state.root = await mkdtemp(join(tmpdir(), 'cf-server-'));
    state.server = await start(state.root);
  });
  afterAll(async () => {
    await state.server?.stop();
    if (state.root) await rm(state.root, { recursive: true, force: true });
  });
  beforeEach(async () => {
    if (missing) return;
    state.dir = await mkdtemp(join(tmpdir(), 'cf-store-'));
    state.n++;
    await makeDist(join(state.dir, 'dist'), '2026.11', files);
    return () => rm(state.dir, { recursive: true, force: true });
  });
  return state;
}

/** `images fetch SOURCE --image demo-qcow2` into a new folder: verified, byte for byte. */
export async function expectFetchedBack(
  source: string,
  dir: string,
  env: NodeJS.ProcessEnv,
  file: string,
  data: Buffer,
): Promise<void> {
  const out = await mkdtemp(join(dir, 'fetched-'));
  const got = await cli(
    ['images', 'fetch', source, '--image', 'demo-qcow2', '--to', out],
    dir,
    env,
  );
  expect(got.code, got.stderr).toBe(0);
  expect(got.stdout).toContain('matches SHA256SUMS');
  expect((await readFile(join(out, file))).equals(data)).toBe(true);
}

/** `onboard wsl --dry-run --json` on the recorded Windows facts, with --image when given. */
export function onboardDryRun(dir: string, env: NodeJS.ProcessEnv, image?: string) {
  const facts = new URL('../../fixtures/host/facts/windows-native.json', import.meta.url).pathname;
  const args = ['onboard', 'wsl', '--dry-run', '--json', '--facts', facts];
  if (image !== undefined) args.push('--image', image);
  args.push('--state', join(dir, 'wsl.json'));
  return cli(args, dir, { LOCALAPPDATA: join(dir, 'appdata'), ...env });
}
