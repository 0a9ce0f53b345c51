// Which CLI the generated CI runs: the crossflake input that the team's
// flake.lock pins (found in the lock, or named in crossflake.json), and a
// warning for a ci.crossflakeCommand that fetches a package by name without
// an exact version.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { crossflakeRun } from '../../src/ci/model.js';
import { fetchedPackages, unpinnedPackage } from '../../src/ci/pinning.js';
import { crossflakeInput } from '../../src/ci/shared-input.js';
import { UserError } from '../../src/command.js';
import { makeInput } from './helpers/input.js';

// flake.lock as Nix 2.8 wrote it for test/fixtures/ci/full (a path input).
const FIXTURE_LOCK = readFileSync('test/fixtures/ci/full/flake.lock', 'utf8');

function lock(
  inputs: Record<string, Record<string, unknown>>,
  follows: Record<string, string[]> = {},
) {
  const nodes: Record<string, unknown> = {
    root: { inputs: { ...Object.fromEntries(Object.keys(inputs).map((n) => [n, n])), ...follows } },
  };
  for (const [name, original] of Object.entries(inputs)) {
    nodes[name] = { original, locked: { ...original, rev: 'a'.repeat(40) } };
  }
  return JSON.stringify({ nodes, root: 'root', version: 7 });
}

describe('the crossflake input, from flake.lock', () => {
  it('is the input called crossflake in a lock Nix wrote', () => {
    expect(crossflakeInput(null, FIXTURE_LOCK)).toBe('crossflake');
  });

  it('is the input whose source is a repository or directory called crossflake, whatever its name', () => {
    const nixpkgs = { type: 'github', owner: 'NixOS', repo: 'nixpkgs' };
    expect(
      crossflakeInput(
        null,
        lock({ nixpkgs, cf: { type: 'github', owner: 'acme', repo: 'crossflake' } }),
      ),
    ).toBe('cf');
    expect(
      crossflakeInput(
        null,
        lock({ nixpkgs, tools: { type: 'git', url: 'https://git.acme.example/x/crossflake.git' } }),
      ),
    ).toBe('tools');
    expect(
      crossflakeInput(null, lock({ nixpkgs, local: { type: 'path', path: '../crossflake' } })),
    ).toBe('local');
  });

  it('is none without such an input, or without flake.lock; follows entries are not inputs of their own', () => {
    expect(
      crossflakeInput(null, lock({ nixpkgs: { type: 'github', owner: 'NixOS', repo: 'nixpkgs' } })),
    ).toBe(null);
    expect(crossflakeInput(null, null)).toBe(null);
    expect(
      crossflakeInput(
        null,
        lock(
          { team: { type: 'github', owner: 'acme', repo: 'team' } },
          { crossflake: ['team', 'crossflake'] },
        ),
      ),
    ).toBe(null);
  });

  it('two candidates: the one called crossflake wins; otherwise the team must name one', () => {
    const a = { type: 'github', owner: 'acme', repo: 'crossflake' };
    const b = { type: 'github', owner: 'fork', repo: 'crossflake' };
    expect(crossflakeInput(null, lock({ crossflake: a, fork: b }))).toBe('crossflake');
    expect(() => crossflakeInput(null, lock({ upstream: a, fork: b }))).toThrow(
      /several inputs that look like crossflake \(upstream, fork\): name one in ci\.crossflakeInput/,
    );
  });

  it('ci.crossflakeInput names it; a name flake.lock lacks is refused', () => {
    expect(
      crossflakeInput('shared', lock({ shared: { type: 'github', owner: 'a', repo: 'b' } })),
    ).toBe('shared');
    expect(() => crossflakeInput('shared', FIXTURE_LOCK)).toThrow(UserError);
    expect(() => crossflakeInput('shared', FIXTURE_LOCK)).toThrow(/no direct input for/);
  });
});

describe('the command CI runs crossflake with', () => {
  it('by default: the locked input through --inputs-from, as an argument array', () => {
    expect(crossflakeRun(makeInput('full'), ['init', '--test'])).toEqual({
      argv: ['nix', 'run', '--inputs-from', '.', 'crossflake#crossflake', '--', 'init', '--test'],
    });
  });

  it("ci.crossflakeCommand overrides it, as the team's shell text", () => {
    const input = makeInput('full', { ci: { crossflakeCommand: 'npx --yes crossflake@0.1.0' } });
    expect(crossflakeRun(input, ['init', '--test'])).toEqual({
      script: 'npx --yes crossflake@0.1.0 init --test',
    });
  });

  it('a flake without the input and without a command: CI that needs the CLI is refused, naming the fix', () => {
    const input = makeInput('full', {}, { crossflakeInput: null });
    expect(() => crossflakeRun(input, ['init', '--test'])).toThrow(
      /ci\.crossflakeInput.*ci\.crossflakeCommand/,
    );
  });
});

describe('unpinned packages in ci.crossflakeCommand', () => {
  it.each([
    ['npx --yes crossflake', 'crossflake'],
    ['npx --yes crossflake@latest', 'crossflake@latest'],
    ['npx crossflake@^0.1.0', 'crossflake@^0.1.0'],
    ['npx -y @acme/crossflake@0.1', '@acme/crossflake@0.1'],
    ['nix shell nixpkgs#nodejs --command npx --yes crossflake', 'crossflake'],
    ['npm exec --yes --package=crossflake -- crossflake', 'crossflake'],
    ['npm x -p crossflake@next crossflake', 'crossflake@next'],
    ['npx github:acme/crossflake', 'github:acme/crossflake'],
  ])('%s fetches %s without an exact version', (command, spec) => {
    expect(unpinnedPackage(command)).toBe(spec);
  });

  it.each([
    'npx --yes crossflake@0.1.0',
    'npx -y @acme/crossflake@1.2.3-rc.1',
    'npm exec --package=crossflake@0.1.0 -- crossflake',
    'nix run --inputs-from . crossflake#crossflake --',
    'nix run github:company/crossflake --',
    './node_modules/.bin/crossflake',
  ])('%s fetches no package by a loose name', (command) => {
    expect(unpinnedPackage(command)).toBe(null);
  });

  it('reads every package an invocation fetches', () => {
    expect(fetchedPackages('npm exec -p a@1.0.0 -p b -- a')).toEqual(['a@1.0.0', 'b']);
  });
});
