import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync, execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { needsNix, nixEnv, nixVersion } from '../helpers/nix.js';

const bin = join(process.cwd(), 'bin/crossflake.js');
const cli = (cwd: string, ...args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], {
    cwd,
    encoding: 'utf8',
    env: nixEnv({ NO_COLOR: '1' }),
  });

let repo: string;
beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), 'crossflake-docs-'));
  cpSync('test/fixtures/docs/repo', repo, { recursive: true });
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'ignore' });
  git('init', '-q');
  git('add', '-A');
  git('-c', 'user.name=t', '-c', 'user.email=t@example.invalid', 'commit', '-qm', 'fixture');
});
afterAll(() => rmSync(repo, { recursive: true, force: true }));

describe.skipIf(!nixVersion)(`crossflake docs on a fixture repo (real nix)${needsNix}`, () => {
  it('lint names each stale reference with file, line and suggestion, and exits 1', () => {
    const res = cli(repo, 'docs', 'lint');
    expect(res.status).toBe(1);
    expect(res.stdout).toContain(
      "docs/guide.md:3:9: flake-ref: homeManagerModules 'wsl-base' is not exported (did you mean 'wsl-home-base'?)",
    );
    expect(res.stdout).toContain(
      "docs/guide.md:5:2: repo-path: path 'nix/bse.nix' does not exist in the repository (did you mean 'nix/base.nix'?)",
    );
    expect(res.stdout).toContain(
      'docs/guide.md:7:18: export-count: says 3 templates, but the flake exports 2 (templates)',
    );
    expect(res.stdout).toContain(
      "docs/guide.md:11:13: flake-ref: flake output 'pyhton' is not exported (did you mean 'python'?)",
    );
    expect(res.stdout).toContain('4 finding(s).');
  });

  it('lint --json on one clean file finds nothing', () => {
    const res = cli(repo, 'docs', 'lint', 'README.md', '--json');
    expect(res.status).toBe(0);
    expect(JSON.parse(res.stdout)).toEqual({
      schema: 'crossflake/docs/v1',
      ok: true,
      files: ['README.md'],
      findings: [],
    });
  });

  it('generate is stable byte for byte and matches the golden EXPORTS.md', () => {
    const a = cli(repo, 'docs', 'generate', '--json');
    const b = cli(repo, 'docs', 'generate', '--json');
    expect(a.status).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const { files } = JSON.parse(a.stdout) as { files: Record<string, string> };
    expect(files['docs/EXPORTS.md']).toBe(
      readFileSync('test/fixtures/docs/EXPORTS.golden.md', 'utf8'),
    );
    expect(files['docs/PLATFORMS.md']).toBe(readFileSync('docs/PLATFORMS.md', 'utf8'));
  });

  it('check fails with a diff on a missing or hand-edited file, and passes after generate --write', () => {
    const missing = cli(repo, 'docs', 'check');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('crossflake docs generate --write');
    expect(cli(repo, 'docs', 'generate', '--write').status).toBe(0);
    expect(cli(repo, 'docs', 'check').status).toBe(0);
    const path = join(repo, 'docs/EXPORTS.md');
    writeFileSync(path, readFileSync(path, 'utf8').replace('A laptop', 'A notebook'));
    const edited = cli(repo, 'docs', 'check');
    expect(edited.status).toBe(1);
    expect(edited.stdout).toContain('-| `laptop` | A notebook |');
    expect(edited.stdout).toContain('+| `laptop` | A laptop |');
  });

  it('generate --write refuses to replace a hand-written file without --force', () => {
    writeFileSync(join(repo, 'docs/PLATFORMS.md'), '# my own notes\n');
    const res = cli(repo, 'docs', 'generate', '--write');
    expect(res.status).toBe(2);
    expect(res.stderr).toContain('pass --force');
    expect(readFileSync(join(repo, 'docs/PLATFORMS.md'), 'utf8')).toBe('# my own notes\n');
  });
});

describe.skipIf(!nixVersion)(`this repository's own docs (real nix)${needsNix}`, () => {
  it('docs check passes: generated docs are committed and current', () => {
    const res = cli(process.cwd(), 'docs', 'check');
    expect(res.stderr + res.stdout).toContain('up to date');
    expect(res.status).toBe(0);
  });

  it('docs lint passes on README.md and docs/', () => {
    const res = cli(process.cwd(), 'docs', 'lint');
    expect(res.stdout).toMatch(/file\(s\) match the code/);
    expect(res.status).toBe(0);
  });
});
