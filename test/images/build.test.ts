// Real Nix 2.8 on the fixture flake: tiny /bin/sh derivations standing in for
// WSL, qcow2, ISO, docker and VMware images on x86_64-linux and aarch64-linux.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Manifest } from '../../src/images/manifest.js';
import { needsNix, nixEnv, nixVersion } from '../helpers/nix.js';
import { cli, imagesBuild, workspace, type Workspace } from './helpers.js';

const version = '2026.11';
let ws: Workspace;
beforeEach(async () => {
  ws = await workspace();
});
afterEach(() => ws.cleanup());

const build = (...extra: string[]) => cli([...imagesBuild(ws, version), ...extra], ws.dir);

async function readManifest(): Promise<Manifest> {
  return JSON.parse(
    await readFile(join(ws.dir, 'dist', version, 'manifest.json'), 'utf8'),
  ) as Manifest;
}

describe.skipIf(!nixVersion)(`images plan and build with real nix${needsNix}`, () => {
  it('plan marks the foreign system skipped with a reason and a fix; --json gives the same plan', async () => {
    const text = await cli(['images', 'plan', '--flake', ws.flake, '--facts', ws.facts], ws.dir);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^demo\s+qcow2\s+x86_64-linux\s+build\s+native x86_64-linux$/m);
    expect(text.stdout).toMatch(
      /^demo\s+qcow2\s+aarch64-linux\s+skip\s+x86_64-linux cannot run aarch64-linux builds$/m,
    );
    expect(text.stdout).toContain('fix for demo-sd-card-aarch64-linux:');
    expect(text.stdout).toContain('5 of 7 images can be built on this host.');
    const json = await cli(
      ['images', 'plan', '--json', '--flake', ws.flake, '--facts', ws.facts],
      ws.dir,
    );
    const plan = JSON.parse(json.stdout) as {
      entries: { action: string; image: { system: string } }[];
    };
    expect(plan.entries.filter((e) => e.action === 'skip').map((e) => e.image.system)).toEqual([
      'aarch64-linux',
      'aarch64-linux',
    ]);
  });

  it('build exports named artifacts, a SHA256SUMS that sha256sum -c accepts and a complete manifest', async () => {
    await writeFile(join(ws.flake, 'salt'), `${process.pid}-${Date.now()}`);
    const res = await build();
    expect(res.code, res.stderr).toBe(0);
    const dir = join(ws.dir, 'dist', version);
    const files = (await readdir(dir)).sort();
    expect(files).toEqual([
      'SHA256SUMS',
      'demo-docker-x86_64-linux-2026.11.tar.gz',
      'demo-iso-x86_64-linux-2026.11.iso',
      'demo-qcow2-x86_64-linux-2026.11.qcow2',
      'demo-vmware-x86_64-linux-2026.11.vmdk',
      'demo-wsl-x86_64-linux-2026.11.wsl',
      'manifest.json',
    ]);
    const check = spawnSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: dir, encoding: 'utf8' });
    expect(check.status, check.stderr).toBe(0);
    expect(check.stdout.match(/: OK$/gm)).toHaveLength(5);

    const manifest = await readManifest();
    // The manifest is published: the flake is recorded without this machine's path.
    expect(manifest).toMatchObject({ version, flake: '.', git: null });
    for (const a of manifest.artifacts) {
      expect(a.size).toBeGreaterThan(0);
      expect(a.drvPath).toMatch(/^\/nix\/store\/.+\.drv$/);
      expect(a.outPath).toMatch(/^\/nix\/store\//);
      expect(a.largestPaths.map((p) => p.path)).toContain(a.outPath);
      // gzip hides the store reference inside the docker tarball; the others keep theirs.
      if (a.format !== 'docker') {
        expect(a.largestPaths.some((p) => p.path.endsWith('-demo-toplevel'))).toBe(true);
      }
      expect(a.closureSize).toBe(a.largestPaths.reduce((s, p) => s + p.narSize, 0));
      expect(a.buildSeconds).toBeGreaterThanOrEqual(0);
    }
    // The skipped foreign images say why, in the summary.
    expect(res.stdout).toMatch(/demo-qcow2-aarch64-linux\s+skipped\s+x86_64-linux cannot run/);
    // Each image keeps its full log, including the shared dependency's build.
    const log = await readFile(join(ws.dir, 'dist', 'logs', 'demo-iso-x86_64-linux.log'), 'utf8');
    expect(log).toContain('assembling the system closure for x86_64-linux');
    expect(log).toContain('building iso for x86_64-linux');
  });

  it('runs the root program of a root-program image as root and ships what it wrote', async () => {
    expect((await build('--only', 'wsl')).code).toBe(0);
    const tarball = join(ws.dir, 'dist', version, 'demo-wsl-x86_64-linux-2026.11.wsl');
    const list = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' });
    expect(list.split('\n')).toContain('./etc/wsl.conf');
    const log = await readFile(join(ws.dir, 'dist', 'logs', 'demo-wsl-x86_64-linux.log'), 'utf8');
    expect(log).toMatch(
      /written by root into .*\.demo-wsl-x86_64-linux-2026\.11\.wsl\.crossflake-tmp-/,
    );
  });

  it('a second build reuses every artifact; changing one derivation rebuilds only that image', async () => {
    expect((await build()).code).toBe(0);
    const first = await readManifest();
    const again = await build('--json');
    const summary = JSON.parse(again.stdout) as { results: { key: string; status: string }[] };
    expect(summary.results.filter((r) => r.status === 'reused')).toHaveLength(5);
    expect(again.stderr).not.toMatch(/\] building/);

    await writeFile(join(ws.flake, 'salt-iso'), 'changed');
    const third = JSON.parse((await build('--json')).stdout) as typeof summary;
    const status = Object.fromEntries(third.results.map((r) => [r.key, r.status]));
    expect(status['demo-iso-x86_64-linux']).toBe('built');
    expect(Object.values(status).filter((s) => s === 'built')).toHaveLength(1);
    const after = await readManifest();
    const drv = (m: Manifest, f: string) => m.artifacts.find((a) => a.format === f)?.drvPath;
    expect(drv(after, 'iso')).not.toBe(drv(first, 'iso'));
    expect(drv(after, 'qcow2')).toBe(drv(first, 'qcow2'));
  });

  it('a reused artifact whose file no longer matches its sha256 is rebuilt', async () => {
    expect((await build('--only', 'vmware')).code).toBe(0);
    const file = join(ws.dir, 'dist', version, 'demo-vmware-x86_64-linux-2026.11.vmdk');
    const good = await readFile(file);
    await writeFile(file, 'tampered');
    const res = JSON.parse((await build('--only', 'vmware', '--json')).stdout) as {
      results: { status: string }[];
    };
    expect(res.results[0]?.status).toBe('built');
    expect(await readFile(file)).toEqual(good);
  });

  it('with --keep-going a failing image leaves the others built and exits 1 naming it and its log', async () => {
    await writeFile(join(ws.flake, 'fail'), '');
    const res = await build('--keep-going');
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/demo-raw-efi-x86_64-linux\s+failed/);
    expect(res.stdout).toContain('1 image(s) failed:');
    const logPath = join(ws.dir, 'dist', 'logs', 'demo-raw-efi-x86_64-linux.log');
    expect(res.stdout).toContain(`log: ${logPath}`);
    expect(await readFile(logPath, 'utf8')).toContain('the disk image step failed on purpose');
    const manifest = await readManifest();
    expect(manifest.artifacts.map((a) => a.format).sort()).toEqual([
      'docker',
      'iso',
      'qcow2',
      'vmware',
      'wsl',
    ]);
  });

  it('without --keep-going nix stops at the first failure and the run exits 1 naming it', async () => {
    await writeFile(join(ws.flake, 'fail'), '');
    await writeFile(join(ws.flake, 'salt'), `${process.pid}-${Date.now()}-stop`);
    const res = await build('--json');
    expect(res.code).toBe(1);
    const summary = JSON.parse(res.stdout) as {
      results: { key: string; status: string; reason: string }[];
    };
    const broken = summary.results.find((r) => r.key === 'demo-raw-efi-x86_64-linux');
    expect(broken).toMatchObject({ status: 'failed' });
    // Nix 2.8 names the failed derivation only with --keep-going; the last log line always shows.
    expect(broken?.reason).toMatch(
      /builder for '.*-demo-raw-efi\.drv' failed|the disk image step failed on purpose/,
    );
    // Whatever nix did not get to is reported as not built, never as built without an artifact.
    for (const r of summary.results.filter((x) => x.status === 'not-built')) {
      expect(r.reason).toContain('use --keep-going');
    }
  });

  it('images copy --to file:// makes a binary cache that nix copy --from accepts', async () => {
    expect((await build('--only', 'iso')).code).toBe(0);
    const cache = join(ws.dir, 'cache');
    const res = await cli(['images', 'copy', '--to', `file://${cache}`, '--dist', 'dist'], ws.dir);
    expect(res.code, res.stderr).toBe(0);
    const outPath = (await readManifest()).artifacts[0]?.outPath as string;
    const store = join(ws.dir, 'other-store');
    execFileSync(
      'nix',
      ['copy', '--no-check-sigs', '--from', `file://${cache}`, '--to', store, outPath],
      { env: nixEnv() },
    );
    expect(await readdir(join(store, 'nix', 'store'))).toContain(
      outPath.slice('/nix/store/'.length),
    );
  });

  it('refuses bad input with exit 2: unknown subcommand, foreign options, bad --to', async () => {
    expect((await cli(['images', 'frob'], ws.dir)).code).toBe(2);
    const wrong = await cli(['images', 'plan', '--tag', 'v1'], ws.dir);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('images plan does not take --tag');
    const to = await cli(['images', 'copy', '--to', 'file://relative/path'], ws.dir);
    expect(to.code).toBe(2);
    expect(to.stderr).toContain('absolute path');
  });
});
