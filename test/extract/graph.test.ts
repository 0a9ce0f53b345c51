import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/extract/analyze.js';
import { makePlan } from '../../src/extract/plan.js';
import { analyzeFixture } from './corpus.js';

function edgesOf(report: Awaited<ReturnType<typeof analyzeFixture>>): string[] {
  return report.edges.map((e) => `${e.from} -${e.kind}-> ${e.to} (${e.via})`);
}

describe('import graph and flake outputs', () => {
  it('plain repo: imports lists, nixosSystem/homeManagerConfiguration module lists, import and directories', async () => {
    const r = await analyzeFixture('plain');
    const edges = edgesOf(r);
    expect(edges).toContain('flake.nix -modules-> hosts/laptop/default.nix (nixosSystem modules)');
    expect(edges).toContain(
      'flake.nix -modules-> home/alice.nix (homeManagerConfiguration modules)',
    );
    expect(edges).toContain('flake.nix -import-> modules/ssh-keys.nix (import)');
    expect(edges).toContain('hosts/laptop/default.nix -imports-> modules/base.nix (imports)');
    expect(r.configurations.map((c) => [c.output, c.name, c.user ?? null, c.host ?? null])).toEqual(
      [
        ['nixosConfigurations', 'laptop', null, 'laptop'],
        ['nixosConfigurations', 'winbox', null, 'winbox'],
        ['homeConfigurations', 'alice@laptop', 'alice', 'laptop'],
      ],
    );
    expect(r.configurations[0]!.modules).toEqual(['hosts/laptop/default.nix']);
    expect(r.exports.map((e) => `${e.output}.${e.name} -> ${e.targets.join(',')}`)).toEqual([
      'nixosModules.base -> modules/base.nix',
      'nixosModules.ssh-keys -> modules/ssh-keys.nix',
    ]);
    expect(r.identifiers).toEqual({
      users: ['alice'],
      hosts: ['laptop', 'winbox'],
      emails: ['alice@example.org'],
      domains: [],
      names: ['Alice Example'],
      extra: [],
    });
  });

  it('flake-parts repo: mkFlake imports are reported as such, flake.* exports are read', async () => {
    const r = await analyzeFixture('flake-parts');
    expect(edgesOf(r)).toContain('flake.nix -imports-> parts/hosts.nix (flake-parts imports)');
    expect(edgesOf(r)).toContain(
      'parts/hosts.nix -modules-> hosts/macbook.nix (darwinSystem modules)',
    );
    expect(r.exports.find((e) => e.name === 'mac')).toMatchObject({
      output: 'darwinModules',
      targets: ['modules/darwin.nix'],
    });
    const darwin = r.configurations.find((c) => c.name === 'macbook')!;
    // `self.darwinModules.mac` resolves through the export to its file.
    expect(darwin.modules).toEqual(
      expect.arrayContaining([
        'hosts/macbook.nix',
        'modules/darwin.nix',
        'modules/launchd-agent.nix',
      ]),
    );
    expect(r.files.find((f) => f.path === 'modules/darwin.nix')?.moduleClass).toBe('darwin');
    expect(r.files.find((f) => f.path === 'modules/home-dev.nix')?.moduleClass).toBe('home');
  });

  it('dendritic repo: import-tree is an auto-import that skips paths with a "_" segment', async () => {
    const r = await analyzeFixture('dendritic');
    expect(r.autoImports).toEqual([{ file: 'flake.nix', dir: 'modules', via: 'import-tree' }]);
    const auto = r.edges.filter((e) => e.kind === 'auto-import').map((e) => e.to);
    expect(auto).toContain('modules/hosts/carbon/hardware.nix');
    expect(auto).not.toContain('modules/_drafts/tmux.nix');
    expect(r.exports.filter((e) => e.output === 'modules.nixos').map((e) => e.name)).toEqual(
      expect.arrayContaining(['nix', 'wsl', 'desktop', 'secrets', 'carbon', 'deploy-key']),
    );
    expect(r.configurations.map((c) => c.name)).toEqual(['carbon', 'carol@carbon']);
  });

  it('a file that does not parse is reported with its diagnostics and the rest is still analysed', () => {
    const r = analyze(
      [
        { path: 'flake.nix', bytes: '{ outputs = _: { nixosModules.a = ./a.nix; }; }' },
        { path: 'a.nix', bytes: '{ programs.git.enable = true; ' },
        { path: 'b.nix', bytes: '{ wsl.enable = true; }' },
      ],
      { root: 'mem' },
    );
    const a = r.files.find((f) => f.path === 'a.nix')!;
    expect(a.diagnostics.length).toBeGreaterThan(0);
    expect(a.diagnostics[0]!.line).toBe(1);
    expect(r.files.find((f) => f.path === 'b.nix')).toMatchObject({
      label: 'platform-adapter',
      platform: 'wsl',
    });
  });

  it('callPackage targets are packages, not modules', () => {
    const r = analyze(
      [
        {
          path: 'default.nix',
          bytes: '{ pkgs }: { tool = pkgs.callPackage ./pkgs/tool.nix { }; }',
        },
        { path: 'pkgs/tool.nix', bytes: '{ stdenv }: stdenv.mkDerivation { name = "tool"; }' },
      ],
      { root: 'mem' },
    );
    expect(r.edges[0]).toMatchObject({ kind: 'callPackage', to: 'pkgs/tool.nix' });
    expect(r.files.find((f) => f.path === 'pkgs/tool.nix')?.kind).toBe('other');
  });

  it('module lists built with ++, a let-bound list and lib.optional(s) (found in the held-out repo)', () => {
    const flake = `{
  outputs = { nixpkgs, ... }:
    let common = [ ./common/a.nix ./common/b.nix ];
    in {
      nixosConfigurations.h1 = nixpkgs.lib.nixosSystem { modules = common ++ [ ./hosts/h1.nix ]; };
      darwinConfigurations.h2 = nix-darwin.lib.darwinSystem { modules = common ++ [ ./hosts/h2.nix ]; };
    };
}`;
    const host = `{ lib, ... }: {
  imports = [ ./x.nix ] ++ lib.optional true ./y.nix ++ lib.optionals false [ ./z.nix ];
}`;
    const files = ['common/a.nix', 'common/b.nix', 'hosts/h2.nix', 'hosts/x.nix', 'hosts/y.nix'];
    const r = analyze(
      [
        { path: 'flake.nix', bytes: flake },
        { path: 'hosts/h1.nix', bytes: host },
        { path: 'hosts/z.nix', bytes: '{ }' },
        ...files.map((path) => ({ path, bytes: '{ boot.isContainer = false; }' })),
      ],
      { root: 'mem' },
    );
    const modules = Object.fromEntries(r.configurations.map((c) => [c.name, c.modules.sort()]));
    expect(modules).toEqual({
      h1: ['common/a.nix', 'common/b.nix', 'hosts/h1.nix'],
      h2: ['common/a.nix', 'common/b.nix', 'hosts/h2.nix'],
    });
    expect(
      r.edges.filter((e) => e.from === 'hosts/h1.nix').map((e) => `${e.kind} ${e.to}`),
    ).toEqual(['imports hosts/x.nix', 'imports hosts/y.nix', 'imports hosts/z.nix']);
    // The darwin configuration gives its host file the darwin class.
    expect(r.files.find((f) => f.path === 'hosts/h2.nix')?.moduleClass).toBe('darwin');
  });
});

describe('learned identifiers', () => {
  it('a service account under users.users is not a person (found in the held-out repo)', () => {
    const r = analyze(
      [
        {
          path: 'media.nix',
          bytes: `{ services.jellyfin.enable = true;
  users.users.jellyfin.extraGroups = [ "media" ];
  users.users.backup = { isSystemUser = true; group = "backup"; };
  users.users.kofi.extraGroups = [ "media" ]; }`,
        },
      ],
      { root: 'mem' },
    );
    expect(r.identifiers.users).toEqual(['kofi']);
  });
});

describe('classification after the beginner and snowfall held-out repos', () => {
  const mod = (path: string, bytes: string) => ({ path, bytes });

  it("one value repeated is one parameter; two of the person's machines make a module personal", () => {
    const r = analyze(
      [
        mod(
          'flake.nix',
          '{ outputs = { nixpkgs, ... }: { nixosConfigurations.fjord = nixpkgs.lib.nixosSystem { modules = [ ./fjord.nix ./shell.nix ./ssh.nix ]; }; nixosConfigurations.skerry = nixpkgs.lib.nixosSystem { modules = [ ./skerry.nix ]; }; }; }',
        ),
        mod('fjord.nix', '{ networking.hostName = "fjord"; }'),
        mod('skerry.nix', '{ networking.hostName = "skerry"; }'),
        mod(
          'shell.nix',
          '{ programs.bash.shellAliases = { a = "cd /home/ingrid/cfg"; b = "cd /home/ingrid/cfg"; c = "cd /home/ingrid/cfg"; d = "cd /home/ingrid/cfg"; }; programs.bash.enable = true; programs.bash.x = 1; programs.bash.y = 2; programs.bash.z = 3; programs.bash.w = 4; programs.bash.v = 5; }',
        ),
        mod(
          'ssh.nix',
          '{ programs.ssh.matchBlocks = { fjord.hostname = "fjord.lan"; skerry.hostname = "skerry.lan"; }; programs.ssh.enable = true; programs.ssh.a = 1; programs.ssh.b = 2; programs.ssh.c = 3; programs.ssh.d = 4; programs.ssh.e = 5; programs.ssh.f = 6; }',
        ),
      ],
      { root: 'mem', identifiers: ['ingrid'] },
    );
    const label = (p: string) => r.files.find((f) => f.path === p)?.label;
    expect(label('shell.nix')).toBe('shareable-base');
    expect(label('ssh.nix')).toBe('personal');
  });

  it('a file that sets home.username to the person is theirs; a mail login is no full name', () => {
    const r = analyze(
      [
        mod(
          'home.nix',
          '{ home.username = "ingrid"; home.stateVersion = "26.05"; programs.a.enable = true; programs.b.enable = true; programs.c.enable = true; programs.d.enable = true; }',
        ),
        mod('users.nix', '{ users.users.ingrid.isNormalUser = true; }'),
        mod('mail.nix', '{ accounts.email.accounts.main.userName = "ingrid@example.org"; }'),
      ],
      { root: 'mem' },
    );
    expect(r.files.find((f) => f.path === 'home.nix')?.label).toBe('personal');
    expect(r.identifiers.names).toEqual([]);
  });

  it('snowfall-lib: systems, homes and modules are read from the directories', () => {
    const r = analyze(
      [
        mod(
          'flake.nix',
          '{ outputs = inputs: inputs.snowfall-lib.mkFlake { inherit inputs; src = ./.; snowfall.namespace = "acme"; }; }',
        ),
        mod('systems/x86_64-linux/kestrel/default.nix', '{ networking.hostName = "kestrel"; }'),
        mod('systems/aarch64-darwin/osprey/default.nix', '{ system.stateVersion = 6; }'),
        mod(
          'homes/x86_64-linux/tomas@kestrel/default.nix',
          '{ home.homeDirectory = "/home/tomas"; programs.a.enable = true; programs.b.enable = true; programs.c.enable = true; }',
        ),
        mod(
          'modules/nixos/services/tailscale/default.nix',
          '{ lib, config, namespace, ... }: { options.${namespace}.ts.enable = lib.mkEnableOption "ts"; }',
        ),
        mod('packages/rebuild/default.nix', '{ writeShellScriptBin }: writeShellScriptBin "r" "x"'),
      ],
      { root: 'mem' },
    );
    expect(r.autoImports).toEqual([{ file: 'flake.nix', dir: '', via: 'snowfall-lib' }]);
    expect(
      r.configurations.map((c) => `${c.output} ${c.name} ${c.user ?? '-'} ${c.host ?? '-'}`),
    ).toEqual([
      'homeConfigurations tomas@kestrel tomas kestrel',
      'darwinConfigurations osprey - osprey',
      'nixosConfigurations kestrel - kestrel',
    ]);
    expect(r.exports.map((e) => `${e.output}.${e.name}`)).toEqual([
      'nixosModules.services/tailscale',
    ]);
    const file = (p: string) => r.files.find((f) => f.path === p)!;
    expect(file('packages/rebuild/default.nix').kind).toBe('other');
    expect(file('systems/aarch64-darwin/osprey/default.nix').moduleClass).toBe('darwin');
    expect(file('homes/x86_64-linux/tomas@kestrel/default.nix').label).toBe('personal');
    expect(file('modules/nixos/services/tailscale/default.nix').arguments).toEqual([
      'lib',
      'config',
      'namespace',
    ]);
    const plan = makePlan(r, 'shared');
    expect(plan.steps.find((s) => s.file.includes('tailscale'))?.reason).toContain('namespace');
  });

  it('flake-parts mkFlake is not snowfall', () => {
    const r = analyze(
      [
        mod(
          'flake.nix',
          '{ outputs = inputs: inputs.flake-parts.lib.mkFlake { inherit inputs; } { imports = [ ]; }; }',
        ),
      ],
      { root: 'mem' },
    );
    expect(r.autoImports).toEqual([]);
  });
});

describe('after the servers and desktop held-out repos', () => {
  const mod = (path: string, bytes: string) => ({ path, bytes });

  it("a flake's own list named sharedModules is not home-manager's; the ACME contact gives a domain", () => {
    const r = analyze(
      [
        mod(
          'flake.nix',
          '{ outputs = { nixpkgs, ... }: let sharedModules = [ ./audio.nix ]; in { nixosConfigurations.h = nixpkgs.lib.nixosSystem { modules = sharedModules ++ [ ./h.nix ]; }; }; }',
        ),
        mod('audio.nix', '{ services.pipewire.enable = true; }'),
        mod('h.nix', '{ security.acme.defaults.email = "me@lucia-rivas.example"; }'),
      ],
      { root: 'mem' },
    );
    expect(r.files.find((f) => f.path === 'audio.nix')?.moduleClass).toBe('nixos');
    expect(r.identifiers.domains).toEqual(['lucia-rivas.example']);
  });

  it('a module taking an argument only the personal flake passes stays in the plan', () => {
    const r = analyze(
      [
        mod(
          'flake.nix',
          '{ outputs = { nixpkgs, ... }: { nixosConfigurations.h = nixpkgs.lib.nixosSystem { specialArgs.mylib = { }; modules = [ ./binds.nix ./plain.nix ]; }; }; }',
        ),
        mod('binds.nix', '{ config, lib, mylib, ... }: { services.x.enable = true; }'),
        mod('plain.nix', '{ config, lib, pkgs, inputs, ... }: { services.y.enable = true; }'),
      ],
      { root: 'mem' },
    );
    const plan = makePlan(r, 'shared');
    expect(plan.steps.find((s) => s.file === 'binds.nix')?.reason).toBe(
      'takes `mylib`, which the personal flake passes (specialArgs) and the shared flake does not',
    );
    expect(plan.steps.find((s) => s.file === 'plain.nix')?.action).toBe('move');
  });
});

describe('after the wsl and macos held-out repos', () => {
  const mod = (path: string, bytes: string) => ({ path, bytes });
  const users = mod('flake.nix', '{ outputs = _: { homeConfigurations."priya@kite" = { }; }; }');

  it("a module that defines the person's account is theirs; adding a group to it is not", () => {
    const r = analyze(
      [
        users,
        mod(
          'admin.nix',
          '{ users.users.priya = { isNormalUser = true; extraGroups = [ "wheel" ]; }; users.mutableUsers = false; a.b = 1; c.d = 2; e.f = 3; }',
        ),
        mod(
          'docker.nix',
          '{ virtualisation.docker.enable = true; users.users.priya.extraGroups = [ "docker" ]; a.b = 1; c.d = 2; e.f = 3; }',
        ),
      ],
      { root: 'mem' },
    );
    const label = (p: string) => r.files.find((f) => f.path === p)?.label;
    expect(label('admin.nix')).toBe('personal');
    expect(label('docker.nix')).toBe('shareable-base');
  });

  it('the share of personal values counts settings, not repeats of one value', () => {
    const r = analyze(
      [
        users,
        mod(
          'interop.nix',
          '{ wsl.interop.includePath = false; environment.variables.WIN = "/mnt/c/Users/priya/a /mnt/c/Users/priya/b /mnt/c/Users/priya/c"; a.b = 1; c.d = 2; e.f = 3; g.h = 4; }',
        ),
      ],
      { root: 'mem' },
    );
    const f = r.files.find((x) => x.path === 'interop.nix')!;
    expect([f.label, f.platform, f.needsParameters]).toEqual(['platform-adapter', 'wsl', true]);
  });
});
