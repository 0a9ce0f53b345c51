// The diff `ci check` prints is a real unified diff: GNU patch applies it,
// and on simple edits it is byte-identical to `diff -u`'s hunks.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unifiedDiff } from '../../src/ui/diff.js';

const lines = (n: number, tag = 'line') =>
  Array.from({ length: n }, (_, i) => `${tag} ${i + 1}`).join('\n') + '\n';

// Deterministic pseudo-random edits (a tiny LCG), so a failure reproduces.
function mutate(text: string, seed: number): string {
  let s = seed;
  const rand = (n: number) => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s % n;
  };
  const out = text.split('\n');
  for (let k = 0; k < 1 + rand(6); k++) {
    const at = rand(out.length);
    const op = rand(3);
    if (op === 0) out.splice(at, 1);
    else if (op === 1) out.splice(at, 0, `inserted ${seed}-${k}`);
    else out[at] = `changed ${seed}-${k}`;
  }
  return out.join('\n');
}

describe('unifiedDiff', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'crossflake-diff-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is empty for equal texts', () => {
    expect(unifiedDiff('a\n', 'a\n', 'a', 'b')).toBe('');
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])(
    'seed %i: GNU patch turns old into new',
    async (seed) => {
      const old = lines(40);
      const wanted = mutate(old, seed);
      const diff = unifiedDiff(old, wanted, 'a/f', 'b/f');
      const file = join(dir, `f${seed}`);
      await writeFile(file, old);
      const res = spawnSync('patch', ['--silent', '--force', file], {
        input: diff,
        encoding: 'utf8',
      });
      expect(res.stderr).toBe('');
      expect(res.status).toBe(0);
      expect(await readFile(file, 'utf8')).toBe(wanted);
    },
  );

  it.each([
    ['one changed line', lines(20), lines(20).replace('line 10\n', 'LINE TEN\n')],
    [
      'two far-apart edits (two hunks)',
      lines(30),
      lines(30).replace('line 3\n', '').replace('line 25\n', 'line 25\nnew\n'),
    ],
    ['a one-line file', 'x\n', 'y\n'],
    ['from nothing', '', lines(3)],
    ['to nothing', lines(3), ''],
  ])('%s: same hunks as diff -u', async (_name, a, b) => {
    await writeFile(join(dir, 'a'), a);
    await writeFile(join(dir, 'b'), b);
    const res = spawnSync('diff', ['-u', join(dir, 'a'), join(dir, 'b')], { encoding: 'utf8' });
    const gnu = res.stdout.split('\n').slice(2).join('\n');
    const ours = unifiedDiff(a, b, 'a', 'b').split('\n').slice(2).join('\n');
    expect(ours).toBe(gnu);
  });

  it('a change in the final newline alone is still reported', () => {
    expect(unifiedDiff('a\n', 'a', 'x', 'y')).toContain('differ only in the final newline');
  });

  it('git apply accepts it too', async () => {
    const old = lines(15);
    const wanted = mutate(old, 99);
    const repo = await mkdtemp(join(tmpdir(), 'crossflake-diff-git-'));
    try {
      await writeFile(join(repo, 'f'), old);
      execFileSync('git', ['apply', '-'], {
        cwd: repo,
        input: unifiedDiff(old, wanted, 'a/f', 'b/f'),
      });
      expect(await readFile(join(repo, 'f'), 'utf8')).toBe(wanted);
    } finally {
      await rm(repo, { recursive: true, force: true });
    }
  });
});
