// The reader `crossflake parse` checks files with: one buffer kept from file
// to file. Whatever the buffer's size and whatever it held before, a file
// comes back as exactly its bytes (one char per byte), and a file that cannot
// be read fails with its own error code.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { FileReader } from '../../src/parse/file-reader.js';
import { checkFile, problemLines } from '../../src/parse/check-file.js';
import { pathFrom } from '../../src/parse/check-all.js';
import { parseNix } from '../../src/nixlang/index.js';

const dir = mkdtempSync(join(tmpdir(), 'cf-file-reader-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, bytes: Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

/** Every byte value, over and over, `n` bytes in all. */
function allBytes(n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (i * 7) % 256;
  return b;
}

const errorCode = (f: () => unknown): unknown => {
  try {
    f();
  } catch (error) {
    return (error as NodeJS.ErrnoException).code;
  }
  return 'no error';
};

describe('the file reader of crossflake parse', () => {
  it('reads files larger than its buffer, smaller ones after them, and empty ones, byte for byte', () => {
    const reader = new FileReader(16);
    const big = file('big.nix', allBytes(1000));
    const exact = file('exact.nix', allBytes(32).subarray(7, 23));
    const small = file('small.nix', Buffer.from('{ }\n'));
    const empty = file('empty.nix', Buffer.alloc(0));
    for (const p of [big, small, exact, empty, big, empty, small]) {
      expect(reader.readByteString(p)).toBe(readFileSync(p).toString('latin1'));
    }
    expect(reader.readByteString(big)).toHaveLength(1000);
    expect(reader.readByteString(empty)).toBe('');
  });

  it('fails with the error code of a file that cannot be read, and reads on afterwards', () => {
    const reader = new FileReader(16);
    mkdirSync(join(dir, 'sub.nix'));
    expect(errorCode(() => reader.readByteString(join(dir, 'missing.nix')))).toBe('ENOENT');
    expect(errorCode(() => reader.readByteString(join(dir, 'sub.nix')))).toBe('EISDIR');
    const after = file('after.nix', Buffer.from('let a = 1; in a\n'));
    expect(reader.readByteString(after)).toBe('let a = 1; in a\n');
  });

  it('checks a file with UTF-8 and invalid bytes as parseNix checks its bytes', () => {
    const bytes = Buffer.concat([
      Buffer.from('{\n  a = "é ü '),
      Buffer.from([0xff, 0xc3]),
      Buffer.from('";\n  a = 1;\n  b = ${x};\n}\n'),
    ]);
    const p = file('bytes.nix', bytes);
    const outcome = checkFile('bytes.nix', p, false);
    const want = parseNix(readFileSync(p));
    expect(want.diagnostics.length).toBeGreaterThan(0);
    expect(outcome).toEqual({
      ok: true,
      problems: problemLines('bytes.nix', want),
      count: want.diagnostics.length,
      bytes: bytes.length,
    });
    expect(checkFile('missing.nix', join(dir, 'missing.nix'), false)).toEqual({
      ok: false,
      code: 'ENOENT',
    });
  });

  it('opens a plain relative name as it is only under the process directory', () => {
    const cwd = process.cwd();
    expect(pathFrom(cwd, 'a/b.nix', true)).toBe('a/b.nix');
    expect(pathFrom(dir, 'a/b.nix', false)).toBe(`${dir}${sep}a/b.nix`);
    // `..` is resolved by its text, through folders that need not exist.
    expect(pathFrom(dir, 'no-such/../b.nix', true)).toBe(join(dir, 'b.nix'));
    expect(pathFrom(cwd, join(dir, 'b.nix'), true)).toBe(join(dir, 'b.nix'));
    // An empty name still names the directory itself (and so reads as EISDIR).
    expect(pathFrom(dir, '', true)).toBe(`${dir}${sep}`);
    const reader = new FileReader(16);
    const saved = process.cwd();
    file('here.nix', Buffer.from('1\n'));
    process.chdir(dir);
    try {
      expect(reader.readByteString(pathFrom(dir, 'here.nix', dir === process.cwd()))).toBe('1\n');
      expect(errorCode(() => reader.readByteString(pathFrom(dir, '', true)))).toBe('EISDIR');
    } finally {
      process.chdir(saved);
    }
  });
});
