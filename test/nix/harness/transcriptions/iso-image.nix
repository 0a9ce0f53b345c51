# After nixos/modules/installer/cd-dvd/iso-image.nix (NixOS/nixpkgs @
# f519ce0a as stored; the "Create the ISO image" lines near its end):
# `isoImage.compressImage` (bool, default false) chooses `image.extension`
# "iso.zst" or "iso"; `image.filePath = "iso/<fileName>"`; `image.baseName`
# is set at normal priority (nixos[-<edition>]-<label>-<system>), so a caller
# must mkForce its own; `system.build.image` is the ISO. The module also
# turns the installed-system GRUB off (the ISO has its own loader).
{ config, lib, pkgs, ... }:
let
  inherit (lib) mkOption types;
  flag = description: mkOption {
    type = types.bool;
    default = false;
    inherit description;
  };
in
{
  imports = [ ./file-options.nix ];
  options.isoImage = {
    compressImage = flag "Compress the ISO with zstd.";
    makeEfiBootable = flag "EFI boot.";
    makeUsbBootable = flag "USB boot.";
    makeBiosBootable = flag "BIOS boot.";
    edition = mkOption {
      type = types.str;
      default = "";
      description = "Edition in the file name.";
    };
  };
  config = {
    boot.loader.grub.enable = false;
    # The file systems of a booted ISO (installation-cd-base.nix puts them in
    # at mkImageMediaOverride).
    lib.isoFileSystems = {
      "/" = {
        fsType = "tmpfs";
        options = [ "mode=0755" ];
      };
      "/iso" = {
        device = "/dev/root";
        fsType = "auto";
      };
    };
    image.extension = if config.isoImage.compressImage then "iso.zst" else "iso";
    image.filePath = "iso/${config.image.fileName}";
    image.baseName = "nixos${
      lib.optionalString (config.isoImage.edition != "") "-${config.isoImage.edition}"
    }-${config.system.nixos.label}-${pkgs.stdenv.hostPlatform.system}";
    system.build.image = pkgs.harnessFake "${config.image.baseName}.iso" // { harnessBoot = "iso"; };
  };
}
