# After nixos/modules/tasks/filesystems.nix (NixOS/nixpkgs): `fileSystems`
# is `attrsOf (submodule ...)`; `device` is `nullOr nonEmptyStr` and
# `fsType` a str, so two different values at one priority conflict;
# `options` a list, `autoResize` a bool. And the assertion of
# nixos/modules/system/boot/stage-1.nix (while `boot.initrd.enable`): a
# root file system must be declared.
{ config, lib, ... }:
let
  inherit (lib) mkOption types;
in
{
  options.fileSystems = mkOption {
    type = types.attrsOf (
      types.submodule (
        { name, ... }:
        {
          options = {
            mountPoint = mkOption {
              type = types.str;
              default = name;
              description = "Mount point.";
            };
            device = mkOption {
              type = types.nullOr types.nonEmptyStr;
              default = null;
              description = "Device.";
            };
            label = mkOption {
              type = types.nullOr types.str;
              default = null;
              description = "Label.";
            };
            fsType = mkOption {
              type = types.nonEmptyStr;
              default = "auto";
              description = "File system type.";
            };
            options = mkOption {
              type = types.nonEmptyListOf types.nonEmptyStr;
              default = [ "defaults" ];
              description = "Mount options.";
            };
            autoResize = mkOption {
              type = types.bool;
              default = false;
              description = "Grow the file system.";
            };
            neededForBoot = mkOption {
              type = types.bool;
              default = false;
              description = "Mounted in the initrd.";
            };
          };
        }
      )
    );
    default = { };
    description = "File systems.";
  };
  options.boot.initrd.enable = mkOption {
    type = types.bool;
    default = true;
    description = "Whether the system boots through an initrd.";
  };
  config.assertions = [
    {
      assertion = !config.boot.initrd.enable || config.fileSystems ? "/";
      message = "The ‘fileSystems’ option does not specify your root file system.";
    }
  ];
}
