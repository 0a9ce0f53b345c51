// The pure rules that decide when a cached analysis may be reused.
import { describe, expect, it } from 'vitest';
import { Buffer } from 'node:buffer';
import {
  CACHE_SCHEMA,
  RACY_MS,
  cacheKey,
  decodeEntry,
  encodeEntry,
  firstChanged,
  reuse,
  trustedStamp,
  type CacheMeta,
} from '../../src/extract/cache.js';
import type { FileStamp } from '../../src/io/nix-files.js';

const T = 1_700_000_000_000;

function stamp(path: string, over: Partial<FileStamp> = {}): FileStamp {
  return { path, size: 10, mtimeMs: T - 60_000, ctimeMs: T - 60_000, ino: 7, ...over };
}

function meta(stamps: FileStamp[], hashedAt = T): CacheMeta {
  return {
    schema: CACHE_SCHEMA,
    key: 'k',
    hashedAt,
    files: stamps.map((s, i) => ({ ...s, sha256: `h${i}` })),
  };
}

describe('extract cache: reuse()', () => {
  const files = [stamp('a.nix'), stamp('b/c.nix', { ino: 8 })];

  it('reuses without hashing when every stamp matches and predates the hashing', () => {
    expect(reuse(meta(files), 'k', files)).toEqual({ kind: 'verify', rehash: [] });
  });

  it('misses on another key (build, root, identifiers)', () => {
    expect(reuse(meta(files), 'other', files).kind).toBe('miss');
  });

  it('misses when a file was added, removed or renamed', () => {
    expect(reuse(meta(files), 'k', files.slice(0, 1)).kind).toBe('miss');
    expect(reuse(meta(files), 'k', [...files, stamp('d.nix')]).kind).toBe('miss');
    expect(reuse(meta(files), 'k', [files[0]!, stamp('b/x.nix', { ino: 8 })]).kind).toBe('miss');
  });

  it('misses at once when a size changed', () => {
    const now = [files[0]!, { ...files[1]!, size: 11 }];
    expect(reuse(meta(files), 'k', now)).toEqual({ kind: 'miss', why: 'b/c.nix changed' });
  });

  it('asks for a hash where mtime, ctime or inode changed (content may be the same)', () => {
    for (const change of [{ mtimeMs: T - 1000 }, { ctimeMs: T - 500 }, { ino: 99 }]) {
      const now = [files[0]!, { ...files[1]!, ...change }];
      expect(reuse(meta(files), 'k', now)).toEqual({ kind: 'verify', rehash: [1] });
    }
  });

  it('does not trust a stamp from within the racy window before the hashing', () => {
    // Written just before it was hashed: a second write in the same clock tick
    // would leave the same stamp, so only the content can tell.
    const racy = [stamp('a.nix', { mtimeMs: T - RACY_MS + 1 }), files[1]!];
    expect(reuse(meta(racy), 'k', racy)).toEqual({ kind: 'verify', rehash: [0] });
    const ctimeOnly = [files[0]!, stamp('b/c.nix', { ino: 8, ctimeMs: T + 5 })];
    expect(reuse(meta(ctimeOnly), 'k', ctimeOnly)).toEqual({ kind: 'verify', rehash: [1] });
  });

  it('trustedStamp: only a file last changed (mtime or ctime) before the window can vouch', () => {
    expect(trustedStamp(stamp('a.nix'), T)).toBe(true);
    expect(trustedStamp(stamp('a.nix', { mtimeMs: T - RACY_MS }), T)).toBe(false);
    expect(trustedStamp(stamp('a.nix', { ctimeMs: T - RACY_MS + 1 }), T)).toBe(false);
    expect(trustedStamp(stamp('a.nix', { mtimeMs: T - RACY_MS - 1 }), T)).toBe(true);
  });

  it('firstChanged names the first rehashed file whose content differs', () => {
    const m = meta(files);
    expect(firstChanged(m, new Map([[1, 'h1']]))).toBe(-1);
    expect(
      firstChanged(
        m,
        new Map([
          [0, 'h0'],
          [1, 'other'],
        ]),
      ),
    ).toBe(1);
  });
});

describe('extract cache: keys and the entry file', () => {
  const base = { build: 'b1', root: '/r', rootArg: '.', identifiers: ['x', 'y'] };

  it('the key changes with the build, the root, the shown root and the identifiers, not their order', () => {
    const k = cacheKey(base);
    expect(cacheKey({ ...base, identifiers: ['y', 'x', 'x'] })).toBe(k);
    for (const other of [
      { ...base, build: 'b2' },
      { ...base, root: '/s' },
      { ...base, rootArg: './' },
      { ...base, identifiers: ['x'] },
    ])
      expect(cacheKey(other)).not.toBe(k);
  });

  it('round-trips an entry and rejects torn or foreign files', () => {
    const m = meta([stamp('a.nix')]);
    const json = '{\n  "name": "Zoë"\n}\n';
    const bytes = encodeEntry(m, json);
    const back = decodeEntry(bytes);
    expect(back?.meta).toEqual(m);
    expect(Buffer.from(back!.json).toString('utf8')).toBe(json);
    const text = (s: string) => Buffer.from(s);
    expect(decodeEntry(bytes.subarray(0, bytes.length - 3))).toBeNull();
    expect(decodeEntry(bytes.subarray(0, bytes.indexOf('\n') - 1))).toBeNull();
    expect(decodeEntry(text(''))).toBeNull();
    expect(decodeEntry(text('{"schema":"other/1"}\n{}\n'))).toBeNull();
    const badFile = JSON.stringify({ ...m, files: [{ path: 'a.nix' }] });
    expect(decodeEntry(text(`${badFile}\n{}\n`))).toBeNull();
  });
});
