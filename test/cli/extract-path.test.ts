// What `crossflake extract analyze` loads, on the built CLI: the table
// module and its width libraries (string-width builds an Intl.Segmenter and
// Unicode-property patterns when it loads) only when a table is printed, not
// for --json, --md or --mermaid. Seen through a module hook: the structure,
// never timing. `npm run build` first.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtureDir } from '../extract/corpus.js';
import { splitLoaded, writeLoadHook } from './load-hook.js';

const root = process.cwd();
const bin = join(root, 'bin', 'crossflake.js');
const chunks = join(root, 'dist', 'chunks');
const work = mkdtempSync(join(tmpdir(), 'cf-extract-path-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const hook = writeLoadHook(work);

/** The dist chunk that holds src/ui/table.ts (esbuild marks each source it takes in). */
const tableChunk = readdirSync(chunks).find((f) =>
  /^\/\/ src\/ui\/table\.ts$/m.test(readFileSync(join(chunks, f), 'utf8')),
);

/** The dist chunks a run loads, and what it printed. */
function loaded(args: string[]): {
  files: string[];
  status: number | null;
  stdout: string;
  stderr: string;
} {
  const res = spawnSync(process.execPath, ['--import', hook, bin, ...args], {
    cwd: fixtureDir('plain'),
    encoding: 'utf8',
  });
  const { urls, rest } = splitLoaded(res.stderr);
  return {
    files: urls.filter((u) => u.includes('/dist/chunks/')).map((u) => u.split('/').pop()!),
    status: res.status,
    stdout: res.stdout,
    stderr: rest,
  };
}

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
