// What doctor, check and images plan load, on the built CLI: the table
// module and its width libraries only when a table is printed, never for
// --json (the scripts' path). Seen through a module hook: the structure,
// never timing. `npm run build` first.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { needsNix, nixEnv, nixVersion } from '../helpers/nix.js';
import { workspace, type Workspace } from '../images/helpers.js';
import { chunkHolding, runLoaded, writeLoadHook } from './load-hook.js';

const work = mkdtempSync(join(tmpdir(), 'cf-table-path-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const hook = writeLoadHook(work);
const facts = join(process.cwd(), 'test/fixtures/host/facts/darwin-aarch64.json');
const tableChunk = chunkHolding('src/ui/table.ts');

/** Whether a run loaded the table chunk, and what it printed. */
function run(args: string[], cwd: string, env?: NodeJS.ProcessEnv) {
  const res = runLoaded(hook, args, { cwd, env });
  return { ...res, table: res.files.includes(tableChunk!) };
}

describe('the table module loads only to print a table', () => {
  it('the build has one chunk with the table module', () => {
    expect(tableChunk).toBeDefined();
  });

  it('doctor: not for --json; loaded, and the table printed, as text', () => {
    const json = run(['doctor', '--facts', facts, '--json'], work);
    expect(json.status, json.stderr).toBe(0);
    expect(json.files.length).toBeGreaterThan(0);
    expect(json.table).toBe(false);
    const text = run(['doctor', '--facts', facts], work);
    expect(text.status, text.stderr).toBe(0);
    expect(text.table).toBe(true);
    expect(text.stdout).toMatch(/^status\s+check\s+finding/m);
  });

  it('check: not for --json; loaded, and the table printed, as text', () => {
    const dir = mkdtempSync(join(work, 'check-'));
    const json = run(['check', '--only', 'leaks', '--json'], dir);
    expect(json.status, json.stderr).toBe(0);
    expect(json.table).toBe(false);
    const text = run(['check', '--only', 'leaks'], dir);
    expect(text.status, text.stderr).toBe(0);
    expect(text.table).toBe(true);
    expect(text.stdout).toMatch(/^status\s+step\s+detail/m);
  });
});

describe.skipIf(!nixVersion)(`images plan's table path, with real nix${needsNix}`, () => {
  let ws: Workspace;
  beforeAll(async () => {
    ws = await workspace();
  });
  afterAll(() => ws.cleanup());

  it('not for --json; loaded, and the table printed, as text', () => {
    const args = ['images', 'plan', '--flake', ws.flake, '--facts', ws.facts];
    const json = run([...args, '--json'], ws.dir, nixEnv());
    expect(json.status, json.stderr).toBe(0);
    expect(json.table).toBe(false);
    const text = run(args, ws.dir, nixEnv());
    expect(text.status, text.stderr).toBe(0);
    expect(text.table).toBe(true);
    expect(text.stdout).toMatch(/^IMAGE\s+FORMAT\s+SYSTEM/m);
  });
});
