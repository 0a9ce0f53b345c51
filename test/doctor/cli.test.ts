import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir, userInfo, hostname, homedir } from 'node:os';
import { join } from 'node:path';
import { needsNix, nixVersion } from '../helpers/nix.js';

const bin = 'bin/crossflake.js';
const cli = (...args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'crossflake-doctor-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe(`doctor --json on this machine (live)${needsNix}`, () => {
  it.skipIf(!nixVersion)('finds Linux, the arch and the real Nix with its version', () => {
    const res = cli('doctor', '--json');
    const out = JSON.parse(res.stdout) as {
      facts: { os: { kernel: string; arch: string }; nix: { present: boolean; version: string } };
      ok: boolean;
      checks: { id: string }[];
    };
    expect(out.facts.os.kernel).toBe('linux');
    expect(out.facts.os.arch).toBe(process.arch === 'arm64' ? 'aarch64' : 'x86_64');
    expect(out.facts.nix.present).toBe(true);
    expect(nixVersion).toContain(out.facts.nix.version);
    expect(res.status).toBe(out.ok ? 0 : 1);
    expect(out.checks.length).toBeGreaterThan(10);
  });
});

describe('doctor --facts', () => {
  it('replays a recorded file and exits 1 when a required check fails', () => {
    const res = cli('doctor', '--facts', 'test/fixtures/host/facts/broken-no-nix.json');
    expect(res.status).toBe(1);
    expect(res.stdout).toContain('Nix is not installed');
  });

  it('exits 0 for a healthy recorded host', () => {
    expect(cli('doctor', '--facts', 'test/fixtures/host/facts/darwin-aarch64.json').status).toBe(0);
  });

  it('a malformed file names the field and exits 2', () => {
    const facts = JSON.parse(
      readFileSync('test/fixtures/host/facts/linux-x86_64.json', 'utf8'),
    ) as {
      os: Record<string, unknown>;
      resources: Record<string, unknown>;
    };
    facts.os.arch = 'sparc';
    const bad = join(dir, 'bad-arch.json');
    writeFileSync(bad, JSON.stringify(facts));
    const res = cli('doctor', '--facts', bad);
    expect(res.status).toBe(2);
    expect(res.stderr).toContain("field 'os.arch'");

    delete facts.resources.cpus;
    facts.os.arch = 'x86_64';
    writeFileSync(bad, JSON.stringify(facts));
    const missing = cli('doctor', '--facts', bad);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("field 'resources.cpus' is missing");
  });

  it('a file that is not JSON exits 2 with the file name', () => {
    const bad = join(dir, 'not-json.json');
    writeFileSync(bad, '{ nope');
    const res = cli('doctor', '--facts', bad);
    expect(res.status).toBe(2);
    expect(res.stderr).toContain(`${bad}: not JSON`);
  });
});

describe('doctor --save-facts', () => {
  it('writes redacted facts that doctor --facts accepts, and refuses to overwrite', () => {
    const out = join(dir, 'mine.json');
    cli('doctor', '--save-facts', out);
    const text = readFileSync(out, 'utf8');
    const me = userInfo().username;
    expect(text).not.toContain(homedir());
    expect(text).not.toMatch(new RegExp(`"${hostname()}"`));
    expect(JSON.parse(text).user).toEqual({ name: '<user>', home: '<home>', hostname: '<host>' });
    if (me !== 'root') expect(text).not.toMatch(new RegExp(`\\b${me}\\b`));
    expect([0, 1]).toContain(cli('doctor', '--facts', out).status);

    const again = cli('doctor', '--save-facts', out);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('--force');
    expect(cli('doctor', '--save-facts', out, '--force').stderr).toContain('Saved facts');
    expect(existsSync(out)).toBe(true);
  });
});
