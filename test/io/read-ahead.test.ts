// The bounded read-ahead that `crossflake parse` reads files with, on real files.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readAhead } from '../../src/io/read-ahead.js';

const dir = mkdtempSync(join(tmpdir(), 'cf-read-ahead-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const paths = Array.from({ length: 50 }, (_, i) => {
  const p = join(dir, `f${i}.nix`);
  // Sizes differ, so reads finish out of order.
  writeFileSync(p, `${i}\n`.repeat(((i * 37) % 11) * 500 + 1));
  return p;
});

describe('readAhead', () => {
  it('hands every file back in the order asked for, more files than reads in flight', async () => {
    const first: string[] = [];
    for await (const r of readAhead(paths, 4))
      first.push(r.ok ? r.bytes.toString().split('\n')[0]! : 'error');
    expect(first).toEqual(paths.map((_, i) => String(i)));
  });

  it('reports a file that cannot be read in its place and goes on with the rest', async () => {
    const list = [paths[0]!, join(dir, 'missing.nix'), paths[1]!];
    const results = [];
    for await (const r of readAhead(list, 2)) results.push(r.ok ? 'ok' : r.error.code);
    expect(results).toEqual(['ok', 'ENOENT', 'ok']);
  });
});
