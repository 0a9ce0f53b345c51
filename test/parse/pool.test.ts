// The parse pool: a worker thread (the built dist/parse-worker.js) checks files
// exactly as the main thread does, each outcome lands at its file's index,
// and a file that fails is reported under its own name whichever thread read it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { checkFiles, MIN_BYTES_LEFT, START_AFTER_BYTES, workerPays } from '../../src/parse/pool.js';

const bin = join(process.cwd(), 'bin/crossflake.js');
const workerUrl = pathToFileURL(join(process.cwd(), 'dist/parse-worker.js'));
const dir = realpathSync(mkdtempSync(join(tmpdir(), 'cf-parse-pool-')));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Clean files, each kind of problem, an unreadable name and a directory,
// spread out so both threads meet some of each.
const names: string[] = [];
beforeAll(() => {
  mkdirSync(join(dir, 'sub.nix'));
  for (let i = 0; i < 60; i++) {
    const name = `f${String(i).padStart(2, '0')}.nix`;
    const text =
      i % 7 === 3
        ? `{\n  a = 1;\n  b = ;\n}\n`
        : i % 11 === 5
          ? `{ x${i} }: { a = x${i}; a = y; }\n`
          : `{ pkgs, ... }: { n = ${i}; s = "${'é'.repeat(i % 3)}\${pkgs.y}"; }\n`;
    writeFileSync(join(dir, name), text);
    names.push(name);
  }
  names.splice(20, 0, 'missing.nix');
  names.splice(40, 0, 'sub.nix');
});

const paths = () => names.map((n) => join(dir, n));

describe('the parse pool', () => {
  it('gives every file the same outcome from the worker as from the main thread', async () => {
    expect(existsSync(workerUrl)).toBe(true);
    const alone = await checkFiles(names, paths(), { pipes: false, workerUrl: null });
    const pooled = await checkFiles(names, paths(), {
      pipes: false,
      workerUrl,
      force: true,
      mainShare: false,
    });
    expect(alone.byWorker).toBe(0);
    expect(pooled.byWorker).toBe(names.length);
    const shown = (o: (typeof alone.outcomes)[number]) =>
      o.ok ? { problems: o.problems, count: o.count } : o;
    expect(pooled.outcomes.map(shown)).toEqual(alone.outcomes.map(shown));
    // The problems name their own file, at their own index.
    expect(alone.outcomes[20]).toEqual({ ok: false, code: 'ENOENT' });
    expect(alone.outcomes[40]).toEqual({ ok: false, code: 'EISDIR' });
    expect(alone.outcomes[3]).toMatchObject({ ok: true, count: 1 });
    expect((alone.outcomes[3] as { problems: string }).problems).toMatch(
      /^f03\.nix:3:7: error: syntax error, unexpected ';'/,
    );
    expect((alone.outcomes[5] as { problems: string }).problems).toBe(
      "f05.nix:1:19: error: attribute 'a' already defined\n",
    );
  });

  it('checks what a worker that cannot start leaves, on the main thread', async () => {
    const missing = pathToFileURL(join(dir, 'no-such-worker.js'));
    const res = await checkFiles(names, paths(), {
      pipes: false,
      workerUrl: missing,
      force: true,
      mainShare: false,
    });
    const alone = await checkFiles(names, paths(), { pipes: false, workerUrl: null });
    expect(res.outcomes).toEqual(alone.outcomes);
  });

  it('prints the same through the CLI with the worker forced on as without it', () => {
    const run = (env: Record<string, string>, args: string[]) =>
      spawnSync(process.execPath, [bin, 'parse', ...args], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, ...env },
      });
    const clean = names.filter((n) => n !== 'missing.nix' && n !== 'sub.nix');
    for (const args of [clean, names]) {
      const pooled = run({ CROSSFLAKE_PARSE_WORKER: 'always' }, args);
      const alone = run({ CROSSFLAKE_PARSE_WORKER: 'never' }, args);
      expect([pooled.status, pooled.stdout, pooled.stderr]).toEqual([
        alone.status,
        alone.stdout,
        alone.stderr,
      ]);
    }
    // With every file readable: each problem under its own name, exit 1.
    const problems = run({ CROSSFLAKE_PARSE_WORKER: 'always' }, clean);
    expect(problems.status).toBe(1);
    expect(problems.stderr).toContain("f05.nix:1:19: error: attribute 'a' already defined");
    expect(problems.stderr.split('\n').filter(Boolean).length).toBeGreaterThan(8);
    // A name with `..` is resolved by its text, as nix does: through a directory that is not there.
    const dotted = run({}, ['no-such-dir/../f00.nix']);
    expect([dotted.status, dotted.stdout]).toEqual([0, '1 file parsed, no problems\n']);
    // An unreadable file is the error, named, whichever thread read it.
    const missing = run({ CROSSFLAKE_PARSE_WORKER: 'always' }, names);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('cannot read missing.nix (ENOENT)');
  });

  it('starts no worker for thousands of small files, only for a long way still to go', () => {
    // Files of 3 KB, like the 1,672 files (5 MB) of ../shared/upstream: never.
    const upto = (files: number) => {
      let started = -1;
      for (let done = 1; done <= files && started < 0; done++)
        if (workerPays(done * 3000, done, files - done)) started = done;
      return started;
    };
    expect(upto(1672)).toBe(-1);
    expect(upto(6000)).toBe(-1);
    // 40,000 such files (120 MB): once the main thread has read its share alone.
    const at = upto(40000);
    expect(at * 3000).toBeGreaterThanOrEqual(START_AFTER_BYTES);
    expect((40000 - at) * 3000).toBeGreaterThanOrEqual(MIN_BYTES_LEFT);
    expect(workerPays(0, 0, 1e6)).toBe(false);
  });
});
