# After nixos/modules/misc/nixpkgs.nix (NixOS/nixpkgs): `nixpkgs.hostPlatform`
# (either a system string or an attribute set, elaborated) and `overlays`,
# and the module argument `pkgs` built for the host platform. Here `pkgs` is
# the harness's stub set for that system.
harness:
{ config, lib, ... }:
let
  platform = config.nixpkgs.hostPlatform;
  system = if builtins.isString platform then platform else platform.system;
in
{
  options.nixpkgs = {
    hostPlatform = lib.mkOption {
      type = lib.types.either lib.types.str lib.types.attrs;
      description = "The platform the system runs on.";
    };
    buildPlatform = lib.mkOption {
      type = lib.types.either lib.types.str lib.types.attrs;
      default = config.nixpkgs.hostPlatform;
      description = "The platform the system is built on.";
    };
    overlays = lib.mkOption {
      type = lib.types.listOf lib.types.raw;
      default = [ ];
      description = "Overlays.";
    };
    config = lib.mkOption {
      type = lib.types.attrsOf lib.types.raw;
      default = { };
      description = "nixpkgs configuration.";
    };
  };
  config._module.args.pkgs = harness.pkgsFor system;
}
