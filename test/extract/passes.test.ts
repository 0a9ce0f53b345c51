// The analysis reads each file in two passes and parses it again for the
// second, rather than keeping every syntax tree alive (analyze.ts). Whatever
// the first pass left behind (memos, indexes, the tree itself) must not
// change a single byte of the report.
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/extract/analyze.js';
import { scanNixFiles } from '../../src/io/nix-files.js';
import { fixtureDir, REPOS } from './corpus.js';

describe('extract analyze in two passes', () => {
  for (const name of [...REPOS, 'shared']) {
    it(`gives the same report for ${name} whether trees are kept or parsed again`, async () => {
      const files = await scanNixFiles(fixtureDir(name));
      const root = fixtureDir(name);
      const reparsed = analyze(files, { root });
      const kept = analyze(files, { root, keepTrees: true });
      expect(reparsed.files.length).toBe(files.length);
      expect(JSON.stringify(reparsed, null, 2)).toBe(JSON.stringify(kept, null, 2));
    });
  }

  it('reads a configuration against exports of files read after it', () => {
    // hosts.nix (first in order) names an export defined in z-modules.nix.
    const files = [
      {
        path: 'flake.nix',
        bytes:
          '{ outputs = { self, nixpkgs }: (import ./hosts.nix { inherit self nixpkgs; }) // (import ./z-modules.nix); }\n',
      },
      {
        path: 'hosts.nix',
        bytes:
          '{ self, nixpkgs }: {\n  nixosConfigurations.box = nixpkgs.lib.nixosSystem { modules = [ self.nixosModules.base ]; };\n}\n',
      },
      { path: 'z-modules.nix', bytes: '{ nixosModules.base = ./base.nix; }\n' },
      { path: 'base.nix', bytes: '{ ... }: { services.openssh.enable = true; }\n' },
    ];
    const report = analyze(files, { root: 'mem' });
    expect(report.configurations).toEqual([
      expect.objectContaining({ name: 'box', file: 'hosts.nix', modules: ['base.nix'] }),
    ]);
    expect(report.files.find((f) => f.path === 'base.nix')?.moduleClass).toBe('nixos');
    expect(report).toEqual(analyze(files, { root: 'mem', keepTrees: true }));
  });
});
