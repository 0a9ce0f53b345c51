// What `crossflake extract analyze` loads, on the built CLI: the table
// module and its width libraries (string-width builds an Intl.Segmenter and
// Unicode-property patterns when it loads) only when a table is printed, not
// for --json, --md or --mermaid. Seen through a module hook: the structure,
// never timing. `npm run build` first.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtureDir } from '../extract/corpus.js';
import { chunkHolding, runLoaded, writeLoadHook } from './load-hook.js';

const work = mkdtempSync(join(tmpdir(), 'cf-extract-path-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const hook = writeLoadHook(work);
const tableChunk = chunkHolding('src/ui/table.ts');
const loaded = (args: string[]) => runLoaded(hook, args, { cwd: fixtureDir('plain') });

describe('extract analyze loads the table module only to print a table', () => {
  it('the build has one chunk with the table module', () => {
    expect(tableChunk).toBeDefined();
  });

  it.each([['--json'], ['--md'], ['--mermaid']])('%s: not loaded', (format) => {
    const run = loaded(['extract', 'analyze', '.', '--no-cache', format]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.files.length).toBeGreaterThan(0);
    expect(run.files).not.toContain(tableChunk);
  });

  it.each([
    ['analyze', /^file\s+label\s+first evidence/m],
    ['plan', /^step\s+action\s+file/m],
  ])('extract %s as text: loaded, and the table printed', (sub, heading) => {
    const run = loaded(['extract', sub, '.', '--no-cache']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.files).toContain(tableChunk);
    expect(run.stdout).toMatch(heading);
  });
});
