// Property test over the path helpers (issue 14): random names made of `..`,
// `.`, empty segments, backslashes, drives, control and bidirectional
// characters and Unicode, written into a directory that holds random
// symbolic links (out of it, to a file outside, upwards, inside), never lead
// to a write outside the intended directory. Real files; seeded, so a
// failure names a case that replays.
import { describe, expect, it } from 'vitest';
import {
  lstat,
  mkdir,
  readdir,
  readFile,
  readlink,
  realpath,
  rm,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { join, sep } from 'node:path';
import {
  mkdirInside,
  PathError,
  pathInside,
  safeSegments,
  writeFileAtomic,
} from '../../src/io/files.js';
import { TargetError, writeTree } from '../../src/templates/write.js';
import { scratchDirs } from '../helpers/scratch.js';
import { rng } from '../nixlang/generator.js';

const { fresh } = await scratchDirs('cf-paths-prop-');

const SEGMENTS = [
  '..',
  '.',
  '',
  'a',
  'b',
  'hosts',
  'ü',
  '日本語',
  'é\u0301',
  '\u{1F600}',
  '．．',
  'a..b',
  '.hidden',
  'x\u202Ey',
  'c\u0001',
  'd\n',
  'e\u0085',
  'f\u007f',
  'g\u2066',
  '\\..',
  '..\\..',
  'C:',
  'c:evil',
  'link-out',
  'link-file',
  'link-up',
  'link-in',
  'link-rel-out',
  ' ',
  'nul\u0000',
];
// eslint-disable-next-line no-control-regex -- the very characters refused
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

function randomName(rand: () => number): string {
  const count = 1 + Math.floor(rand() * 4);
  const parts = Array.from(
    { length: count },
    () => SEGMENTS[Math.floor(rand() * SEGMENTS.length)]!,
  );
  return (rand() < 0.1 ? '/' : '') + parts.join('/');
}

/** Every entry below `dir`, with file contents and link targets, without following links. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const visit = async (path: string, rel: string): Promise<void> => {
    for (const name of (await readdir(path)).sort()) {
      const full = join(path, name);
      const info = await lstat(full);
      const key = `${rel}${name}`;
      if (info.isSymbolicLink()) out[key] = `-> ${await readlink(full)}`;
      else if (info.isDirectory()) {
        out[key] = 'dir';
        await visit(full, `${key}/`);
      } else out[key] = await readFile(full, 'utf8');
    }
  };
  await visit(dir, '');
  return out;
}

/** A sandbox: `root` (the intended directory, with links) beside `outside` (never to change). */
async function sandbox(): Promise<{ box: string; root: string; outside: string }> {
  const box = await fresh();
  const root = join(box, 'root');
  const outside = join(box, 'outside');
  await mkdir(join(outside, 'deep'), { recursive: true });
  await writeFile(join(outside, 'secret.txt'), 'outside\n');
  await mkdir(join(root, 'hosts', 'a'), { recursive: true });
  await symlink(outside, join(root, 'link-out'));
  await symlink(join(outside, 'secret.txt'), join(root, 'link-file'));
  await symlink('..', join(root, 'link-up'));
  await symlink('hosts', join(root, 'link-in'));
  await symlink('../outside/deep', join(root, 'hosts', 'link-rel-out'));
  return { box, root, outside };
}

/** `path` is below `root` (or, when allowed, root itself), links resolved. */
async function isInside(root: string, path: string, orRoot: boolean): Promise<boolean> {
  const r = await realpath(root);
  const p = await realpath(path);
  return p.startsWith(r + sep) || (orRoot && p === r);
}

const refused = (e: unknown) => e instanceof PathError || e instanceof TargetError;

describe('path helpers: no random name leads to a write outside the intended directory', () => {
  it('safeSegments refuses every name with `..`, `.`, an empty segment, a backslash, a drive, or a control or bidi character', () => {
    const rand = rng(14);
    for (let i = 0; i < 5000; i++) {
      const name = randomName(rand);
      const parts = name.split('/');
      const bad =
        name.startsWith('/') ||
        parts.some(
          (p) => p === '' || p === '.' || p === '..' || p.includes('\\') || /^[A-Za-z]:/.test(p),
        ) ||
        UNSAFE.test(name);
      if (bad) expect(() => safeSegments(name), JSON.stringify(name)).toThrow(PathError);
      else expect(safeSegments(name), JSON.stringify(name)).toEqual(parts);
    }
  });

  it('writeFileAtomic(within), mkdirInside and writeTree --force: 150 random names each, outside unchanged, every success inside', async () => {
    const rand = rng(2026);
    const { box, root, outside } = await sandbox();
    const before = await snapshot(outside);
    const top = (await readdir(box)).sort();
    let written = 0;
    let refusals = 0;
    for (let i = 0; i < 150; i++) {
      const name = randomName(rand);
      const data = `case ${i}\n`;
      const label = `case ${i}: ${JSON.stringify(name)}`;
      const attempts: [string, () => Promise<string>][] = [
        [
          'writeFileAtomic',
          async () => {
            const target = pathInside(root, name);
            await writeFileAtomic(target, data, { within: root });
            return target;
          },
        ],
        ['mkdirInside', () => mkdirInside(root, name)],
        [
          'writeTree',
          async () => {
            await writeTree(root, new Map([[name, data]]), { force: true });
            return pathInside(root, name);
          },
        ],
      ];
      for (const [what, attempt] of attempts) {
        let target: string;
        try {
          target = await attempt();
        } catch (error) {
          expect(refused(error), `${label} ${what}: ${String(error)}`).toBe(true);
          refusals++;
          continue;
        }
        written++;
        // mkdirInside(root, '') is the root itself, by design.
        const inside = await isInside(root, target, what === 'mkdirInside');
        expect(inside, `${label} ${what} wrote ${target}`).toBe(true);
        if (what !== 'mkdirInside') expect(await readFile(target, 'utf8')).toBe(data);
        // Nothing a success makes may be a link.
        expect((await lstat(target)).isSymbolicLink(), `${label} ${what}`).toBe(false);
      }
      expect(await snapshot(outside), label).toEqual(before);
      expect((await readdir(box)).sort(), label).toEqual(top);
    }
    // Both branches of the property were exercised.
    expect(written).toBeGreaterThan(20);
    expect(refusals).toBeGreaterThan(20);
    await rm(box, { recursive: true, force: true });
  }, 120_000);
});
