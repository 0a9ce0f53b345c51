import { describe, expect, it } from 'vitest';
import {
  asManifest,
  lockedInputs,
  MANIFEST_SCHEMA,
  releaseNotes,
  renderSha256Sums,
  type Artifact,
  type Manifest,
} from '../../src/images/manifest.js';

const artifact = (format: string, drv: string, size: number): Artifact => ({
  name: 'team',
  format,
  system: 'x86_64-linux',
  attr: `packages.x86_64-linux.team-${format}`,
  kind: 'derivation',
  file: `team-${format}-x86_64-linux-2026.11.${format}`,
  size,
  sha256: 'a'.repeat(64),
  drvPath: `/nix/store/${drv}-team-${format}.drv`,
  outPath: `/nix/store/out-team-${format}`,
  closureSize: size * 2,
  largestPaths: [],
  buildSeconds: 1,
  builtAt: '2026-11-27T00:00:00Z',
});

const manifest = (version: string, artifacts: Artifact[]): Manifest => ({
  schema: MANIFEST_SCHEMA,
  version,
  createdAt: '2026-11-27T00:00:00Z',
  flake: '/src',
  git: { revision: 'abc123', dirty: false },
  flakeLock: {},
  artifacts,
});

describe('manifest helpers', () => {
  it('SHA256SUMS lines are "<hash>  <file>", sorted by file', () => {
    expect(
      renderSha256Sums([
        { file: 'b.iso', sha256: '1'.repeat(64) },
        { file: 'a.wsl', sha256: '2'.repeat(64) },
      ]),
    ).toBe(`${'2'.repeat(64)}  a.wsl\n${'1'.repeat(64)}  b.iso\n`);
  });

  it('reads locked revisions from a flake.lock (upstream shape)', () => {
    const lock = {
      nodes: {
        nixpkgs: {
          locked: {
            type: 'github',
            owner: 'NixOS',
            repo: 'nixpkgs',
            rev: 'r1',
            narHash: 'sha256-x',
            lastModified: 5,
          },
        },
        root: { inputs: { nixpkgs: 'nixpkgs' } },
      },
      root: 'root',
      version: 7,
    };
    expect(lockedInputs(lock)).toEqual({
      nixpkgs: { type: 'github', rev: 'r1', narHash: 'sha256-x', lastModified: 5 },
    });
  });

  it('asManifest refuses files that are not manifests or name paths outside the directory', () => {
    expect(asManifest(manifest('1', [artifact('iso', 'd1', 1)]))).not.toBeNull();
    expect(asManifest({ schema: 'other' })).toBeNull();
    expect(asManifest(manifest('1', [{ ...artifact('iso', 'd1', 1), file: '../x' }]))).toBeNull();
  });

  it('release notes list added, rebuilt (with size deltas), removed and unchanged images', () => {
    const before = manifest('2026.10', [
      artifact('iso', 'd1', 100 * 1024 ** 2),
      artifact('wsl', 'd2', 10),
      artifact('vmware', 'd3', 1),
    ]);
    const after = manifest('2026.11', [
      artifact('iso', 'd9', 90 * 1024 ** 2),
      artifact('wsl', 'd2', 10),
      artifact('qcow2', 'd4', 1),
    ]);
    const notes = releaseNotes(after, before, 'v2026.11');
    expect(notes).toContain('## Changes since 2026.10');
    expect(notes).toContain('- added team-qcow2-x86_64-linux-2026.11.qcow2');
    expect(notes).toContain('- rebuilt team-iso-x86_64-linux-2026.11.iso: 90.0 MiB (-10.0 MiB)');
    expect(notes).toContain('- removed team-vmware-x86_64-linux');
    expect(notes).toContain('- unchanged: team-wsl-x86_64-linux');
    expect(releaseNotes(after, null, 'v1')).toContain('## First release');
  });
});
