// `onboard wsl --dry-run --image <URL>` prints the plan without the network:
// when the release cannot be read it says what it would fetch and that it
// could not check it; when the release answers, it picks the image from it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../images/helpers.js';
import { serveRelease } from '../helpers/release-server.js';

const facts = new URL('../fixtures/host/facts/windows-native.json', import.meta.url).pathname;
const x86 = 'company-nixos-wsl-x86_64-linux-2026.11.wsl';
const arm = 'company-nixos-wsl-aarch64-linux-2026.11.wsl';
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cf-onboard-url-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

interface Out {
  plan: { summary: string; steps: { id: string; what: string; command: string[] }[] };
}

async function dryRun(image: string) {
  const res = await cli(
    [
      'onboard',
      'wsl',
      '--dry-run',
      '--json',
      '--facts',
      facts,
      '--image',
      image,
      '--state',
      join(dir, 's.json'),
    ],
    dir,
    { LOCALAPPDATA: 'C:\\Users\\ada\\AppData\\Local' },
  );
  const fetchStep = res.code === 0 ? (JSON.parse(res.stdout) as Out).plan.steps[0] : undefined;
  return { res, fetchStep, out: res.code === 0 ? (JSON.parse(res.stdout) as Out) : null };
}

/** A URL on 127.0.0.1 where nothing listens (as a laptop without network sees it). */
async function deadUrl(path: string): Promise<string> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return `http://127.0.0.1:${port}${path}`;
}

describe('onboard wsl --dry-run --image <URL>', () => {
  it('without network: prints the plan, saying what it would fetch and that it was not checked', async () => {
    const url = await deadUrl('/releases/v2026.11/');
    const { res, fetchStep, out } = await dryRun(url);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(fetchStep?.id).toBe('fetch-image');
    expect(fetchStep?.what).toContain('not checked now, the release could not be read');
    expect(fetchStep?.what).toContain(`${url}SHA256SUMS: connection refused`);
    // No --image with a made-up name: `images fetch` picks from SHA256SUMS when run.
    expect(fetchStep?.command).toEqual([
      'crossflake',
      'images',
      'fetch',
      url,
      '--to',
      'C:\\Users\\ada\\AppData\\Local\\crossflake\\images',
    ]);
    expect(out?.plan.steps.map((s) => s.id)).toContain('import');
  });

  it('without network, an artifact URL names its file in the plan', async () => {
    const url = await deadUrl(`/releases/v2026.11/${x86}`);
    const { res, fetchStep, out } = await dryRun(url);
    expect(res.code).toBe(0);
    expect(fetchStep?.command).toContain('--image');
    expect(fetchStep?.command).toContain(x86);
    expect(out?.plan.summary).toBe(`WSL distro NixOS from ${x86}`);
  });

  it('with the release reachable: picks the image for this machine from SHA256SUMS', async () => {
    const root = join(dir, 'rel');
    mkdirSync(root);
    writeFileSync(join(root, x86), 'x');
    writeFileSync(join(root, arm), 'a');
    writeFileSync(
      join(root, 'SHA256SUMS'),
      `${'1'.repeat(64)}  ${arm}\n${'2'.repeat(64)}  ${x86}\n`,
    );
    const server = await serveRelease(root);
    try {
      const { res, fetchStep } = await dryRun(server.url);
      expect(res.code).toBe(0);
      expect(fetchStep?.what).toBe(`Download ${x86} and verify its SHA-256`);
      expect(server.requests.map((r) => r.path)).toContain('/SHA256SUMS');
    } finally {
      await server.close();
    }
  });
});
