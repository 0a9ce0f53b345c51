# After nixos/modules/image/file-options.nix (NixOS/nixpkgs @ 5e3666d1,
# lines 7-50): `image.baseName` (str, default nixos-image-<label>-<system>),
# `image.extension` (str, no default), `image.fileName` (default
# <baseName>.<extension>), `image.filePath` (default fileName).
{ config, lib, pkgs, ... }:
let
  inherit (lib) mkOption types;
in
{
  options.image = {
    baseName = mkOption {
      type = types.str;
      default = "nixos-image-${config.system.nixos.label}-${pkgs.stdenv.hostPlatform.system}";
      description = "Base name of the image file.";
    };
    extension = mkOption {
      type = types.str;
      description = "Extension of the image file.";
    };
    fileName = mkOption {
      type = types.str;
      default = "${config.image.baseName}.${config.image.extension}";
      description = "File name of the image.";
    };
    filePath = mkOption {
      type = types.str;
      default = config.image.fileName;
      description = "Path of the image inside the build output.";
    };
  };
}
