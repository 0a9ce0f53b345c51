# After nixos/modules/system/activation/top-level.nix (NixOS/nixpkgs):
# `system.build` is a submodule with a lazy free-form part (any
# `system.build.<name>` may be defined), `system.build.toplevel` is the
# system derivation (a harness fake here, named like upstream's
# nixos-system-<hostName>-<label>).
harness:
{ config, lib, pkgs, ... }:
{
  options.system.build = lib.mkOption {
    type = lib.types.submoduleWith {
      modules = [ { freeformType = lib.types.lazyAttrsOf (lib.types.uniq lib.types.unspecified); } ];
    };
    default = { };
    description = "Derivations the system is built from.";
  };
  config.system.build.toplevel = pkgs.harnessFake "nixos-system-${config.networking.hostName}-${config.system.nixos.label}";
}
