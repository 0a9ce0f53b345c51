import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { needsNix, nixEnv, nixVersion } from '../helpers/nix.js';

const bin = join(process.cwd(), 'bin/crossflake.js');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

interface Summary {
  ok: boolean;
  ran: number;
  notRun: string[];
  steps: { id: string; status: string; detail: string; output: string; allowedSkip?: boolean }[];
}

function repo(flake: string, extra: (dir: string) => void = () => {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'crossflake-check-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'flake.nix'), flake);
  mkdirSync(join(dir, 'docs'));
  writeFileSync(join(dir, 'docs/README.md'), '# Docs\n');
  extra(dir);
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
  git('init', '-q');
  git('add', '-A');
  return dir;
}

function check(dir: string, ...extra: string[]): { status: number | null; summary: Summary } {
  // One download attempt: an unreachable input should not cost retries.
  const env = nixEnv({
    NIX_CONFIG: `${nixEnv().NIX_CONFIG}\ndownload-attempts = 1\nconnect-timeout = 2`,
  });
  const res = spawnSync(process.execPath, [bin, 'check', '--json', '--dir', dir, ...extra], {
    encoding: 'utf8',
    env,
  });
  return { status: res.status, summary: JSON.parse(res.stdout) as Summary };
}

const step = (s: Summary, id: string) => s.steps.find((x) => x.id === id);

const noInputs = `{ outputs = { self }: { nixosModules.base = { ... }: { }; }; }\n`;

describe.skipIf(!nixVersion)(`crossflake check (real nix)${needsNix}`, () => {
  it('passes a healthy flake and says which steps did not apply', () => {
    const { status, summary } = check(repo(noInputs));
    expect(step(summary, 'flake')?.status).toBe('pass');
    expect(step(summary, 'docs-lint')?.status).toBe('pass');
    expect(step(summary, 'templates')).toMatchObject({
      status: 'not applicable',
      detail: 'no templates/ folder',
    });
    expect(step(summary, 'ci')).toMatchObject({
      status: 'not applicable',
      detail: 'no workflows to compare',
    });
    expect(summary.ok).toBe(true);
    expect(status).toBe(0);
  });

  it('reports the flake evaluation as not run, with why, when inputs are unreachable, and fails unless allowed', () => {
    const flake = `{
      inputs.far = { url = "http://127.0.0.1:9/far.tar.gz"; flake = false; };
      outputs = { self, far }: { nixosModules.base = { ... }: { }; };
    }\n`;
    const { status, summary } = check(repo(flake));
    const flakeStep = step(summary, 'flake');
    expect(flakeStep?.status).toBe('not run');
    expect(flakeStep?.detail).toMatch(/^inputs unreachable: /);
    expect(summary.ok).toBe(false);
    expect(status).toBe(1);
    // docs lint reads the flake's outputs too, so it could not run either.
    expect(summary.notRun).toEqual(['flake', 'docs-lint']);
    const allowed = check(repo(flake), '--allow-skip', 'flake,docs-lint');
    expect(step(allowed.summary, 'flake')).toMatchObject({ status: 'not run', allowedSkip: true });
    expect(allowed.status).toBe(0);
  });

  it('a locked input that cannot be fetched makes the evaluation not run, even when an output that needs no input fails first', () => {
    // Nix fetches inputs lazily: without fetching them first, the throw below
    // would be reported as a failure of the flake, and which error comes
    // first would depend on the order Nix evaluates outputs in.
    const flake = `{
      inputs.far.url = "github:example/far";
      outputs = { self, far }: { checks.x86_64-linux.a = throw "evaluated before the inputs"; };
    }\n`;
    const lock = {
      nodes: {
        far: {
          locked: {
            lastModified: 1700000000,
            narHash: 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=',
            owner: 'example',
            repo: 'far',
            rev: '0000000000000000000000000000000000000001',
            type: 'github',
          },
          original: { owner: 'example', repo: 'far', type: 'github' },
        },
        root: { inputs: { far: 'far' } },
      },
      root: 'root',
      version: 7,
    };
    const dir = repo(flake, (d) => writeFileSync(join(d, 'flake.lock'), JSON.stringify(lock)));
    const flakeStep = step(check(dir).summary, 'flake');
    expect(flakeStep?.status).toBe('not run');
    expect(flakeStep?.detail).toMatch(/^inputs unreachable: .*example\/far/);
  });

  it('fails when a flake output does not evaluate', () => {
    const { status, summary } = check(
      repo(`{ outputs = { self }: { nixosModules.base = undefinedThing; }; }\n`),
    );
    expect(step(summary, 'flake')?.status).toBe('fail');
    expect(step(summary, 'flake')?.detail).toContain('undefined variable');
    expect(status).toBe(1);
  });

  it('a flake that imports a file made during evaluation (builtins.toFile): the failure names the cause, read-only --no-build evaluation, and the fix', () => {
    // New content each run, so the file is never in the store from before.
    const unique = `{ ... }: { _file = "${process.pid}-${Date.now()}"; }`;
    const { summary } = check(
      repo(
        `{ outputs = { self }: { nixosModules.base = import (builtins.toFile "base.nix" ${JSON.stringify(unique)}); }; }\n`,
      ),
    );
    const flakeStep = step(summary, 'flake');
    expect(flakeStep?.status).toBe('fail');
    expect(flakeStep?.detail).toMatch(
      /is not valid \(nix flake check --no-build writes nothing to the store.*keep it in the flake's source\)$/,
    );
  });

  it('fails when a template is broken', () => {
    const dir = repo(noInputs, (d) => {
      cpSync('templates/wsl-home', join(d, 'templates/wsl-home'), { recursive: true });
      const file = join(d, 'templates/wsl-home/flake.nix');
      writeFileSync(file, `${readFileSync(file, 'utf8')}\n{{{ broken\n`);
    });
    const { status, summary } = check(dir);
    expect(step(summary, 'templates')?.status).toBe('fail');
    expect(summary.ok).toBe(false);
    expect(status).toBe(1);
  });

  it('fails on a stale doc reference through docs lint', () => {
    const dir = repo(noInputs, (d) =>
      writeFileSync(join(d, 'docs/README.md'), 'Use `nixosModules.bse`.\n'),
    );
    const { summary } = check(dir);
    expect(step(summary, 'docs-lint')).toMatchObject({ status: 'fail' });
    expect(step(summary, 'docs-lint')?.detail).toBe('1 finding(s).');
  });

  it('the leak scan fails on a home path, a secret and a real e-mail in nix/, naming each', () => {
    const dir = repo(noInputs, (d) => {
      mkdirSync(join(d, 'nix'));
      writeFileSync(
        join(d, 'nix/wifi.nix'),
        [
          '{ ... }: {',
          '  networking.wireless.networks.home.psk = "hunter2hunter2";',
          '  programs.git.settings.user.email = "jane.doe@acme-corp.de";',
          '  environment.sessionVariables.NOTES = "/home/jane/notes";',
          '}',
          '',
        ].join('\n'),
      );
    });
    const { summary } = check(dir);
    const leaks = step(summary, 'leaks');
    expect(leaks?.status).toBe('fail');
    expect(leaks?.detail).toMatch(/finding\(s\) in shared files/);
    expect(leaks?.output).toMatch(/nix\/wifi\.nix:2:\d+: secrets: /);
    expect(leaks?.output).toMatch(
      /nix\/wifi\.nix:3:\d+: personal-identifiers: .*jane\.doe@acme-corp\.de/,
    );
    expect(leaks?.output).toMatch(/nix\/wifi\.nix:4:\d+: home-paths: /);
    expect(leaks?.output).not.toContain('hunter2');
  });

  it('the leak scan passes placeholders and team names, and fails on a configured identifier', () => {
    const dir = repo(noInputs, (d) => {
      mkdirSync(join(d, 'nix'));
      writeFileSync(
        join(d, 'nix/git.nix'),
        '{ ... }: { programs.git.settings.user.email = "you@example.com"; }\n',
      );
      writeFileSync(
        join(d, 'nix/motd.nix'),
        '{ ... }: { users.motd = "managed by the zebra team"; }\n',
      );
    });
    expect(step(check(dir).summary, 'leaks')?.status).toBe('pass');
    writeFileSync(
      join(dir, 'crossflake.json'),
      JSON.stringify({ privacy: { identifiers: ['zebra'] } }),
    );
    const again = step(check(dir).summary, 'leaks');
    expect(again?.status).toBe('fail');
  });
});

// A step that could not run is not a pass (issue: honest exits). None of
// these need nix: with no flake.nix nothing reaches it.
describe('crossflake check: could not run is not a pass', () => {
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [bin, 'check', ...args], { encoding: 'utf8' });

  it('a --dir that does not exist, or is a file, is one line with exit 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crossflake-check-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'file'), 'x');
    for (const [arg, why] of [
      [join(dir, 'nonexistent'), 'no such directory'],
      [join(dir, 'file'), 'is not a directory'],
    ] as const) {
      const res = run('--dir', arg);
      expect(res.status).toBe(2);
      expect(res.stderr.trim().split('\n')).toEqual([expect.stringContaining(why)]);
      expect(res.stdout).toBe('');
    }
  });

  it('an empty folder: nothing ran, exit 1, the JSON says which could not run and which do not apply', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crossflake-check-'));
    dirs.push(dir);
    const res = run('--json', '--dir', dir);
    expect(res.status).toBe(1);
    const summary = JSON.parse(res.stdout) as Summary;
    expect(summary.ok).toBe(false);
    expect(summary.ran).toBe(0);
    expect(summary.notRun).toEqual(['flake', 'docs-check', 'docs-lint']);
    expect(step(summary, 'ci')).toMatchObject({ status: 'not applicable' });
    expect(step(summary, 'templates')).toMatchObject({ status: 'not applicable' });
    expect(step(summary, 'flake')).toMatchObject({ status: 'not run', allowedSkip: false });
  });

  it('--allow-skip takes a comma list and repetition; only the named steps are forgiven', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crossflake-check-'));
    dirs.push(dir);
    const partly = run('--dir', dir, '--allow-skip', 'flake,docs-check');
    expect(partly.status).toBe(1);
    expect(partly.stdout).toMatch(/could not run \(docs-lint\).*--allow-skip docs-lint/);
    const all = run('--dir', dir, '--allow-skip', 'flake,docs-check', '--allow-skip', 'docs-lint');
    expect(all.status).toBe(0);
    expect(all.stdout).toMatch(/not run \(allowed\)/);
    const bad = run('--dir', dir, '--allow-skip', 'flakes');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("unknown step 'flakes'");
  });
});
