import { describe, expect, it } from 'vitest';
import { analyze, type SourceFile } from '../../src/extract/analyze.js';
import { planChanges, Refusal } from '../../src/extract/apply.js';
import { planFor } from '../../src/extract/command.js';

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

  it('refuses an edit that would leave `inputs` undefined (a module without a function pattern)', () => {
    const { report, plan, personal, shared } = setup([
      { path: 'host.nix', bytes: '{ imports = [ ./base.nix ]; networking.hostName = "box"; }\n' },
      { path: 'base.nix', bytes: '{ programs.zsh.enable = true; }\n' },
    ]);
    const n = plan.steps.find((s) => s.file === 'base.nix')!.n;
    expect(() =>
      planChanges({ plan, report, step: n, personal, shared, sharedUrl: 'path:/s' }),
    ).toThrow(/would not parse cleanly: undefined variable 'inputs'/);
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
