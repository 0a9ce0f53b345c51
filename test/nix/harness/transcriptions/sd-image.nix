# After nixos/modules/installer/sd-card/sd-image.nix (NixOS/nixpkgs @
# 00850412 as stored): `sdImage.compressImage` (bool, default true) chooses
# `image.extension` "img.zst" or "img"; `image.filePath =
# "sd-image/<fileName>"`; the firmware and root file systems at normal
# priority. And installer/sd-card/sd-image-aarch64.nix: GRUB off,
# extlinux on (boot.loader.generic-extlinux-compatible, stubbed here).
{ config, lib, pkgs, ... }:
{
  imports = [ ./file-options.nix ];
  options.sdImage.compressImage = lib.mkOption {
    type = lib.types.bool;
    default = true;
    description = "Compress the SD image with zstd.";
  };
  config = {
    boot.loader.grub.enable = false;
    boot.loader.generic-extlinux-compatible.enable = true;
    fileSystems = {
      "/boot/firmware" = {
        device = "/dev/disk/by-label/FIRMWARE";
        fsType = "vfat";
        options = [
          "nofail"
          "noauto"
        ];
      };
      "/" = {
        device = "/dev/disk/by-label/NIXOS_SD";
        fsType = "ext4";
      };
    };
    image.extension = if config.sdImage.compressImage then "img.zst" else "img";
    image.filePath = "sd-image/${config.image.fileName}";
    system.build.image = pkgs.harnessFake config.image.fileName // { harnessBoot = "extlinux"; };
  };
}
