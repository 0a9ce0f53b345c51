// readNixFiles reads every file into a few shared blocks (src/io/nix-files.ts)
// and sharedFiles hands them to a worker without a copy
// (src/extract/shared-files.ts). Real files; small blocks so that every edge
// of a block is met: a file that fills one exactly, one larger than a block,
// empty files, and a file met when the block is already full.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileCount, fileOf, sharedFiles } from '../../src/extract/shared-files.js';
import { readNixFiles } from '../../src/io/nix-files.js';

const dir = mkdtempSync(join(tmpdir(), 'cf-nix-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BLOCK = 16;
// Sizes chosen against a 16-byte block: 16 fills the first block exactly,
// 0 then meets a full block, 40 needs a block of its own, 5 + 11 fill the next.
const SIZES = [16, 0, 40, 5, 11, 0, 3, 17, 1];
const paths = SIZES.map((size, i) => {
  const rel = `d/f${i}.nix`;
  mkdirSync(join(dir, 'd'), { recursive: true });
  // Every byte value, so no decoding can pass unnoticed.
  writeFileSync(
    join(dir, rel),
    Buffer.from(Array.from({ length: size }, (_, k) => (i * 31 + k * 7) % 256)),
  );
  return rel;
});

const expected = (rel: string): Buffer => readFileSync(join(dir, rel));

describe('readNixFiles', () => {
  it('gives each file its exact bytes, across block edges', () => {
    const files = readNixFiles(dir, paths, BLOCK);
    expect(files.map((f) => f.path)).toEqual(paths);
    for (const f of files) expect(Buffer.compare(f.bytes, expected(f.path))).toBe(0);
  });

  it('gives the same bytes with the default block size, and a root with a trailing slash', () => {
    const files = readNixFiles(`${dir}/`, paths);
    for (const f of files) expect(Buffer.compare(f.bytes, expected(f.path))).toBe(0);
  });

  it('puts the files in shared blocks, so a worker can have them without a copy', () => {
    const files = readNixFiles(dir, paths, BLOCK);
    expect(files.every((f) => f.bytes.buffer instanceof SharedArrayBuffer)).toBe(true);
    // One file's bytes never run into the next one's.
    const a = files[3]!.bytes;
    const b = files[4]!.bytes;
    if (a.buffer === b.buffer)
      expect(a.byteOffset + a.byteLength).toBeLessThanOrEqual(b.byteOffset);
  });

  it('fails on a missing file as reading it would, naming the file', () => {
    expect(() => readNixFiles(dir, ['d/missing.nix'])).toThrow(/ENOENT.*missing\.nix/);
  });

  it('fails on a directory given as a file', () => {
    expect(() => readNixFiles(dir, ['d'])).toThrow(/EISDIR/);
  });
});

describe('sharedFiles', () => {
  it('hands over files read into shared blocks as views of those blocks', () => {
    const files = readNixFiles(dir, paths, BLOCK);
    const shared = sharedFiles(files.map((f) => f.bytes));
    expect(fileCount(shared)).toBe(files.length);
    // No block was made: every block is one readNixFiles filled.
    const own = new Set(files.map((f) => f.bytes.buffer));
    expect(shared.blocks.every((b) => own.has(b))).toBe(true);
    files.forEach((f, i) => expect(Buffer.compare(fileOf(shared, i), f.bytes)).toBe(0));
  });

  it('copies bytes that are not in a shared block, keeping their order among the rest', () => {
    const read = readNixFiles(dir, paths.slice(0, 3), BLOCK).map((f) => f.bytes);
    const loose = [Buffer.from('plain'), new Uint8Array([0, 255, 10])];
    const mixed = [loose[0]!, read[0]!, loose[1]!, read[1]!, read[2]!];
    const shared = sharedFiles(mixed);
    expect(fileCount(shared)).toBe(5);
    mixed.forEach((bytes, i) => expect(Buffer.compare(fileOf(shared, i), bytes)).toBe(0));
    expect(shared.blocks.every((b) => b instanceof SharedArrayBuffer)).toBe(true);
  });

  it('is shared with a worker, not copied: a byte the worker writes is seen here', async () => {
    const { Worker } = await import('node:worker_threads');
    const files = readNixFiles(dir, paths, BLOCK);
    const shared = sharedFiles(files.map((f) => f.bytes));
    const worker = new Worker(
      `const { parentPort, workerData: w } = require('node:worker_threads');
       new Uint8Array(w.blocks[w.spans[6]], w.spans[7], 1)[0] = 0xab;
       parentPort.postMessage(w.spans.length);`,
      { eval: true, workerData: shared },
    );
    const spans = await new Promise<number>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    expect(spans).toBe(files.length * 3);
    // File 2 (40 bytes) in its own block, changed by the worker through that block.
    expect(files[2]!.bytes[0]).toBe(0xab);
    expect(fileOf(shared, 2)[0]).toBe(0xab);
  });
});
