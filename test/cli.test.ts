import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const bin = 'bin/crossflake.js';
// Grows as commands land; each must appear in --help with a one-line summary.
const commandNames: string[] = [
  'doctor',
  'advise',
  'docs',
  'check',
  'ci',
  'init',
  'images',
  'parse',
  'onboard',
  'extract',
];
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
  version: string;
  bin: Record<string, string>;
};

describe('the built CLI (bin/crossflake.js -> dist/cli.js)', () => {
  it('package.json names bin/crossflake.js as the crossflake binary', () => {
    expect(pkg.bin.crossflake).toBe(bin);
  });

  it('--version prints the package version', () => {
    expect(execFileSync(process.execPath, [bin, '--version'], { encoding: 'utf8' })).toBe(
      `${pkg.version}\n`,
    );
  });

  it('--help lists every command with one line each', () => {
    const out = execFileSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
    for (const name of commandNames) {
      expect(out).toMatch(new RegExp(`^  ${name} +\\S.*$`, 'm'));
    }
  });

  it('an unknown command exits 2 and points at --help', () => {
    const res = spawnSync(process.execPath, [bin, 'frobnicate'], { encoding: 'utf8' });
    expect(res.status).toBe(2);
    expect(res.stderr).toContain("unknown command 'frobnicate'");
  });

  it('an unknown top-level flag exits 2', () => {
    const res = spawnSync(process.execPath, [bin, '--bogus'], { encoding: 'utf8' });
    expect(res.status).toBe(2);
    expect(res.stderr).toContain('--bogus');
  });

  it('the npm package ships the bin, the bundle and the support matrix', () => {
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      encoding: 'utf8',
    });
    const files = (JSON.parse(out) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
    for (const f of [bin, 'dist/cli.js', 'data/platforms.json']) expect(files).toContain(f);
    expect(files.some((f) => f.startsWith('src/') || f.startsWith('test/'))).toBe(false);
  });
});
