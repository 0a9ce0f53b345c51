// extract apply's behaviour proof (issue 20), on real git repositories, the
// built CLI and the real nix (offline): fixture flakes whose configurations
// are built with the real nixpkgs lib (`lib.evalModules`, from
// ../shared/upstream/nixpkgs-lib) and builtins-only derivations, so every
// drvPath is real. A step commits only when no configuration's drvPath moves.
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gitIn, GIT_ENV } from './git-fixture.js';
import { needsNix, NIX_OFFLINE_CONFIG, nixVersion } from '../helpers/nix.js';

const bin = 'bin/crossflake.js';
const NIXPKGS_LIB = realpathSync(resolve('../shared/upstream/nixpkgs-lib'));
const ENV = { ...GIT_ENV, NIX_CONFIG: NIX_OFFLINE_CONFIG };

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The built CLI, run without blocking this process: a run takes seconds (two
 * evaluations), and a blocked test worker misses its runner's heartbeats.
 */
function cli(args: string[]): Promise<Run> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [bin, 'extract', ...args], { env: ENV });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => done({ code: code ?? -1, stdout, stderr }));
  });
}

function nixIn(dir: string, args: string[]): void {
  const res = spawnSync('nix', args, { cwd: dir, env: ENV, encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`nix ${args.join(' ')}: ${res.stderr}`);
}

interface Repos {
  root: string;
  personal: string;
  shared: string;
}

let root: string | null = null;
afterEach(() => {
  if (root) rmSync(root, { recursive: true, force: true });
  root = null;
});

/**
 * Both repositories, committed; the personal flake's one input (the nixpkgs
 * lib, a local path) is locked unless `lock` is false. `edit` changes files
 * before the first commit.
 */
function makeRepos(opts: { lock?: boolean; edit?: (r: Repos) => void } = {}): Repos {
  root = mkdtempSync(join(tmpdir(), 'crossflake-extract-verify-'));
  const r = { root, personal: join(root, 'personal'), shared: join(root, 'shared') };
  cpSync('test/fixtures/extract-verify/personal', r.personal, { recursive: true });
  cpSync('test/fixtures/extract-verify/shared', r.shared, { recursive: true });
  const flake = join(r.personal, 'flake.nix');
  writeFileSync(flake, readFileSync(flake, 'utf8').replace('@NIXPKGS_LIB@', NIXPKGS_LIB));
  opts.edit?.(r);
  for (const dir of [r.personal, r.shared]) {
    gitIn(dir, ['init', '-q', '-b', 'main']);
    gitIn(dir, ['add', '-A']);
  }
  if (opts.lock !== false) {
    nixIn(r.personal, ['flake', 'lock']);
    gitIn(r.personal, ['add', 'flake.lock']);
  }
  for (const dir of [r.personal, r.shared]) gitIn(dir, ['commit', '-q', '-m', 'initial']);
  return r;
}

async function stepOf(dir: string, file: string): Promise<number> {
  const { plan } = JSON.parse((await cli(['plan', dir, '--json'])).stdout) as {
    plan: { steps: { n: number; file: string }[] };
  };
  return plan.steps.find((s) => s.file === file)!.n;
}

/** `extract apply` of the step that moves `file`. */
async function apply(r: Repos, file: string, ...extra: string[]): Promise<Run & { n: number }> {
  const n = await stepOf(r.personal, file);
  const res = await cli(['apply', r.personal, '--step', String(n), '--shared', r.shared, ...extra]);
  return { n, ...res };
}

/** Branches, checked-out branch, HEAD and working tree of a repository. */
function state(dir: string): string {
  return [
    gitIn(dir, ['branch', '--list', '--format=%(refname:short)']),
    gitIn(dir, ['symbolic-ref', 'HEAD']),
    gitIn(dir, ['rev-parse', 'HEAD']),
    gitIn(dir, ['status', '--porcelain', '--untracked-files=all']),
    gitIn(dir, ['worktree', 'list', '--porcelain']),
  ].join('');
}

/** Changes the shared repository's copy of a module the step imports, and commits it. */
function changeShared(r: Repos, file: string, from: string, to: string): void {
  const path = join(r.shared, file);
  const text = readFileSync(path, 'utf8');
  expect(text).toContain(from);
  writeFileSync(path, text.replace(from, to));
  gitIn(r.shared, ['commit', '-q', '-am', `team: change ${file}`]);
}

interface ApplyJson {
  verification: {
    verified: boolean | 'not-run' | 'skipped';
    reason?: string;
    configurations?: string[];
  };
  warnings: string[];
  results: { repo: string; status: string }[];
}

describe.skipIf(!nixVersion)(
  `extract apply proves each step keeps every configuration's drvPath${needsNix}`,
  () => {
    it('a pure move keeps every drvPath and commits, saying what it proved', async () => {
      const r = makeRepos();
      const res = await apply(r, 'modules/motd.nix', '--json');
      expect(res.code, res.stderr).toBe(0);
      expect(res.stderr).toBe('');
      const out = JSON.parse(res.stdout) as ApplyJson;
      expect(out.verification).toEqual({
        verified: true,
        configurations: [
          'darwinConfigurations.studio',
          'homeConfigurations."dana@laptop"',
          'nixosConfigurations.laptop',
        ],
      });
      expect(out.results.map((x) => x.status)).toEqual(['committed', 'committed']);
      const branch = `crossflake/extract-step-${res.n}-motd`;
      // The step really moved the module: the personal host now takes it from the shared flake.
      expect(gitIn(r.personal, ['show', `${branch}:hosts/laptop.nix`])).toContain(
        'inputs.shared.nixosModules.motd',
      );
      expect(gitIn(r.shared, ['show', `${branch}:nix/modules/nixos/motd.nix`])).toBe(
        readFileSync(join(r.personal, 'modules/motd.nix'), 'utf8'),
      );
    }, 180_000);

    it('a move whose import now resolves to a different copy is refused: configuration and first differing input named, nothing committed', async () => {
      const r = makeRepos();
      // The shared repo's copy of editor.nix (an earlier step) sets another package since.
      changeShared(r, 'nix/modules/nixos/editor.nix', '"helix"', '"vim"');
      const before = [state(r.personal), state(r.shared)];
      const res = await apply(r, 'modules/tools.nix');
      expect(res.code).toBe(1);
      expect(res.stdout).toBe('');
      expect(res.stderr.trim().split('\n')).toHaveLength(1);
      expect(res.stderr).toContain('refused, nothing committed in either repo');
      expect(res.stderr).toContain(
        'changes what these configurations build: darwinConfigurations.studio, homeConfigurations."dana@laptop", nixosConfigurations.laptop',
      );
      // The cause, followed down from the configuration into the derivation that differs.
      expect(res.stderr).toContain(
        'first difference in darwinConfigurations.studio: configuration > packages: env.text "helix-theme-solarized\\nhelix\\nripgrep\\njq" -> "helix-theme-solarized\\nvim\\nripgrep\\njq"',
      );
      expect([state(r.personal), state(r.shared)]).toEqual(before);
    }, 180_000);

    it('a move that drops an import is refused; the same step commits once the copies agree', async () => {
      const r = makeRepos();
      changeShared(r, 'nix/modules/nixos/editor.nix', '  imports = [ ./editor-theme.nix ];\n', '');
      const before = [state(r.personal), state(r.shared)];
      const refused = await apply(r, 'modules/tools.nix');
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(
        /configuration > packages: env\.text "helix-theme-solarized\\nhelix\\nripgrep\\njq" -> "helix\\nripgrep\\njq"/,
      );
      expect([state(r.personal), state(r.shared)]).toEqual(before);

      gitIn(r.shared, ['revert', '--no-edit', 'HEAD']);
      const ok = await apply(r, 'modules/tools.nix');
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stdout).toContain(
        'behaviour proven unchanged: the same drvPath before and after for darwinConfigurations.studio, homeConfigurations."dana@laptop", nixosConfigurations.laptop',
      );
    }, 180_000);

    it("a move after which a configuration no longer evaluates is refused with nix's error", async () => {
      const r = makeRepos();
      // The shared copy of editor.nix now sets an option no module declares.
      changeShared(
        r,
        'nix/modules/nixos/editor.nix',
        'packages = [ "helix" ]',
        'pkgs = [ "helix" ]',
      );
      const before = [state(r.personal), state(r.shared)];
      const res = await apply(r, 'modules/tools.nix');
      expect(res.code).toBe(1);
      expect(res.stderr).toMatch(
        /refused, nothing committed in either repo: the personal flake's configurations no longer evaluate after the step: The option `pkgs. does not exist\. Definition values: - In `\/nix\/store\/[^`]*\/nix\/modules\/nixos\/editor\.nix/,
      );
      expect([state(r.personal), state(r.shared)]).toEqual(before);
    }, 180_000);

    it('--no-verify commits a step the proof would refuse, with a warning on stderr and in --json', async () => {
      const r = makeRepos();
      changeShared(r, 'nix/modules/nixos/editor.nix', '"helix"', '"vim"');
      const res = await apply(r, 'modules/tools.nix', '--no-verify', '--json');
      expect(res.code, res.stderr).toBe(0);
      expect(res.stderr).toMatch(
        /^crossflake extract: warning: --no-verify: committed WITHOUT proving/,
      );
      const out = JSON.parse(res.stdout) as ApplyJson;
      expect(out.verification.verified).toBe('skipped');
      expect(out.warnings).toHaveLength(1);
      expect(out.warnings[0]).toMatch(/^--no-verify: committed WITHOUT proving/);
      expect(out.results.map((x) => x.status)).toEqual(['committed', 'committed']);
      expect(
        gitIn(r.personal, ['log', '-1', '--format=%s', `crossflake/extract-step-${res.n}-tools`]),
      ).toContain('move modules/tools.nix');
    }, 180_000);

    it('no flake.lock: says the proof was not run (never a pass) and why', async () => {
      const r = makeRepos({ lock: false });
      const text = await apply(r, 'modules/motd.nix');
      expect(text.code, text.stderr).toBe(0);
      expect(text.stdout).toMatch(/personal: committed \w+ on branch/);
      expect(text.stdout).toContain(
        'behaviour proof NOT RUN, so nothing is proven: the personal flake has no flake.lock',
      );
      expect(text.stdout).not.toContain('proven unchanged');
    }, 180_000);

    it('an input that cannot be fetched (offline): verified "not-run" with nix\'s reason', async () => {
      // A closed port on 127.0.0.1 stands for the unreachable host.
      const port = await new Promise<number>((done) => {
        const server = createServer().listen(0, '127.0.0.1', () => {
          const { port } = server.address() as { port: number };
          server.close(() => done(port));
        });
      });
      const url = `http://127.0.0.1:${port}/nixpkgs-lib.tar.gz`;
      const r = makeRepos({
        lock: false,
        edit: (repos) => {
          const flake = join(repos.personal, 'flake.nix');
          writeFileSync(flake, readFileSync(flake, 'utf8').replace(`path:${NIXPKGS_LIB}`, url));
          // Locked as `nix flake lock` would have when the host was reachable.
          const node = { type: 'tarball', url };
          const lock = {
            nodes: {
              'nixpkgs-lib': {
                flake: false,
                locked: { ...node, narHash: `sha256-${'A'.repeat(43)}=` },
                original: node,
              },
              root: { inputs: { 'nixpkgs-lib': 'nixpkgs-lib' } },
            },
            root: 'root',
            version: 7,
          };
          writeFileSync(join(repos.personal, 'flake.lock'), `${JSON.stringify(lock, null, 2)}\n`);
        },
      });
      const res = await apply(r, 'modules/motd.nix', '--json');
      expect(res.code, res.stderr).toBe(0);
      const out = JSON.parse(res.stdout) as ApplyJson;
      expect(out.verification.verified).toBe('not-run');
      expect(out.verification.reason).toMatch(/^inputs cannot be fetched: unable to download/);
      expect(out.verification.reason).toContain(`127.0.0.1:${port}`);
    }, 180_000);
  },
);
