# After nixos/modules/virtualisation/build-vm.nix (NixOS/nixpkgs):
# `virtualisation.vmVariant` has the type of this configuration extended
# with qemu-vm.nix (so it checks everything a NixOS configuration checks),
# and `system.build.vm` defaults to the variant's runner.
{ config, lib, extendModules, ... }:
let
  variant = extendModules { modules = [ ./qemu-vm.nix ]; };
in
{
  options.virtualisation.vmVariant = lib.mkOption {
    type = variant.type;
    default = { };
    description = "The configuration as a QEMU VM (nixos-rebuild build-vm).";
  };
  config.system.build.vm = lib.mkDefault config.virtualisation.vmVariant.system.build.vm;
}
