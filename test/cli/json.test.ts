// Every command's --json output is one envelope (schema, ok, data, error)
// that validates against data/schemas/<command>.schema.json, on success and
// on failure, with the exit code the command has without --json. Runs the
// built CLI; the cases that read a flake use real nix offline.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { needsNix, nixEnv, nixVersion } from '../helpers/nix.js';
import { checkEnvelope } from './envelope.js';

const bin = join(process.cwd(), 'bin/crossflake.js');
const facts = join(process.cwd(), 'test/fixtures/host/facts/linux-x86_64.json');
let tmp: string;

function cli(args: string[], cwd = tmp) {
  return spawnSync(process.execPath, [bin, ...args], {
    cwd,
    encoding: 'utf8',
    env: nixEnv({ NO_COLOR: '1', CROSSFLAKE_CACHE_DIR: join(tmp, 'cache') }),
  });
}

/** Runs, checks the exit code and the schema, and that stderr holds no error line. */
function expectJson(command: string, args: string[], code: number, ok: boolean, cwd?: string) {
  const res = cli(args, cwd);
  expect(res.status, `${args.join(' ')}: ${res.stderr}`).toBe(code);
  const out = checkEnvelope(command, res.stdout);
  expect(out.schema).toBe(`crossflake/${command}/v1`);
  expect(out.ok).toBe(ok);
  expect(res.stderr).not.toMatch(/^crossflake/m);
  return out;
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'crossflake-json-'));
  writeFileSync(join(tmp, 'good.nix'), '{ a = 1; }\n');
  writeFileSync(join(tmp, 'bad.nix'), '{ a = ; }\n');
  const release = join(tmp, 'release');
  mkdirSync(release);
  const file = 'team-nixos-wsl-x86_64-linux-2026.11.wsl';
  writeFileSync(join(release, file), 'image\n');
  const sha = createHash('sha256').update('image\n').digest('hex');
  writeFileSync(join(release, 'SHA256SUMS'), `${sha}  ${file}\n`);
  writeFileSync(join(release, 'other.wsl'), 'tampered\n');
  writeFileSync(join(release, 'SHA256SUMS'), `${sha}  ${file}\n${sha}  other.wsl\n`);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('--json is one envelope per command, valid against its schema', () => {
  it('an unknown command: the cli envelope on stdout, exit 2, nothing on stderr', () => {
    const out = expectJson('cli', ['docter', '--json'], 2, false);
    expect(out.error?.code).toBe('usage');
    expect(out.error?.message).toContain("'docter'");
  });

  it('advise: a recommendation; an unknown need is the error, exit 2', () => {
    const out = expectJson(
      'advise',
      ['advise', '--need', 'iterate', '--facts', facts, '--json'],
      0,
      true,
    );
    expect(out.commands).toEqual(expect.arrayContaining([expect.any(Array)]));
    const bad = expectJson('advise', ['advise', '--need', 'nope', '--json'], 2, false);
    expect(bad.error).toMatchObject({
      code: 'invalid-input',
      message: expect.stringContaining("'nope'"),
    });
  });

  it('doctor: the report for recorded facts; a missing facts file is the error', () => {
    const out = expectJson(
      'doctor',
      ['doctor', '--facts', facts, '--no-policy', '--json'],
      0,
      true,
    );
    expect(out).not.toHaveProperty('exitCode');
    expectJson('doctor', ['doctor', '--facts', join(tmp, 'missing.json'), '--json'], 2, false);
  });

  it('init: --list is an object with a templates field; an unknown template is the error', () => {
    const out = expectJson('init', ['init', '--list', '--json'], 0, true);
    expect(Array.isArray(out.templates)).toBe(true);
    expectJson('init', ['init', 'no-such-template', '--json'], 2, false);
  });

  it('init: the next commands are argument arrays', () => {
    const out = expectJson(
      'init',
      [
        'init',
        'wsl-home',
        'home',
        '--non-interactive',
        '--json',
        '-p',
        'username=alice',
        '--flake',
        'path:/srv/shared-flake',
      ],
      0,
      true,
    );
    const next = out.nextCommands as string[][];
    expect(next[0]).toEqual(['cd', 'home']);
    expect(next).toContainEqual(['sh', '-c', 'git init -q && git add -A']);
  });

  it('parse: files as a field; a syntax error is ok false with the data and exit 1', () => {
    const out = expectJson('parse', ['parse', 'good.nix', '--json'], 0, true);
    expect((out.files as unknown[]).length).toBe(1);
    const bad = expectJson('parse', ['parse', 'bad.nix', '--json'], 1, false);
    expect(bad.error?.code).toBe('parse-errors');
    expect((bad.files as unknown[]).length).toBe(1);
  });

  it('onboard: a dry-run plan; an unknown flow is the error', () => {
    const args = [
      'onboard',
      'linux',
      '--dry-run',
      '--facts',
      facts,
      '--json',
      '--flake',
      'path:/srv/shared-flake',
    ];
    expectJson('onboard', args, 0, true);
    expectJson('onboard', ['onboard', 'beos', '--json'], 2, false);
  });

  it('extract: analyze wraps the analysis; a missing repository is the error', () => {
    const repo = join(process.cwd(), 'test/fixtures/extract/beginner');
    const out = expectJson(
      'extract',
      ['extract', 'analyze', repo, '--json', '--no-cache'],
      0,
      true,
    );
    expect(out.analysis).toMatchObject({ schema: 'crossflake.extract.analysis/1' });
    const plan = expectJson('extract', ['extract', 'plan', repo, '--json', '--no-cache'], 0, true);
    expect(plan.plan).toMatchObject({ schema: 'crossflake.extract.plan/1' });
    expectJson('extract', ['extract', 'analyze', join(tmp, 'nope'), '--json'], 2, false);
  });

  it('images fetch: the verified file; a checksum mismatch is the error on stdout, exit 1', () => {
    const release = join(tmp, 'release');
    const file = 'team-nixos-wsl-x86_64-linux-2026.11.wsl';
    const args = ['images', 'fetch', release, '--image', file, '--to', 'out', '--json'];
    expect(expectJson('images', args, 0, true).sha256).toMatch(/^[0-9a-f]{64}$/);
    const bad = ['images', 'fetch', release, '--image', 'other.wsl', '--to', 'out', '--json'];
    expect(expectJson('images', bad, 1, false).error?.code).toBe('checksum-mismatch');
  });

  it('check: a leak scan that passes; a file where nix/ should be is the environment error', () => {
    const clean = mkdtempSync(join(tmpdir(), 'crossflake-json-check-'));
    expectJson('check', ['check', '--only', 'leaks', '--json'], 0, true, clean);
    writeFileSync(join(clean, 'nix'), 'not a folder');
    const out = expectJson('check', ['check', '--only', 'leaks', '--json'], 1, false, clean);
    expect(out.error?.code).toBe('environment');
    rmSync(clean, { recursive: true, force: true });
  });

  it('ci, docs: a subcommand that does not exist is the error, exit 2', () => {
    expectJson('ci', ['ci', 'nosuch', '--json'], 2, false);
    expectJson('docs', ['docs', 'nosuch', '--json'], 2, false);
    expectJson('images', ['images', 'nosuch', '--json'], 2, false);
  });
});

describe.skipIf(!nixVersion)(
  `--json of the commands that read a flake (real nix)${needsNix}`,
  () => {
    it('ci generate and check on a fixture flake: files; stale files are the error', () => {
      const dir = mkdtempSync(join(tmpdir(), 'crossflake-json-ci-'));
      cpSync('test/fixtures/ci/full', dir, { recursive: true });
      const out = expectJson('ci', ['ci', 'generate', '--json'], 0, true, dir);
      expect((out.files as unknown[]).length).toBeGreaterThan(0);
      const stale = expectJson('ci', ['ci', 'check', '--json'], 1, false, dir);
      expect(stale.error?.code).toBe('out-of-date');
      rmSync(dir, { recursive: true, force: true });
    });

    it('vm list on a flake with no VMs: an empty list; an unknown subcommand is the error', () => {
      const dir = mkdtempSync(join(tmpdir(), 'crossflake-json-vm-'));
      writeFileSync(
        join(dir, 'flake.nix'),
        '{ outputs = { self }: { nixosConfigurations = { }; }; }\n',
      );
      const out = expectJson('vm', ['vm', 'list', '--facts', facts, '--json'], 0, true, dir);
      expect(out.vms).toEqual([]);
      expectJson('vm', ['vm', 'nosuch', '--json'], 2, false, dir);
      rmSync(dir, { recursive: true, force: true });
    });

    it('docs generate and check on the fixture repo: files by path; stale docs are the error', () => {
      const dir = mkdtempSync(join(tmpdir(), 'crossflake-json-docs-'));
      cpSync('test/fixtures/docs/repo', dir, { recursive: true });
      const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
      git('init', '-q');
      git('add', '-A');
      const out = expectJson('docs', ['docs', 'generate', '--json'], 0, true, dir);
      expect(out.files).toHaveProperty(['docs/EXPORTS.md']);
      writeFileSync(join(dir, 'docs', 'EXPORTS.md'), 'old\n');
      expect(expectJson('docs', ['docs', 'check', '--json'], 1, false, dir).error?.code).toBe(
        'stale',
      );
      rmSync(dir, { recursive: true, force: true });
    });
  },
);
