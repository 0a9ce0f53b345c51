// A Windows checkout: git with core.autocrlf=true writes CRLF into the working
// tree. ci check and docs check must see the same lines (real git, real nix,
// the built CLI).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { needsNix, nixEnv, nixVersion } from '../helpers/nix.js';
import { normalizeEol, sameText, unifiedDiff } from '../../src/ui/diff.js';

const bin = join(process.cwd(), 'bin/crossflake.js');
const cli = (cwd: string, ...args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: nixEnv() });
const git = (cwd: string, ...args: string[]) =>
  execFileSync(
    'git',
    [
      '-c',
      'user.name=t',
      '-c',
      'user.email=t@example.invalid',
      '-c',
      'init.defaultBranch=main',
      ...args,
    ],
    { cwd, encoding: 'utf8' },
  );

describe('line endings in the comparison', () => {
  it('CRLF and LF lines are the same text; a changed line is not', () => {
    expect(sameText('a\r\nb\r\n', 'a\nb\n')).toBe(true);
    expect(sameText('a\r\nb\r\n', 'a\nc\n')).toBe(false);
    expect(sameText(null, '')).toBe(false);
    expect(unifiedDiff('a\r\nb\r\n', 'a\nb\n', 'x', 'y')).toBe('');
    expect(normalizeEol('a\r\n\rb')).toBe('a\n\rb'); // a lone CR is content, not a line end
  });

  it('a real change in a CRLF file shows only that line, without carriage returns', () => {
    const diff = unifiedDiff('a\r\nb\r\nc\r\n', 'a\nB\nc\n', 'x', 'y');
    expect(diff).toBe('--- x\n+++ y\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n');
  });
});

describe.skipIf(!nixVersion)(
  `a core.autocrlf=true checkout (real git, real nix)${needsNix}`,
  () => {
    let work: string;
    let clone: string;
    beforeAll(() => {
      work = mkdtempSync(join(tmpdir(), 'crossflake-eol-'));
      const origin = join(work, 'origin');
      cpSync('test/fixtures/docs/repo', origin, { recursive: true });
      // The fixture has no crossflake input to pin the CLI by, so the team
      // config names the command CI runs it with.
      writeFileSync(
        join(origin, 'crossflake.json'),
        JSON.stringify({
          ci: { crossflakeCommand: 'nix run github:example/crossflake/v0.1.0 --' },
        }),
      );
      git(origin, 'init', '-q');
      git(origin, 'config', 'core.autocrlf', 'false');
      git(origin, 'add', '-A');
      git(origin, 'commit', '-qm', 'fixture');
      for (const args of [
        ['ci', 'generate', '--write'],
        ['docs', 'generate', '--write'],
      ]) {
        const res = cli(origin, ...args);
        expect(res.stderr + res.stdout).not.toContain('error');
        expect(res.status).toBe(0);
      }
      git(origin, 'add', '-A');
      git(origin, 'commit', '-qm', 'generated');
      clone = join(work, 'clone');
      // clone -c stores the setting in the clone, as a Windows user's config has it.
      git(work, 'clone', '-c', 'core.autocrlf=true', '-q', origin, clone);
    });
    afterAll(() => rmSync(work, { recursive: true, force: true }));

    it('the checkout really has CRLF in the generated files', () => {
      expect(readFileSync(join(clone, '.github/workflows/ci.yml'), 'utf8')).toContain('\r\n');
      expect(readFileSync(join(clone, 'docs/PLATFORMS.md'), 'utf8')).toContain('\r\n');
    });

    it('ci check and docs check report no diff', () => {
      const ci = cli(clone, 'ci', 'check');
      expect(ci.stdout).toBe('');
      expect(ci.status).toBe(0);
      const docs = cli(clone, 'docs', 'check');
      expect(docs.stdout).toBe('Generated docs are up to date.\n');
      expect(docs.status).toBe(0);
    });

    it('generate --write leaves the CRLF files alone, so git sees no change', () => {
      expect(cli(clone, 'ci', 'generate', '--write').stdout).toContain('unchanged');
      expect(cli(clone, 'docs', 'generate', '--write').stderr).toContain(
        'unchanged docs/PLATFORMS.md',
      );
      expect(git(clone, 'status', '--porcelain')).toBe('');
    });

    it('a real edit in the CRLF checkout is still found, as one changed line', () => {
      const file = join(clone, 'docs/PLATFORMS.md');
      const text = readFileSync(file, 'utf8');
      const [first] = text.split('\r\n');
      writeFileSync(file, text.replace(`${first}\r\n`, `${first} (edited)\r\n`));
      const docs = cli(clone, 'docs', 'check');
      expect(docs.status).toBe(1);
      expect(docs.stdout).not.toContain('\r');
      expect(docs.stdout.split('\n').filter((l) => /^[-+][^-+]/.test(l))).toHaveLength(2);
    });

    it('the files crossflake writes are LF', () => {
      const origin = join(work, 'origin');
      expect(readFileSync(join(origin, '.github/workflows/ci.yml'), 'utf8')).not.toContain('\r');
      expect(readFileSync(join(origin, 'docs/EXPORTS.md'), 'utf8')).not.toContain('\r');
    });
  },
);
