# lib.mkGenericVm: the generic NixOS VMs (headless or GUI, x86_64 or
# aarch64) from one function. Run one with
#   nix run .#nixosConfigurations.<name>.config.system.build.vm
{ nixpkgs, nixosModules }:
{
  arch,
  gui ? false,
  # System that runs the VM when it is not the guest's own, e.g.
  # "aarch64-darwin" for an aarch64 guest on an Apple Silicon Mac.
  hostSystem ? null,
  modules ? [ ],
}:
let
  arches = [
    "x86_64"
    "aarch64"
  ];
  kind = if gui then "gui" else "headless";
in
if !(builtins.elem arch arches) then
  throw "crossflake.lib.mkGenericVm: unknown arch \"${arch}\"; valid: ${builtins.concatStringsSep ", " arches}"
else
  nixpkgs.lib.nixosSystem {
    modules = [
      nixosModules.base
      nixosModules.vm
    ]
    ++ nixpkgs.lib.optional gui nixosModules.gui
    ++ [
      (
        { lib, ... }:
        {
          nixpkgs.hostPlatform = "${arch}-linux";
          # Through crossflake.host.name (the base module makes it the
          # default networking.hostName), so a caller may set either one.
          # The attribute names keep x86_64; a host name may not have `_`
          # (nixpkgs' networking.hostName says so; systemd rejects it).
          crossflake.host.name = lib.mkDefault "generic-vm-${kind}-${
            builtins.replaceStrings [ "_" ] [ "-" ] arch
          }";
          crossflake.vm.hostSystem = lib.mkDefault hostSystem;
          system.stateVersion = lib.mkDefault "26.05";
          # The VM runner brings its own disk and boot; these only let the
          # configuration itself evaluate (nix flake check builds toplevel).
          fileSystems."/" = lib.mkDefault {
            device = "/dev/disk/by-label/nixos";
            fsType = "ext4";
          };
          boot.loader.grub.device = lib.mkDefault "nodev";
        }
      )
    ]
    ++ modules;
  }
