// Per-system CI jobs each build their own dist/; `images merge` joins them
// into one release set. Real builds of the fixture flake stand in for two
// runners (two disjoint image selections, same version).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mergeManifests, type Manifest } from '../../src/images/manifest.js';
import { needsNix, nixVersion } from '../helpers/nix.js';
import { cli, imagesBuild, workspace, type Workspace } from './helpers.js';

const version = '2026.11';
let ws: Workspace;
beforeEach(async () => {
  ws = await workspace();
});
afterEach(() => ws.cleanup());

const buildPart = (dist: string, only: string) =>
  cli([...imagesBuild(ws, version), '--only', only, '--dist', dist], ws.dir);

const manifestOf = async (dist: string) =>
  JSON.parse(await readFile(join(ws.dir, dist, version, 'manifest.json'), 'utf8')) as Manifest;

describe.skipIf(!nixVersion)(`images merge with real nix${needsNix}`, () => {
  it('joins two parts into one dist with one SHA256SUMS that sha256sum -c accepts', async () => {
    expect((await buildPart('part-a', 'iso')).code).toBe(0);
    expect((await buildPart('part-b', 'vmware')).code).toBe(0);
    const res = await cli(['images', 'merge', 'part-a', 'part-b', '--dist', 'dist'], ws.dir);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const merged = await manifestOf('dist');
    expect(merged.artifacts.map((a) => a.format).sort()).toEqual(['iso', 'vmware']);
    const out = execFileSync('sha256sum', ['-c', 'SHA256SUMS'], {
      cwd: join(ws.dir, 'dist', version),
      encoding: 'utf8',
    });
    expect(out.trim().split('\n')).toHaveLength(2);
    // A second merge (CI re-run) changes nothing and succeeds.
    expect(
      (await cli(['images', 'merge', 'part-a', 'part-b', '--dist', 'dist'], ws.dir)).code,
    ).toBe(0);
  });

  it('refuses an artifact that does not match its manifest, naming the file', async () => {
    expect((await buildPart('part-a', 'iso')).code).toBe(0);
    const [artifact] = (await manifestOf('part-a')).artifacts;
    await appendFile(join(ws.dir, 'part-a', version, artifact!.file), 'tampered');
    const res = await cli(['images', 'merge', 'part-a', '--dist', 'dist'], ws.dir);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(`${artifact!.file} does not match its sha256`);
  });

  it('says what is missing when a part has no complete build', async () => {
    const res = await cli(['images', 'merge', 'nowhere', '--dist', 'dist'], ws.dir);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/the part folder .*nowhere does not exist; give a folder/);
    await mkdir(join(ws.dir, 'empty'));
    const empty = await cli(['images', 'merge', 'empty', '--dist', 'dist'], ws.dir);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('empty: no complete build (no manifest.json)');
  });
});

describe('mergeManifests', () => {
  const base = (version: string, files: [string, string][], revision = 'abc'): Manifest =>
    ({
      schema: 'crossflake.images.manifest/1',
      version,
      createdAt: '2026-11-01T00:00:00Z',
      flake: '.',
      git: { revision, dirty: false },
      flakeLock: {},
      artifacts: files.map(([file, sha256]) => ({ file, sha256 })),
    }) as unknown as Manifest;

  it('refuses parts of different versions or revisions', () => {
    expect(() => mergeManifests([base('1.0', []), base('1.1', [])])).toThrow(/versions differ/);
    expect(() => mergeManifests([base('1.0', [], 'a'), base('1.0', [], 'b')])).toThrow(
      /different revisions/,
    );
  });

  it('refuses one file with two contents, accepts the same file twice', () => {
    const a = 'a'.repeat(64);
    const b = 'b'.repeat(64);
    expect(() => mergeManifests([base('1', [['x.iso', a]]), base('1', [['x.iso', b]])])).toThrow(
      /differs/,
    );
    expect(
      mergeManifests([
        base('1', [['x.iso', a]]),
        base('1', [
          ['x.iso', a],
          ['y.iso', b],
        ]),
      ]).artifacts,
    ).toHaveLength(2);
  });
});
