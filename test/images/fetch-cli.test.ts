// `images fetch` is reachable through the images command (the same handler
// test/images/fetch.test.ts exercises against an HTTP server).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from './helpers.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cf-fetch-cli-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('crossflake images fetch (a release directory on disk)', () => {
  it('copies the artifact and verifies it against SHA256SUMS', async () => {
    const release = join(dir, 'release');
    await mkdir(release);
    const body = 'pretend this is a WSL image\n';
    const file = 'team-nixos-wsl-x86_64-linux-2026.11.wsl';
    await writeFile(join(release, file), body);
    const sha = createHash('sha256').update(body).digest('hex');
    await writeFile(join(release, 'SHA256SUMS'), `${sha}  ${file}\n`);
    const res = await cli(
      ['images', 'fetch', release, '--image', file, '--to', 'out', '--json'],
      dir,
    );
    expect(res.code).toBe(0);
    expect(await readFile(join(dir, 'out', file), 'utf8')).toBe(body);
  });

  it('refuses options of other subcommands', async () => {
    const res = await cli(['images', 'fetch', dir, '--dist', 'x'], dir);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('does not take --dist');
  });
});
