// The analysis reads each file once, before any identifier is learned, and
// again only where a learned identifier can change a rule's evidence
// (analyze.ts, Rule.usesIdentifiers). Reading every file again must not
// change a single byte of the report.
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/extract/analyze.js';
import { scanNixFiles } from '../../src/io/nix-files.js';
import { fixtureDir, REPOS } from './corpus.js';

describe('extract analyze reads again only the files identifiers matter to', () => {
  for (const name of [...REPOS, 'shared']) {
    it(`gives the same report for ${name} whether every file is read again or only some`, async () => {
      const files = await scanNixFiles(fixtureDir(name));
      const root = fixtureDir(name);
      const reparsed = analyze(files, { root });
      const all = analyze(files, { root, recheckAll: true });
      expect(reparsed.files.length).toBe(files.length);
      expect(JSON.stringify(reparsed, null, 2)).toBe(JSON.stringify(all, null, 2));
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
    expect(report).toEqual(analyze(files, { root: 'mem', recheckAll: true }));
  });

  it('finds a user and a host learned from files read after the one that names them', () => {
    const files = [
      {
        path: 'a-aliases.nix',
        bytes:
          '{ ... }: {\n  programs.zsh.shellAliases.up = "sudo nixos-rebuild switch --flake /home/tomasz/cfg#tomasz@pelican";\n  programs.ssh.extraConfig = "Host pelican\\n  User git";\n  environment.etc.x.text = "backup to tim@pelican";\n}\n',
      },
      {
        path: 'z-home.nix',
        bytes: '{ ... }: {\n  home.username = "tomasz";\n  networking.hostName = "pelican";\n}\n',
      },
    ];
    const report = analyze(files, { root: 'mem' });
    expect(report.identifiers.users).toEqual(['tomasz']);
    expect(report.identifiers.hosts).toEqual(['pelican']);
    const first = report.files.find((f) => f.path === 'a-aliases.nix')!;
    const found = first.evidence.map((e) => `${e.rule} ${e.text}`);
    expect(found).toContain('personal-identifiers tomasz');
    expect(found).toContain('personal-identifiers pelican');
    // Only the learned host makes `tim@pelican` a login on one of the person's machines.
    expect(found).toContain('user-at-host tim@pelican (host pelican)');
    expect(report).toEqual(analyze(files, { root: 'mem', recheckAll: true }));
  });

  it('says a file is data used as a module once the importer is known, without its tree', () => {
    const files = [
      { path: 'a-keys.nix', bytes: '{ alice = "ssh-ed25519 AAAAC3Nza"; }\n' },
      { path: 'z-host.nix', bytes: '{ ... }: {\n  imports = [ ./a-keys.nix ];\n}\n' },
    ];
    const report = analyze(files, { root: 'mem' });
    const keys = report.files.find((f) => f.path === 'a-keys.nix')!;
    expect(keys.evidence.filter((e) => e.rule === 'not-a-module').map((e) => e.text)).toEqual([
      'plain data used as a module',
    ]);
  });
});
