# After nixos/modules/virtualisation/virtualbox-image.nix (NixOS/nixpkgs,
# the `config` block as stored in the search index): legacy partition table
# with GRUB on /dev/sda (so GRUB's own default `enable = true` is what boots
# it), the root file system at normal priority, `image.extension = "ova"`,
# `system.build.image` = the OVA (a harness fake).
{ config, lib, pkgs, ... }:
{
  imports = [
    ./disk-size-option.nix
    ./file-options.nix
  ];
  config = {
    boot.loader.grub.device = "/dev/sda";
    fileSystems."/" = {
      autoResize = true;
      device = "/dev/disk/by-label/nixos";
      fsType = "ext4";
    };
    image.extension = "ova";
    system.build.image = lib.mkDefault (
      pkgs.harnessFake config.image.baseName // { harnessBoot = "legacy"; }
    );
  };
}
