# After nixos/modules/misc/version.nix (NixOS/nixpkgs): `system.stateVersion`
# is a plain string (`types.str`: two different values at one priority
# conflict), `system.nixos.{release,label,tags,variant_id,distroId}`.
{ config, lib, ... }:
{
  options.system = {
    stateVersion = lib.mkOption {
      type = lib.types.str;
      default = config.system.nixos.release;
      description = "The release the system's state was first created with.";
    };
    nixos = {
      release = lib.mkOption {
        type = lib.types.str;
        default = lib.trivial.release;
        readOnly = true;
        description = "The NixOS release.";
      };
      label = lib.mkOption {
        type = lib.types.strMatching "[a-zA-Z0-9:_\\.-]*";
        default = config.system.nixos.release;
        description = "Label of the system.";
      };
      tags = lib.mkOption {
        type = lib.types.listOf lib.types.str;
        default = [ ];
        description = "Tags in the label.";
      };
      variant_id = lib.mkOption {
        type = lib.types.nullOr (lib.types.strMatching "^[a-z0-9._-]+$");
        default = null;
        description = "VARIANT_ID of os-release.";
      };
      distroId = lib.mkOption {
        type = lib.types.str;
        default = "nixos";
        description = "ID of os-release.";
      };
    };
  };
}
