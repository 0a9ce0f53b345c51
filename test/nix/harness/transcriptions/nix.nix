# After nixos/modules/config/nix.nix (NixOS/nixpkgs): `nix.enable` (bool,
# default true) and `nix.settings`, a submodule whose free-form part is
# nix.conf; `trusted-users`, `substituters` and
# `trusted-public-keys` are declared lists of strings.
{ lib, ... }:
let
  inherit (lib) mkOption types;
  confValue = types.oneOf [
    types.bool
    types.int
    types.str
    types.path
    (types.listOf (types.either types.str types.path))
  ];
in
{
  options.nix = {
    enable = mkOption {
      type = types.bool;
      default = true;
      description = "Whether NixOS manages Nix.";
    };
    settings = mkOption {
      type = types.submodule {
        freeformType = types.attrsOf confValue;
        options = lib.genAttrs [ "trusted-users" "substituters" "trusted-public-keys" ] (
          _:
          mkOption {
            type = types.listOf types.str;
            default = [ ];
            description = "nix.conf list.";
          }
        );
      };
      default = { };
      description = "nix.conf.";
    };
  };
}
