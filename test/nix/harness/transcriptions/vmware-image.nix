# After nixos/modules/virtualisation/vmware-image.nix (NixOS/nixpkgs @
# 00f7b4bd, `config` block: root and /boot file systems at normal priority,
# GRUB with `device = "nodev"`, `efiSupport`, `efiInstallAsRemovable`), with
# the image-framework lines of the current file (`image.extension = "vmdk"`,
# `system.build.image`), which docs/UPSTREAM-OPTIONS.md records as read.
{ config, lib, pkgs, ... }:
{
  imports = [ ./file-options.nix ];
  config = {
    fileSystems."/" = {
      device = "/dev/disk/by-label/nixos";
      autoResize = true;
      fsType = "ext4";
    };
    fileSystems."/boot" = {
      device = "/dev/disk/by-label/ESP";
      fsType = "vfat";
    };
    boot.loader.grub = {
      device = "nodev";
      efiSupport = true;
      efiInstallAsRemovable = true;
    };
    image.extension = "vmdk";
    system.build.image = pkgs.harnessFake config.image.baseName // { harnessBoot = "grub-efi"; };
  };
}
