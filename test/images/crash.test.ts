// kill -9 of the real CLI in the middle of a build and in the middle of an
// artifact export; the re-run must leave dist/ exactly as an uninterrupted
// run does, with no temp files or lock left behind.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build as esbuild } from 'esbuild';
import { walkTree } from '../../src/io/files.js';
import type { Manifest } from '../../src/images/manifest.js';
import { needsNix, nixEnv, nixVersion } from '../helpers/nix.js';
import { imagesBuild, workspace, type Workspace } from './helpers.js';

let bundle: string;
let ws: Workspace;

beforeAll(async () => {
  // A private bundle of the CLI, so this test neither needs nor disturbs dist/.
  bundle = await mkdtemp(join(tmpdir(), 'cf-bundle-'));
  await esbuild({
    entryPoints: { cli: 'src/main.ts' },
    outdir: bundle,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    banner: {
      js: "import { createRequire as __cfCreateRequire } from 'node:module'; const require = __cfCreateRequire(import.meta.url);",
    },
    logLevel: 'error',
  });
});
afterAll(() => rm(bundle, { recursive: true, force: true }));
beforeEach(async () => {
  ws = await workspace();
});
afterEach(() => ws.cleanup());

function start(dist: string): {
  child: ChildProcess;
  stderr: () => string;
  done: Promise<number | null>;
} {
  const child = spawn(
    process.execPath,
    [join(bundle, 'cli.js'), ...imagesBuild(ws, '1.0.0'), '--only', 'x86_64-linux', '--dist', dist],
    { cwd: ws.dir, env: nixEnv(), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let err = '';
  child.stderr?.on('data', (c: Buffer) => (err += c.toString('utf8')));
  child.stdout?.resume();
  const done = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, stderr: () => err, done };
}

async function until(condition: () => boolean, what: string, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

async function tempFiles(dist: string): Promise<string[]> {
  const found: string[] = [];
  for await (const e of walkTree(join(ws.dir, dist))) {
    if (e.path.includes('.crossflake-tmp-') || e.path.endsWith('.crossflake.lock'))
      found.push(e.path);
  }
  return found;
}

/** dist/<version>/ as comparable data: file -> sha256, with the manifest's clock fields dropped. */
async function snapshot(dist: string): Promise<Record<string, string>> {
  const dir = join(ws.dir, dist, '1.0.0');
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    const bytes = await readFile(join(dir, name));
    if (name === 'manifest.json') {
      const m = JSON.parse(bytes.toString('utf8')) as Manifest;
      m.createdAt = '';
      for (const a of m.artifacts) {
        a.builtAt = '';
        a.buildSeconds = 0;
      }
      out[name] = JSON.stringify(m);
    } else {
      out[name] = createHash('sha256').update(bytes).digest('hex');
    }
  }
  return out;
}

describe.skipIf(!nixVersion)(`kill -9 and re-run${needsNix}`, () => {
  it('during the nix build: the re-run completes dist/ exactly and sweeps the temp files', async () => {
    await writeFile(join(ws.flake, 'salt'), `${process.pid}-${Date.now()}`);
    await writeFile(join(ws.flake, 'sleep'), '1');
    const run = start('dist');
    await until(
      () => run.stderr().includes('[demo-qcow2-x86_64-linux] building'),
      'the qcow2 build',
    );
    run.child.kill('SIGKILL');
    await run.done;
    expect(await tempFiles('dist')).not.toEqual([]); // the crash really left debris
    expect(readdirSync(join(ws.dir, 'dist', '1.0.0'))).not.toContain('manifest.json');

    const rerun = start('dist');
    expect(await rerun.done, rerun.stderr()).toBe(0);
    expect(rerun.stderr()).toMatch(/Removed \d+ temp file|\] built/);
    expect(await tempFiles('dist')).toEqual([]);

    const reference = start('dist-reference');
    expect(await reference.done).toBe(0);
    expect(await snapshot('dist')).toEqual(await snapshot('dist-reference'));
  });

  it('during the export of a 200 MiB artifact: same final dist/, no temp file left', async () => {
    await writeFile(join(ws.flake, 'size-mib'), '200');
    const reference = start('dist-reference');
    expect(await reference.done, reference.stderr()).toBe(0);

    const run = start('dist');
    const versionDir = join(ws.dir, 'dist', '1.0.0');
    const copying = () => {
      try {
        return readdirSync(versionDir).some((n) => n.includes('.qcow2.crossflake-tmp-'));
      } catch {
        return false;
      }
    };
    await until(copying, 'the qcow2 export');
    run.child.kill('SIGKILL');
    await run.done;
    const debris = await tempFiles('dist');
    expect(debris.some((p) => p.includes('.qcow2.crossflake-tmp-'))).toBe(true);
    expect(readdirSync(versionDir)).not.toContain('manifest.json');

    const rerun = start('dist');
    expect(await rerun.done, rerun.stderr()).toBe(0);
    expect(await tempFiles('dist')).toEqual([]);
    expect(await snapshot('dist')).toEqual(await snapshot('dist-reference'));
  });
});
