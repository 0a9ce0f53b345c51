import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtemp, mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  copyFileHashing,
  hashFile,
  isTempName,
  sweepTempFiles,
  tempPathFor,
  walkTree,
  writeFileAtomic,
} from '../../src/io/files.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cf-files-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('io/files', () => {
  it('writeFileAtomic replaces content and leaves no temp file', async () => {
    const target = join(dir, 'sub', 'a.json');
    await writeFileAtomic(target, 'one');
    await writeFileAtomic(target, 'two');
    expect(await readFile(target, 'utf8')).toBe('two');
    expect(await readdir(join(dir, 'sub'))).toEqual(['a.json']);
  });

  it('copyFileHashing copies in one pass and returns the same sha256 as a separate hash', async () => {
    const source = join(dir, 'src.bin');
    // Several chunks (4 MiB each) plus a tail, so chunk boundaries are exercised.
    const data = Buffer.alloc(9 * 1024 * 1024 + 123);
    for (let i = 0; i < data.length; i += 4096) data[i] = i % 251;
    await writeFile(source, data);
    const progress: number[] = [];
    const result = await copyFileHashing(source, join(dir, 'out', 'copy.bin'), {
      onProgress: (n) => progress.push(n),
    });
    const expected = createHash('sha256').update(data).digest('hex');
    expect(result).toEqual({ size: data.length, sha256: expected });
    expect(await hashFile(join(dir, 'out', 'copy.bin'))).toEqual(result);
    expect(progress.at(-1)).toBe(data.length);
    expect((await readdir(join(dir, 'out'))).filter(isTempName)).toEqual([]);
  });

  it('a failed copy leaves neither the target nor a temp file', async () => {
    await expect(copyFileHashing(join(dir, 'missing'), join(dir, 'x'))).rejects.toThrow(/ENOENT/);
    expect(await readdir(dir)).toEqual([]);
  });

  it('sweepTempFiles removes only crossflake temp files, anywhere in the tree', async () => {
    await mkdir(join(dir, 'v', 'logs'), { recursive: true });
    const t1 = tempPathFor(join(dir, 'v', 'a.qcow2'));
    const t2 = tempPathFor(join(dir, 'v', 'logs', 'x.log'));
    await writeFile(t1, 'partial');
    await writeFile(t2, 'partial');
    await writeFile(join(dir, 'v', 'keep.iso'), 'x');
    const removed = await sweepTempFiles(dir);
    expect(removed).toHaveLength(2);
    expect(await readdir(join(dir, 'v'))).toEqual(['keep.iso', 'logs']);
    expect(await sweepTempFiles(join(dir, 'nope'))).toEqual([]);
  });

  it('walkTree lists files, directories and symlinks without following links', async () => {
    await mkdir(join(dir, 'a', 'b'), { recursive: true });
    await writeFile(join(dir, 'a', 'b', 'f'), '12345');
    await symlink('/etc', join(dir, 'a', 'link'));
    const entries = [];
    for await (const e of walkTree(dir)) entries.push(e);
    expect(entries.map((e) => `${e.type}:${e.path}`).sort()).toEqual([
      'dir:a',
      'dir:a/b',
      'file:a/b/f',
      'symlink:a/link',
    ]);
    expect(entries.find((e) => e.path === 'a/b/f')?.size).toBe(5);
  });
});
