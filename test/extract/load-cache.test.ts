// loadAnalysis with its cache, on real files in a temp dir: a reused analysis
// is byte-identical to a fresh one, and any change to a .nix file, even one
// that keeps its size and modification time, is seen.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Buffer } from 'node:buffer';
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { Io, ParsedOptions } from '../../src/command.js';
import { loadAnalysis } from '../../src/extract/load.js';
import { RACY_MS } from '../../src/extract/cache.js';
import { listNixFiles } from '../../src/io/nix-files.js';
import { TEMP_MARK } from '../../src/io/files.js';

const bin = 'bin/crossflake.js';
let dir: string;
let repo: string;
let cache: string;

function io(): Io {
  return {
    stdout: { write: () => true },
    stderr: { write: () => true },
    stdin: new PassThrough(),
    env: { CROSSFLAKE_CACHE_DIR: cache },
    cwd: dir,
  };
}

const load = (opts: ParsedOptions = {}, build: string | null = 'build-1') =>
  loadAnalysis('personal', opts, io(), { build });

// Files written by the test are inside the racy window; move them out of it,
// as if they had been written a while ago.
function age(root: string): void {
  const old = (Date.now() - 10 * RACY_MS) / 1000;
  for (const p of listNixFiles(root)) utimesSync(join(root, p), old, old);
}

const asText = (json: string | Uint8Array): string =>
  typeof json === 'string' ? json : Buffer.from(json).toString('utf8');

function cacheFiles(): string[] {
  try {
    return readdirSync(join(cache, 'extract'));
  } catch {
    return [];
  }
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'crossflake-load-'));
  repo = join(dir, 'personal');
  cache = join(dir, 'cache');
  cpSync('test/fixtures/extract/plain', repo, { recursive: true });
  age(repo);
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('extract analysis cache (real files)', () => {
  it('reuses an unchanged repository and prints the same bytes', async () => {
    const first = await load();
    expect(first.cached).toBe(false);
    const second = await load();
    expect(second.cached).toBe(true);
    expect(asText(second.json)).toBe(asText(first.json));
    expect(second.report).toEqual(first.report);
  });

  it('never writes into the repository, and keeps the entry private', async () => {
    const before = listNixFiles(repo).concat(readdirSync(repo));
    await load();
    expect(listNixFiles(repo).concat(readdirSync(repo))).toEqual(before);
    expect(cacheFiles()).toHaveLength(1);
    if (process.platform !== 'win32') {
      const mode = statSync(join(cache, 'extract', cacheFiles()[0]!)).mode & 0o777;
      expect(mode).toBe(0o600);
    }
  });

  it('sees an edit that keeps the size and the modification time', async () => {
    const first = await load();
    const file = join(repo, 'modules/base.nix');
    const text = readFileSync(file, 'utf8');
    const before = statSync(file);
    // Same length, other content (now a home path): only the hash can tell.
    const edited = text.replace('"Europe/Berlin"', '"/home/alice/x"');
    expect(edited.length).toBe(text.length);
    writeFileSync(file, edited);
    utimesSync(file, before.atime, before.mtime);
    expect(statSync(file).mtimeMs).toBe(before.mtimeMs);
    const second = await load();
    expect(second.cached).toBe(false);
    expect(asText(second.json)).not.toBe(asText(first.json));
  });

  it('reuses after a touch that changes no content', async () => {
    await load();
    const file = join(repo, 'flake.nix');
    const now = Date.now() / 1000;
    utimesSync(file, now, now);
    expect((await load()).cached).toBe(true);
  });

  it('sees a file added or removed', async () => {
    await load();
    writeFileSync(join(repo, 'extra.nix'), '{ }\n');
    const added = await load();
    expect(added.cached).toBe(false);
    expect(added.report.files.map((f) => f.path)).toContain('extra.nix');
    rmSync(join(repo, 'extra.nix'));
    const removed = await load();
    expect(removed.cached).toBe(false);
    expect(removed.report.files.map((f) => f.path)).not.toContain('extra.nix');
  });

  it('analyses again for other identifiers, another build, or --no-cache', async () => {
    await load();
    expect((await load({ identifier: ['zed-person'] })).cached).toBe(false);
    expect((await load({}, 'build-2')).cached).toBe(false);
    expect((await load({}, 'build-2')).cached).toBe(true);
    expect((await load({ 'no-cache': true }, 'build-2')).cached).toBe(false);
  });

  it('--no-cache and a run from source (no build id) write no cache', async () => {
    await load({ 'no-cache': true });
    await load({}, null);
    expect(cacheFiles()).toEqual([]);
  });

  it('a torn cache file is a miss, and the next run rewrites it', async () => {
    const first = await load();
    const entry = join(cache, 'extract', cacheFiles()[0]!);
    const text = readFileSync(entry, 'utf8');
    writeFileSync(entry, text.slice(0, text.length >> 1));
    const second = await load();
    expect(second.cached).toBe(false);
    expect(asText(second.json)).toBe(asText(first.json));
    expect((await load()).cached).toBe(true);
  });

  it('an unwritable cache directory costs time, not the run', async () => {
    writeFileSync(cache, 'a file where the cache directory should be');
    const first = await load();
    expect(first.report.files.length).toBeGreaterThan(0);
    expect((await load()).cached).toBe(false);
  });
});

describe('extract analyze through the built CLI', () => {
  it('a second run reuses the cache entry and prints what --no-cache prints', async () => {
    // Aging set the files' ctime to now: wait out the racy window, so the first
    // run's stamps are trusted however fast or slow this machine is.
    await new Promise((r) => setTimeout(r, RACY_MS + 200));
    const env = { ...process.env, CROSSFLAKE_CACHE_DIR: cache };
    const cli = (args: string[]) =>
      spawnSync(process.execPath, [bin, 'extract', 'analyze', repo, '--json', ...args], {
        env,
        encoding: 'utf8',
      });
    const first = cli([]);
    expect(first.status, first.stderr).toBe(0);
    const entry = join(cache, 'extract', cacheFiles()[0]!);
    const written = statSync(entry).mtimeMs;
    const second = cli([]);
    expect(second.status).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    // A reuse reads the entry; it does not write it again.
    expect(statSync(entry).mtimeMs).toBe(written);
    const fresh = cli(['--no-cache']);
    expect(fresh.stdout).toBe(first.stdout);
  });
});

describe('extract cache after a crash', () => {
  it('sweeps a temp file a killed run left behind, not one another run is writing', async () => {
    const entries = join(cache, 'extract');
    mkdirSync(entries, { recursive: true });
    const stale = `.x.cache${TEMP_MARK}1-dead`;
    const live = `.x.cache${TEMP_MARK}2-live`;
    writeFileSync(join(entries, stale), 'half');
    writeFileSync(join(entries, live), 'half');
    const old = (Date.now() - 3600_000) / 1000;
    utimesSync(join(entries, stale), old, old);
    await load();
    const names = readdirSync(entries);
    expect(names.filter((n) => n.includes(TEMP_MARK))).toEqual([live]);
    expect(names.filter((n) => n.endsWith('.cache'))).toHaveLength(1);
  });
});
