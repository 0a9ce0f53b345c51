// The committed flake.lock against the real pins, through the real nix:
// metadata and the image description must come out offline, without nix
// trying to update the lock, and an inconsistent lock must be refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { needsNix, nixVersion } from '../helpers/nix.js';
import { repoRoot, runNix, scratchFlake } from './helpers.js';

interface LockNode {
  locked?: Record<string, unknown>;
  original?: Record<string, unknown>;
  inputs?: Record<string, string | string[]>;
  flake?: boolean;
}
interface Pin {
  original: Record<string, unknown>;
  locked: Record<string, unknown>;
}

// A copy of shared/reference/upstream-pins.json: the recorded public lock
// entries the committed flake.lock must be made of.
const pinsFile = path.join(repoRoot, 'test/fixtures/nix/upstream-pins.json');
const pins = (JSON.parse(readFileSync(pinsFile, 'utf8')) as { inputs: Record<string, Pin> }).inputs;
const lock = JSON.parse(readFileSync(path.join(repoRoot, 'flake.lock'), 'utf8')) as {
  nodes: Record<string, LockNode>;
  root: string;
  version: number;
};
const flakeNix = readFileSync(path.join(repoRoot, 'flake.nix'), 'utf8');

// Fail fast when an input is missing: no long download retries.
const offline = ['--offline', '--no-update-lock-file', '--option', 'download-attempts', '1'];

const inputs = ['nixpkgs', 'home-manager', 'nix-darwin', 'nixos-wsl'] as const;

function urlOf(original: Record<string, unknown>): string {
  const ref = original.ref === undefined ? '' : `/${String(original.ref)}`;
  return `github:${String(original.owner)}/${String(original.repo)}${ref}`;
}

describe('flake.lock is assembled from the recorded upstream pins', () => {
  it.each(inputs)('%s: locked and original equal the pin, and flake.nix uses that URL', (name) => {
    const node = lock.nodes[name];
    const pin = pins[name];
    expect(pin).toBeDefined();
    expect(node?.locked).toEqual(pin?.locked);
    expect(node?.original).toEqual(pin?.original);
    expect(flakeNix).toContain(`url = "${urlOf(pin!.original)}";`);
  });

  it('the inputs follow nixpkgs, and NixOS-WSL has its flake-compat node', () => {
    expect(lock.nodes.root?.inputs).toEqual({
      'home-manager': 'home-manager',
      'nix-darwin': 'nix-darwin',
      'nixos-wsl': 'nixos-wsl',
      nixpkgs: 'nixpkgs',
    });
    for (const name of ['home-manager', 'nix-darwin'] as const) {
      expect(lock.nodes[name]?.inputs).toEqual({ nixpkgs: ['nixpkgs'] });
    }
    expect(lock.nodes['nixos-wsl']?.inputs).toEqual({
      'flake-compat': 'flake-compat',
      nixpkgs: ['nixpkgs'],
    });
    expect(lock.nodes['flake-compat']?.locked).toEqual(pins['flake-compat']?.locked);
    expect(lock.nodes['flake-compat']?.flake).toBe(false);
    expect(Object.keys(lock.nodes).sort()).toEqual(
      ['flake-compat', 'home-manager', 'nix-darwin', 'nixos-wsl', 'nixpkgs', 'root'].sort(),
    );
  });
});

describe.skipIf(!nixVersion)(`the flake with its committed lock, offline${needsNix}`, () => {
  let flake: ReturnType<typeof scratchFlake>;
  beforeAll(() => {
    flake = scratchFlake();
  });
  afterAll(() => flake.cleanup());

  it('nix flake metadata succeeds and reports the pinned revisions', () => {
    const r = runNix('nix', ['flake', 'metadata', '--json', ...offline, `path:${flake.dir}`]);
    expect(r.stderr).not.toMatch(/download|updat/i);
    expect(r.code).toBe(0);
    const meta = JSON.parse(r.stdout) as { locks: { nodes: Record<string, LockNode> } };
    for (const name of inputs) {
      expect(meta.locks.nodes[name]?.locked?.rev).toBe(pins[name]?.locked.rev);
      expect(meta.locks.nodes[name]?.locked?.narHash).toBe(pins[name]?.locked.narHash);
    }
    // nix did not rewrite the lock file.
    expect(readFileSync(path.join(flake.dir, 'flake.lock'), 'utf8')).toBe(
      readFileSync(path.join(repoRoot, 'flake.lock'), 'utf8'),
    );
  });

  // By its full attribute path, as `crossflake images` reads it: the short
  // installable `#crossflake.images` would first try packages.<system>.crossflake
  // (the CLI's package, which needs nixpkgs).
  it('crossflake.images evaluates without fetching nixpkgs', () => {
    const expr = `(builtins.getFlake "path:${flake.dir}").crossflake.images`;
    const r = runNix('nix', ['eval', '--json', ...offline, '--impure', '--expr', expr]);
    expect(r.code).toBe(0);
    const images = JSON.parse(r.stdout) as { attr: string; kind: string }[];
    expect(images.map((i) => i.attr)).toEqual([
      'packages.x86_64-linux.crossflake-nixos-wsl',
      'packages.x86_64-linux.crossflake-nixos-qcow2',
      'packages.x86_64-linux.crossflake-nixos-iso',
      'packages.x86_64-linux.crossflake-nixos-docker',
      'packages.aarch64-linux.crossflake-nixos-wsl',
      'packages.aarch64-linux.crossflake-nixos-qcow2',
      'packages.aarch64-linux.crossflake-nixos-iso',
      'packages.aarch64-linux.crossflake-nixos-docker',
    ]);
    expect(images.filter((i) => i.kind === 'root-program')).toHaveLength(2);
  });

  it('lib.platforms through the flake equals data/platforms.json', () => {
    const r = runNix('nix', ['eval', '--json', ...offline, `path:${flake.dir}#lib.platforms`]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(
      JSON.parse(readFileSync(path.join(repoRoot, 'data/platforms.json'), 'utf8')),
    );
  });

  it('a flake.nix that no longer matches the lock is refused, not silently re-locked', () => {
    const broken = scratchFlake();
    try {
      const file = path.join(broken.dir, 'flake.nix');
      writeFileSync(
        file,
        readFileSync(file, 'utf8').replace('nixpkgs/nixos-26.05', 'nixpkgs/nixos-unstable'),
      );
      const r = runNix('nix', ['flake', 'metadata', '--json', ...offline, `path:${broken.dir}`]);
      expect(r.code).not.toBe(0);
      // nix wanted to re-resolve the changed input: the lock no longer fits.
      expect(r.stderr).toContain('nixos-unstable');
      expect(readFileSync(path.join(broken.dir, 'flake.lock'), 'utf8')).toBe(
        readFileSync(path.join(repoRoot, 'flake.lock'), 'utf8'),
      );
    } finally {
      broken.cleanup();
    }
  });
});
