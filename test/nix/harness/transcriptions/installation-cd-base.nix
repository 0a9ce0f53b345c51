# After nixos/modules/installer/cd-dvd/installation-cd-base.nix
# (NixOS/nixpkgs; the 2025 file as stored in the index's copy of the
# faukah/nixpkgs fork @ 3b20077c, the upstream copy stored is older):
# imports iso-image.nix and profiles/installation-device.nix, makes the ISO
# EFI and USB bootable, puts the ISO's file systems in at
# mkImageMediaOverride (they beat a host's own), and sets
# `system.stateVersion = mkDefault lib.trivial.release`.
{ config, lib, ... }:
{
  imports = [
    ./iso-image.nix
    ./installation-device.nix
  ];
  isoImage.makeEfiBootable = true;
  isoImage.makeUsbBootable = true;
  boot.loader.grub.memtest86.enable = true;
  fileSystems = lib.mkImageMediaOverride config.lib.isoFileSystems;
  system.stateVersion = lib.mkDefault lib.trivial.release;
}
