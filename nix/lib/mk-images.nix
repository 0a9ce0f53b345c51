# lib.mkImages: one NixOS configuration -> a matrix of formats and systems.
#
#   mkImages { name; configuration; formats; systems; version ? null; }
#   => { packages.<system>."<name>-<format>" = derivation;
#        images = [ plain-data description, see image-matrix.nix ]; }
#
# `configuration` is a list of NixOS modules, a single module, or a system
# made by nixpkgs.lib.nixosSystem (it is extended, not rebuilt). The
# description never touches nixpkgs, so `nix eval .#crossflake.images`
# stays cheap even though the packages need a full evaluation.
{ nixpkgs, nixosModules }:
{
  name,
  configuration,
  formats,
  systems,
  version ? null,
}@args:
let
  inherit (nixpkgs) lib;
  images = import ./image-matrix.nix args;
  known = import ./image-formats.nix;

  baseFor =
    system:
    let
      pin = {
        nixpkgs.hostPlatform = lib.mkForce system;
      };
    in
    if configuration ? extendModules then
      configuration.extendModules { modules = [ pin ]; }
    else
      lib.nixosSystem {
        modules = [ nixosModules.base ] ++ lib.toList configuration ++ [ pin ];
      };

  # Variant-only settings go into image.modules.<variant>, where nixpkgs'
  # image framework applies them to that variant alone. Forced, because the
  # description promises the extension (iso, img.zst) before evaluation.
  variantTweaks = {
    iso-installer.isoImage.compressImage = lib.mkForce false;
    sd-card.sdImage.compressImage = lib.mkForce true;
  };

  variantOf = format: system: known.${format}.variantOn.${system} or known.${format}.variant;

  # One image's settings, in its own variant only (a format may use another
  # variant on some systems: qcow2 on aarch64 shares qemu-efi with
  # qcow2-efi, so the base names must not meet in one configuration).
  imageModule =
    image:
    let
      variant = variantOf image.format image.system;
    in
    {
      image.modules.${variant} = {
        # The description predicts the file name from this base name.
        image.baseName = lib.mkForce "${name}-${image.format}";
      }
      // (variantTweaks.${variant} or { });
    };

  # Fail loudly if nixpkgs ever puts the file somewhere else than the
  # description says, rather than shipping a manifest that lies.
  checkFile =
    image: drv:
    let
      actual = drv.passthru.filePath or image.file;
    in
    if actual == image.file then
      drv
    else
      throw "crossflake.lib.mkImages: ${image.attr} writes ${actual} (nixpkgs' image.filePath), but the description says ${image.file} (nix/lib/image-formats.nix)";

  build =
    base: image:
    if image.format == "wsl" then
      wslImage base
    else if image.format == "docker" then
      dockerImage base
    else
      let
        withImages = base.extendModules { modules = [ (imageModule image) ]; };
      in
      checkFile image withImages.config.system.build.images.${variantOf image.format image.system};

  # NixOS-WSL's tarball builder. /etc/nixos in the image gets a
  # configuration.nix that refuses a non-flake rebuild (NixOS-WSL's stock
  # one would drop everything this configuration sets). passthru.config, as
  # nixpkgs' image framework gives its images.
  wslImage =
    base:
    let
      wsl = base.extendModules {
        modules = [
          nixosModules.wsl
          {
            crossflake.wsl.enable = true;
            wsl.tarball.configPath = lib.mkDefault ./wsl-etc-nixos;
          }
        ];
      };
    in
    lib.recursiveUpdate wsl.config.system.build.tarballBuilder { passthru = { inherit (wsl) config; }; };

  # nixpkgs has no Docker image variant of a NixOS system: ship the
  # configuration's toolset as a layered image instead.
  dockerImage =
    base:
    let
      inherit (base) pkgs config;
      cli = config.crossflake.cli or { };
      toolset = (cli.packages or [ ]) ++ (cli.extraPackages or [ ]);
    in
    pkgs.dockerTools.buildLayeredImage {
      inherit name;
      tag = if version == null then "latest" else version;
      # Explicit, so the file really is the .tar.gz the description says.
      compressor = "gz";
      contents = toolset ++ [
        pkgs.bashInteractive
        pkgs.cacert
        pkgs.coreutils
      ];
      config = {
        Cmd = [ "/bin/bash" ];
        Env = [ "SSL_CERT_FILE=/etc/ssl/certs/ca-bundle.crt" ];
      };
    };

  # Built with builtins only: `nix eval .#crossflake.images` looks for
  # `packages.<system>.crossflake` first, and the attribute names here must
  # be answerable without fetching nixpkgs.
  packagesFor =
    system:
    let
      base = baseFor system;
    in
    builtins.listToAttrs (
      map (image: {
        name = "${name}-${image.format}";
        value = build base image;
      }) (builtins.filter (image: image.system == system) images)
    );

  imageSystems = builtins.foldl' (
    acc: image: if builtins.elem image.system acc then acc else acc ++ [ image.system ]
  ) [ ] images;
in
{
  inherit images;
  packages = builtins.listToAttrs (
    map (system: {
      name = system;
      value = packagesFor system;
    }) imageSystems
  );
}
