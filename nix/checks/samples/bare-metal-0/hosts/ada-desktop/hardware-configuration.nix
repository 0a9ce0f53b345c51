# PLACEHOLDER: replace this whole file with the one NixOS generates for this
# machine:
#
#   sudo nixos-generate-config --show-hardware-config > hardware-configuration.nix
#
# Until then it describes a generic UEFI machine with its root file system on
# the partition labelled "nixos", so the configuration evaluates; do not
# switch to it on real hardware before replacing it.
{ lib, ... }:
{
  boot.loader.systemd-boot.enable = lib.mkDefault true;
  boot.loader.efi.canTouchEfiVariables = lib.mkDefault true;

  fileSystems."/" = lib.mkDefault {
    device = "/dev/disk/by-label/nixos";
    fsType = "ext4";
  };
  fileSystems."/boot" = lib.mkDefault {
    device = "/dev/disk/by-label/boot";
    fsType = "vfat";
  };
}
