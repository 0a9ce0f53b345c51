# Stand-ins for the flake inputs of crossflake's flake.nix and of the
# templates: `nixpkgs` is the real lib with the harness's `nixosSystem`, and
# stub `legacyPackages`; `home-manager`, `nix-darwin` and `nixos-wsl` are
# the REAL upstream trees in ../shared/upstream, entered the way their
# flakes do (home-manager's lib.homeManagerConfiguration, nix-darwin's
# eval-config.nix, NixOS-WSL's modules/default.nix) with the stub pkgs.
{
  lib,
  upstream,
  pkgsFor,
  nixosSystem,
  nixosHarnessOnly,
}:
let
  systems = [
    "x86_64-linux"
    "aarch64-linux"
    "x86_64-darwin"
    "aarch64-darwin"
  ];
  systemOf = platform: if builtins.isString platform then platform else platform.system;
  hmLib = import "${upstream}/home-manager/lib" { inherit lib; };
in
{
  nixpkgs = {
    lib = lib // {
      inherit nixosSystem;
    };
    legacyPackages = lib.genAttrs systems pkgsFor;
    outPath = "${upstream}/nixpkgs-subset";
  };

  home-manager = {
    lib.homeManagerConfiguration =
      args:
      hmLib.homeManagerConfiguration (
        args
        // {
          modules =
            map (m: {
              _file = "crossflake:homeManagerConfiguration";
              imports = [ m ];
            }) args.modules
            # Harness only: the manual pages import home-manager's docs/,
            # which ../shared/upstream does not hold.
            ++ [ { manual.manpages.enable = false; } ];
        }
      )
      // {
        harnessCaller = {
          inherit (args) modules;
          specialArgs = args.extraSpecialArgs or { };
          pkgs = args.pkgs;
        };
      };
    nixosModules.home-manager = "${upstream}/home-manager/nixos";
    darwinModules.home-manager = "${upstream}/home-manager/nix-darwin";
  };

  # flake.nix's darwinSystem, minus what needs the nixpkgs flake (release
  # check, nixpkgs.source): pkgs is forced to the stub set of the
  # configuration's own nixpkgs.hostPlatform.
  nix-darwin.lib.darwinSystem =
    {
      modules,
      specialArgs ? { },
      ...
    }:
    (import "${upstream}/nix-darwin/eval-config.nix" {
      inherit lib specialArgs;
      enableNixpkgsReleaseCheck = false;
      modules = map (m: { _file = "crossflake:darwinSystem"; imports = [ m ]; }) modules ++ [
        (
          { config, ... }:
          {
            _module.args.pkgs = lib.mkForce (pkgsFor (systemOf config.nixpkgs.hostPlatform));
            # Harness only: nix-darwin's manual imports doc/, which
            # ../shared/upstream does not hold.
            documentation.enable = false;
          }
        )
        nixosHarnessOnly
      ];
    })
    // {
      harnessCaller = { inherit modules specialArgs; };
    };

  nixos-wsl.nixosModules.default = "${upstream}/nixos-wsl/modules";
}
