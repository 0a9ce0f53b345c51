# After nixos/modules/virtualisation/disk-size-option.nix (NixOS/nixpkgs):
# `virtualisation.diskSize` is `either (enum [ "auto" ]) ints.positive`
# (MiB), default "auto" for images.
{ lib, ... }:
{
  options.virtualisation.diskSize = lib.mkOption {
    type = lib.types.either (lib.types.enum [ "auto" ]) lib.types.ints.positive;
    default = "auto";
    description = "Disk size in MiB.";
  };
}
