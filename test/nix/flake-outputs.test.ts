// The shape of the flake's outputs, read offline with the committed lock:
// names only, so nothing needs nixpkgs. `nix flake check` (which does need
// nixpkgs) runs in CI and on users' machines; this catches a renamed or
// missing export here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { needsNix, nixVersion } from '../helpers/nix.js';
import { runNix, scratchFlake } from './helpers.js';

interface Outputs {
  nixosModules: Record<string, boolean>;
  darwinModules: Record<string, boolean>;
  homeModules: Record<string, boolean>;
  homeManagerModules: Record<string, boolean>;
  nixosConfigurations: string[];
  devShells: Record<string, string[]>;
  packages: Record<string, string[]>;
  apps: Record<string, string[]>;
  formatter: string[];
  checks: Record<string, string[]>;
  templates: unknown;
}

const allSystems = ['aarch64-darwin', 'aarch64-linux', 'x86_64-darwin', 'x86_64-linux'];

describe.skipIf(!nixVersion)(`the flake's outputs, offline${needsNix}`, () => {
  let flake: ReturnType<typeof scratchFlake>;
  let out: Outputs;

  beforeAll(() => {
    flake = scratchFlake();
    // A module must be a function or an attrset (Nix 2.8's flake check
    // rejects a bare path), so report that per module.
    const isModule = 'builtins.mapAttrs (n: m: builtins.isAttrs m || builtins.isFunction m)';
    const names = 'builtins.attrNames';
    const expr = `let f = builtins.getFlake "path:${flake.dir}"; in {
      nixosModules = ${isModule} f.nixosModules;
      darwinModules = ${isModule} f.darwinModules;
      homeModules = ${isModule} f.homeModules;
      homeManagerModules = ${isModule} f.homeManagerModules;
      nixosConfigurations = ${names} f.nixosConfigurations;
      devShells = builtins.mapAttrs (s: v: ${names} v) f.devShells;
      packages = builtins.mapAttrs (s: v: ${names} v) f.packages;
      apps = builtins.mapAttrs (s: v: ${names} v) f.apps;
      formatter = ${names} f.formatter;
      checks = builtins.mapAttrs (s: v: ${names} v) f.checks;
      templates = if builtins.pathExists "${flake.dir}/nix/templates.nix" then "present" else f.templates;
    }`;
    const r = runNix('nix', [
      'eval',
      '--impure',
      '--offline',
      '--json',
      '--option',
      'download-attempts',
      '1',
      '--expr',
      expr,
    ]);
    if (r.code !== 0) throw new Error(r.stderr);
    out = JSON.parse(r.stdout) as Outputs;
  });
  afterAll(() => flake.cleanup());

  it('exports the NixOS modules and the strategy alias, each a real module value', () => {
    expect(out.nixosModules).toEqual({
      base: true,
      default: true,
      gui: true,
      vm: true,
      wsl: true,
      'wsl-base': true,
    });
  });

  it('exports darwin and home-manager modules, with the strategy names as aliases', () => {
    expect(out.darwinModules).toEqual({ base: true, default: true });
    expect(out.homeModules).toEqual({
      base: true,
      darwin: true,
      default: true,
      linux: true,
      wsl: true,
    });
    expect(out.homeManagerModules).toEqual({
      base: true,
      'darwin-home-base': true,
      'wsl-home-base': true,
    });
  });

  it('has the four generic VMs', () => {
    expect(out.nixosConfigurations).toEqual([
      'generic-vm-gui-aarch64',
      'generic-vm-gui-x86_64',
      'generic-vm-headless-aarch64',
      'generic-vm-headless-x86_64',
    ]);
  });

  it('has every dev shell on all four systems', () => {
    expect(Object.keys(out.devShells).sort()).toEqual(allSystems);
    for (const shells of Object.values(out.devShells)) {
      expect(shells).toEqual(['cli', 'default', 'go', 'node', 'python', 'rust']);
    }
  });

  it("packages are crossflake's CLI on all four systems and the image matrix on Linux", () => {
    const cli = ['crossflake', 'default'];
    const images = [
      'crossflake-nixos-docker',
      'crossflake-nixos-iso',
      'crossflake-nixos-qcow2',
      'crossflake-nixos-wsl',
    ];
    const linux = [...cli, ...images].sort();
    expect(out.packages).toEqual({
      'aarch64-darwin': cli,
      'aarch64-linux': linux,
      'x86_64-darwin': cli,
      'x86_64-linux': linux,
    });
  });

  it('apps run crossflake on all four systems', () => {
    expect(out.apps).toEqual(
      Object.fromEntries(allSystems.map((s) => [s, ['crossflake', 'default']])),
    );
  });

  it('formatter and checks cover all four systems', () => {
    expect(out.formatter).toEqual(allSystems);
    expect(Object.keys(out.checks).sort()).toEqual(allSystems);
  });

  it('checks evaluate every module: NixOS ones on Linux, darwin ones on macOS', () => {
    // Images, VMs and templates are in checks too: test/nix/checks.test.ts.
    const linux = [
      'home-base',
      'home-linux',
      'home-wsl',
      'nixos-base',
      'nixos-gui',
      'nixos-vm',
      'nixos-wsl',
    ];
    const darwin = ['darwin-base', 'home-base', 'home-darwin'];
    const modules = (names: string[]) => names.filter((n) => !/^(image|vm|template)-/.test(n));
    expect(Object.fromEntries(Object.entries(out.checks).map(([s, n]) => [s, modules(n)]))).toEqual(
      {
        'aarch64-darwin': darwin,
        'aarch64-linux': linux,
        'x86_64-darwin': darwin,
        'x86_64-linux': linux,
      },
    );
  });

  it('templates are empty until nix/templates.nix exists', () => {
    expect(out.templates === 'present' || JSON.stringify(out.templates) === '{}').toBe(true);
  });
});
