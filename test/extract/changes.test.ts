import { describe, expect, it } from 'vitest';
import { analyze, type SourceFile } from '../../src/extract/analyze.js';
import { planChanges, Refusal } from '../../src/extract/apply.js';
import { planFor } from '../../src/extract/command.js';
import { readFileSync } from 'node:fs';
import { analyzeFixture, fixtureDir } from './corpus.js';

const FLAKE = `{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-26.05";
  outputs = inputs@{ nixpkgs, ... }: {
    nixosConfigurations.box = nixpkgs.lib.nixosSystem { modules = [ ./host.nix ]; };
  };
}
`;
const SHARED = '{\n  outputs = { self }: {\n    nixosModules = { };\n  };\n}\n';

function setup(files: SourceFile[]) {
  const sources = [{ path: 'flake.nix', bytes: FLAKE }, ...files];
  const report = analyze(sources, { root: 'mem' });
  const plan = planFor(report, 'shared');
  const personal = new Map(sources.map((s) => [s.path, String(s.bytes)]));
  const shared = new Map([['flake.nix', SHARED]]);
  return { report, plan, personal, shared };
}

describe('the changes of one step (pure)', () => {
  it('a module imported from a host moves with one edit per file', () => {
    const { report, plan, personal, shared } = setup([
      {
        path: 'host.nix',
        bytes:
          '{ pkgs, ... }: {\n  imports = [ ./a/base.nix ];\n  networking.hostName = "box";\n}\n',
      },
      { path: 'a/base.nix', bytes: '{ programs.zsh.enable = true; }\n' },
    ]);
    const n = plan.steps.find((s) => s.file === 'a/base.nix')!.n;
    const c = planChanges({ plan, report, step: n, personal, shared, sharedUrl: 'path:/s' });
    expect([...c.shared.keys()].sort()).toEqual(['flake.nix', 'nix/modules/nixos/base.nix']);
    expect(c.personal.get('host.nix')).toBe(
      '{ inputs, pkgs, ... }: {\n  imports = [ inputs.shared.nixosModules.base ];\n  networking.hostName = "box";\n}\n',
    );
    expect(c.personal.get('flake.nix')).toContain('inputs.shared.url = "path:/s";');
  });

  it('refuses a module that refers to a file the move would leave behind', () => {
    const { report, plan, personal, shared } = setup([
      {
        path: 'host.nix',
        bytes: '{ ... }: { imports = [ ./starship.nix ]; networking.hostName = "box"; }\n',
      },
      {
        path: 'starship.nix',
        bytes:
          '{ programs.starship.settings = builtins.fromTOML (builtins.readFile ./starship.toml); }\n',
      },
    ]);
    const n = plan.steps.find((s) => s.file === 'starship.nix')!.n;
    expect(() =>
      planChanges({ plan, report, step: n, personal, shared, sharedUrl: 'path:/s' }),
    ).toThrow(Refusal);
    expect(() =>
      planChanges({ plan, report, step: n, personal, shared, sharedUrl: 'path:/s' }),
    ).toThrow(/refers to \.\/starship\.toml/);
  });

  it('turns a plain attribute-set importer into a function of `inputs`', () => {
    const { report, plan, personal, shared } = setup([
      { path: 'host.nix', bytes: '{ imports = [ ./base.nix ]; networking.hostName = "box"; }\n' },
      { path: 'base.nix', bytes: '{ programs.zsh.enable = true; }\n' },
    ]);
    const n = plan.steps.find((s) => s.file === 'base.nix')!.n;
    const c = planChanges({ plan, report, step: n, personal, shared, sharedUrl: 'path:/s' });
    expect(c.personal.get('host.nix')).toBe(
      '{ inputs, ... }:\n{ imports = [ inputs.shared.nixosModules.base ]; networking.hostName = "box"; }\n',
    );
  });

  it('flake-parts: a path exported as `flake.nixosModules.x = ../x.nix;` becomes the shared export', async () => {
    const report = await analyzeFixture('flake-parts');
    const plan = planFor(report, 'shared');
    const step = plan.steps.find((s) => s.file === 'modules/common.nix')!;
    expect(step.rewrites.map((r) => `${r.file}:${r.line} ${r.before}`)).toEqual([
      'parts/modules.nix:2 ../modules/common.nix',
    ]);
    const personal = new Map(
      ['flake.nix', 'parts/modules.nix', 'modules/common.nix'].map((p) => [
        p,
        readFileSync(`${fixtureDir('flake-parts')}/${p}`, 'latin1'),
      ]),
    );
    const c = planChanges({
      plan,
      report,
      step: step.n,
      personal,
      shared: new Map([['flake.nix', SHARED]]),
      sharedUrl: 'path:/s',
    });
    expect(c.personal.get('parts/modules.nix')).toBe(
      personal
        .get('parts/modules.nix')!
        .replace('{\n', '{ inputs, ... }:\n{\n')
        .replace('= ../modules/common.nix;', '= inputs.shared.nixosModules.common;'),
    );
  });

  it('gives two modules with the same name distinct export names', () => {
    const { plan } = setup([
      {
        path: 'host.nix',
        bytes:
          '{ ... }: { imports = [ ./a/base.nix ./b/base.nix ]; networking.hostName = "box"; }\n',
      },
      { path: 'a/base.nix', bytes: '{ programs.zsh.enable = true; }\n' },
      { path: 'b/base.nix', bytes: '{ programs.fish.enable = true; }\n' },
    ]);
    expect(plan.steps.filter((s) => s.action === 'move').map((s) => s.name)).toEqual([
      'base',
      'b-base',
    ]);
  });
});
