// Hostile input to images merge, release and build, reproduced from the
// review in issue 14: forged names in a part's manifest, a part file named
// like the release's own files, and paths that are files or links. Hand-made
// dist folders (test/images/dist-fixture.ts) stand in for builds; no Nix.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from './helpers.js';
import { makeDist } from './dist-fixture.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cf-hostile-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const version = '2026.11';
const oneLine = (text: string) => text.trim().split('\n').length === 1;

describe('images merge refuses forged artifact names', () => {
  it('a newline in a part manifest file name does not forge a SHA256SUMS line', async () => {
    const forged = `x.iso\n${'0'.repeat(64)}  evil.iso`;
    await makeDist(join(dir, 'a'), version, [{ file: 'good.iso', data: 'good' }]);
    await makeDist(join(dir, 'b'), version, [{ file: forged, data: 'evil' }]);
    const res = await cli(['images', 'merge', 'a', 'b', '--dist', 'dist'], dir);
    expect(res.code, res.stderr).toBe(2);
    expect(res.stderr).toContain("'x.iso\\n0000");
    expect(res.stderr).toContain('not an artifact file name');
    await expect(readFile(join(dir, 'dist', version, 'SHA256SUMS'), 'utf8')).rejects.toThrow(
      /ENOENT/,
    );
  });

  it('a part file named release.json does not mark the version as released', async () => {
    await makeDist(join(dir, 'a'), version, [{ file: 'release.json', data: '{"tag":"v9"}' }]);
    const res = await cli(['images', 'merge', 'a', '--dist', 'dist'], dir);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("'release.json' is not an artifact file name");
    const built = await cli(['images', 'release', '--tag', `v${version}`, '--dir', 'out'], dir);
    expect(built.stderr).not.toContain('already released');
    await expect(readdir(join(dir, 'dist', version))).rejects.toThrow(/ENOENT/);
  });

  it('escape bytes in a part manifest are shown escaped, never raw', async () => {
    await makeDist(join(dir, 'a'), version, [{ file: '\u001b[2Jx.iso', data: 'x' }]);
    const res = await cli(['images', 'merge', 'a', '--dist', 'dist'], dir);
    expect(res.code).toBe(2);
    expect(res.stderr).not.toContain('\u001b');
    expect(res.stderr).toContain('\\x1b[2Jx.iso');
  });
});

describe('images merge, build and release on paths that are files, links or ..', () => {
  it('a part that is a file, a --dist that is a file: one line, exit 2', async () => {
    await writeFile(join(dir, 'part-file'), 'x');
    const part = await cli(['images', 'merge', 'part-file', '--dist', 'dist'], dir);
    expect(part.code).toBe(2);
    expect(part.stderr).toMatch(/the part folder .*part-file is a file; give a folder/);
    expect(oneLine(part.stderr)).toBe(true);

    await makeDist(join(dir, 'a'), version, [{ file: 'a.iso', data: 'a' }]);
    await writeFile(join(dir, 'dist-file'), 'x');
    const merge = await cli(['images', 'merge', 'a', '--dist', 'dist-file'], dir);
    expect(merge.code).toBe(2);
    expect(merge.stderr).toMatch(/--dist .*dist-file is a file/);
    expect(oneLine(merge.stderr)).toBe(true);

    const build = await cli(['images', 'build', '--dist', 'dist-file'], dir);
    expect(build.code).toBe(2);
    expect(build.stderr).toMatch(/--dist .*dist-file is a file/);
    expect(oneLine(build.stderr)).toBe(true);

    const release = await cli(
      ['images', 'release', '--tag', 'v1', '--dir', 'out', '--dist', 'dist-file'],
      dir,
    );
    expect(release.code).toBe(2);
    expect(oneLine(release.stderr)).toBe(true);
  });

  it('release --dir that is a file or a link, a missing part, --image-version ..: one line, exit 2', async () => {
    await makeDist(join(dir, 'dist'), version, [{ file: 'a.iso', data: 'a' }]);
    await writeFile(join(dir, 'out-file'), 'x');
    const file = await cli(['images', 'release', '--tag', `v${version}`, '--dir', 'out-file'], dir);
    expect(file.code).toBe(2);
    expect(file.stderr).toMatch(/--dir .*out-file is a file/);
    await mkdir(join(dir, 'elsewhere'));
    await symlink(join(dir, 'elsewhere'), join(dir, 'out-link'));
    const link = await cli(['images', 'release', '--tag', `v${version}`, '--dir', 'out-link'], dir);
    expect(link.code).toBe(2);
    expect(link.stderr).toContain('is a symbolic link');
    expect(await readdir(join(dir, 'elsewhere'))).toEqual([]);
    const missing = await cli(['images', 'merge', 'nope', '--dist', 'd'], dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope does not exist/);
    const dots = await cli(
      ['images', 'release', '--tag', 'v1', '--dir', 'o', '--image-version', '..'],
      dir,
    );
    expect(dots.code).toBe(2);
    for (const r of [file, link, missing, dots]) {
      expect(oneLine(r.stderr), r.stderr).toBe(true);
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    }
  });

  it('an artifact that is a directory: merge and release say so in one line, no stack', async () => {
    await makeDist(join(dir, 'a'), version, [{ file: 'a.iso', data: 'a' }]);
    await rm(join(dir, 'a', version, 'a.iso'));
    await mkdir(join(dir, 'a', version, 'a.iso'));
    const merge = await cli(['images', 'merge', 'a', '--dist', 'dist'], dir);
    expect(merge.code).toBe(2);
    expect(merge.stderr).toMatch(/the artifact .*a\.iso is not a regular file/);
    const release = await cli(
      ['images', 'release', '--tag', `v${version}`, '--dir', 'out', '--dist', 'a'],
      dir,
    );
    expect(release.code).toBe(2);
    expect(release.stderr).toMatch(/a\.iso is not a regular file/);
    for (const r of [merge, release]) {
      expect(oneLine(r.stderr), r.stderr).toBe(true);
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    }
  });

  it('links: a part artifact, a merged version folder or a release folder that is a link is refused', async () => {
    await writeFile(join(dir, 'secret'), 'not for publishing');
    await makeDist(join(dir, 'a'), version, [{ file: 'a.iso', data: 'not for publishing' }]);
    await rm(join(dir, 'a', version, 'a.iso'));
    await symlink(join(dir, 'secret'), join(dir, 'a', version, 'a.iso'));
    const part = await cli(['images', 'merge', 'a', '--dist', 'dist'], dir);
    expect(part.code).toBe(2);
    expect(part.stderr).toMatch(/the artifact .*a\.iso is a symbolic link/);
    await expect(readdir(join(dir, 'dist', version))).rejects.toThrow(/ENOENT/);

    await makeDist(join(dir, 'b'), version, [{ file: 'b.iso', data: 'b' }]);
    await mkdir(join(dir, 'dist'), { recursive: true });
    await mkdir(join(dir, 'elsewhere'));
    await symlink(join(dir, 'elsewhere'), join(dir, 'dist', version));
    const merged = await cli(['images', 'merge', 'b', '--dist', 'dist'], dir);
    expect(merged.code).toBe(2);
    expect(merged.stderr).toContain('is a symbolic link');
    expect(await readdir(join(dir, 'elsewhere'))).toEqual([]);

    await mkdir(join(dir, 'out'));
    await symlink(join(dir, 'elsewhere'), join(dir, 'out', `v${version}`));
    const release = await cli(
      ['images', 'release', '--tag', `v${version}`, '--dir', 'out', '--dist', 'b'],
      dir,
    );
    expect(release.code).toBe(2);
    expect(release.stderr).toMatch(/the release folder .* is a symbolic link/);
    expect(await readdir(join(dir, 'elsewhere'))).toEqual([]);
  });
});
