# After nixos/modules/image/images.nix (NixOS/nixpkgs @ 0fdcf49e, lines
# 11-49 the variant -> module table, 50-56 one extendModules per
# `image.modules` entry, 58-75 the two options, 77-96 the definitions):
# `image.modules` is `attrsOf deferredModule` with the built-in variants as
# its definition; `system.build.images.<variant>` is that variant's
# `system.build.image` with `passthru.filePath` = its `image.filePath`.
# Only the variants crossflake's image-formats.nix names are listed; their
# modules are the transcriptions next to this file.
{
  config,
  lib,
  pkgs,
  extendModules,
  ...
}:
let
  diskImage = ./disk-image.nix;
  variants = {
    qemu-efi = diskImage;
    qemu = {
      imports = [ diskImage ];
      image.efiSupport = false;
    };
    raw-efi = {
      imports = [ diskImage ];
      image.format = "raw";
    };
    virtualbox = ./virtualbox-image.nix;
    vmware = ./vmware-image.nix;
    iso-installer = ./installation-cd-base.nix;
    # Upstream imports installer/sd-card/sd-image-<arch>.nix and throws when
    # the file does not exist (only ARM boards have one).
    # the throw is read from the configuration's own pkgs, as upstream does.
    sd-card = {
      imports =
        if pkgs.stdenv.hostPlatform.isAarch64 then
          [ ./sd-image.nix ]
        else
          throw "The module sd-image-${pkgs.stdenv.hostPlatform.linuxArch}.nix does not exist.";
    };
  };
  imageConfigs = lib.mapAttrs (_: module: extendModules { modules = [ module ]; }) config.image.modules;
in
{
  options = {
    system.build.images = lib.mkOption {
      type = lib.types.lazyAttrsOf lib.types.raw;
      readOnly = true;
      description = "Images of this configuration.";
    };
    image.modules = lib.mkOption {
      type = lib.types.attrsOf lib.types.deferredModule;
      description = "Per-variant modules.";
    };
  };
  config.image.modules = lib.mkIf (!config.system.build ? image) variants;
  config.system.build.images = lib.mkIf (!config.system.build ? image) (
    lib.mapAttrs (
      name: nixos:
      let
        builder =
          nixos.config.system.build.image
            or (throw "Module for `system.build.images.${name}` misses required `system.build.image` option.");
      in
      lib.recursiveUpdate builder {
        passthru = {
          inherit (nixos) config;
          # Not upstream: the harness checks the variant's options too.
          harnessOptions = nixos.options;
          harnessModuleArgs = nixos._module.args;
          inherit (nixos.config.image) filePath;
        };
      }
    ) imageConfigs
  );
}
