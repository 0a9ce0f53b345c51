# After nixos/modules/system/boot/loader/grub/grub.nix (NixOS/nixpkgs):
# `boot.loader.grub.enable` (bool, default true), `device` (str, "" by
# default), `devices` (listOf str), `efiSupport`, `efiInstallAsRemovable`,
# `memtest86.enable`, and its assertion that an enabled GRUB has somewhere
# to install to; `boot.loader.systemd-boot.enable` (bool, default false,
# loader/systemd-boot/systemd-boot.nix, which sets grub.enable = mkDefault
# false when on) and
# `boot.loader.efi.canTouchEfiVariables` (loader/efi.nix).
{ config, lib, ... }:
let
  inherit (lib) mkOption types;
  cfg = config.boot.loader.grub;
in
{
  options.boot.loader = {
    grub = {
      enable = mkOption {
        type = types.bool;
        default = true;
        description = "Use GRUB as the boot loader.";
      };
      device = mkOption {
        type = types.str;
        default = "";
        description = "Device GRUB is installed on (nodev: none).";
      };
      devices = mkOption {
        type = types.listOf types.str;
        default = [ ];
        description = "Devices GRUB is installed on.";
      };
      efiSupport = mkOption {
        type = types.bool;
        default = false;
        description = "EFI GRUB.";
      };
      efiInstallAsRemovable = mkOption {
        type = types.bool;
        default = false;
        description = "Install to the removable-media path.";
      };
      memtest86.enable = mkOption {
        type = types.bool;
        default = false;
        description = "Memtest86+ entry.";
      };
    };
    systemd-boot.enable = mkOption {
      type = types.bool;
      default = false;
      description = "Use systemd-boot.";
    };
    efi.canTouchEfiVariables = mkOption {
      type = types.bool;
      default = false;
      description = "Write EFI variables.";
    };
  };
  # systemd-boot.nix: an enabled systemd-boot turns GRUB off at mkDefault.
  config.boot.loader.grub.enable = lib.mkIf config.boot.loader.systemd-boot.enable (lib.mkDefault false);
  config.assertions = [
    {
      assertion = !cfg.enable || cfg.device != "" || cfg.devices != [ ];
      message = "You must set the option ‘boot.loader.grub.devices’ or 'boot.loader.grub.mirroredBoots' to make the system bootable.";
    }
  ];
}
