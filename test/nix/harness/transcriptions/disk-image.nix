# After nixos/modules/virtualisation/disk-image.nix (NixOS/nixpkgs @
# e5d37a81, the version after nixpkgs PR #409571): lines 16-30 declare
# `image.format` (enum raw qcow2, default qcow2) and `image.efiSupport`
# (bool, default true); lines 33-36 turn GRUB on at mkOptionDefault for
# legacy (non-EFI) images; line 37 systemd-boot for EFI ones; lines 40-50
# the file systems at normal priority (the mkImageMediaOverride of an
# earlier revision was reverted); line 53 `image.extension` is "img" for
# raw and the format otherwise; line 54 `system.build.image` (make-disk-image,
# a harness fake here). Imports disk-size-option.nix and file-options.nix.
{ config, lib, pkgs, ... }:
let
  cfg = config.image;
in
{
  imports = [
    ./disk-size-option.nix
    ./file-options.nix
  ];
  options.image = {
    format = lib.mkOption {
      type = lib.types.enum [
        "raw"
        "qcow2"
      ];
      default = "qcow2";
      description = "Disk image format.";
    };
    efiSupport = lib.mkOption {
      type = lib.types.bool;
      default = true;
      description = "EFI or legacy boot.";
    };
  };
  config = {
    boot.loader.grub = lib.mkIf (!cfg.efiSupport) {
      enable = lib.mkOptionDefault true;
      devices = lib.mkDefault [ "/dev/vda" ];
    };
    boot.loader.systemd-boot.enable = lib.mkDefault cfg.efiSupport;
    fileSystems = {
      "/" = {
        device = "/dev/disk/by-label/nixos";
        autoResize = true;
        fsType = "ext4";
      };
      "/boot" = lib.mkIf cfg.efiSupport {
        device = "/dev/disk/by-label/ESP";
        fsType = "vfat";
      };
    };
    system.nixos.tags = [ cfg.format ] ++ lib.optionals cfg.efiSupport [ "efi" ];
    image.extension = if cfg.format == "raw" then "img" else cfg.format;
    system.build.image = pkgs.harnessFake cfg.baseName // {
      harnessBoot = if cfg.efiSupport then "efi" else "legacy";
    };
  };
}
