# After nixos/modules/services/x11/xserver.nix (NixOS/nixpkgs): only
# `services.xserver.enable` (bool, default false), which vm.nix reads.
{ lib, ... }:
{
  options.services.xserver.enable = lib.mkOption {
    type = lib.types.bool;
    default = false;
    description = "Whether to run the X server.";
  };
}
