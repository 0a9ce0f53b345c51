# After nixos/modules/config/users-groups.nix (NixOS/nixpkgs): `users.users`
# is `attrsOf (submodule ...)` with `isNormalUser`/`isSystemUser` (bool),
# `description` (passwdEntry str), `extraGroups` (listOf str), `home`,
# `uid`, `group`, `shell`, `initialHashedPassword`, `hashedPassword`,
# `packages` (listOf package); plus
# `openssh.authorizedKeys.keys` (listOf str) from
# services/networking/ssh/sshd.nix. `users.groups.<name>.members`.
# Only the sub-options our outputs and the transcribed upstream modules set.
{ lib, ... }:
let
  inherit (lib) mkOption types;
  user =
    { name, config, ... }:
    {
      # A normal user's home is /home/<name> unless set.
      config.home = lib.mkIf config.isNormalUser (lib.mkDefault "/home/${name}");
      options = {
        name = mkOption {
          type = types.str;
          default = name;
          description = "User name.";
        };
        isNormalUser = mkOption {
          type = types.bool;
          default = false;
          description = "A normal (interactive) user.";
        };
        isSystemUser = mkOption {
          type = types.bool;
          default = false;
          description = "A system user.";
        };
        description = mkOption {
          type = types.str;
          default = "";
          description = "GECOS field.";
        };
        extraGroups = mkOption {
          type = types.listOf types.str;
          default = [ ];
          description = "Supplementary groups.";
        };
        home = mkOption {
          type = types.str;
          default = "/var/empty";
          description = "Home directory.";
        };
        uid = mkOption {
          type = types.nullOr types.int;
          default = null;
          description = "User id.";
        };
        group = mkOption {
          type = types.str;
          default = "";
          description = "Primary group.";
        };
        shell = mkOption {
          type = types.nullOr (types.either types.package types.str);
          default = null;
          description = "Login shell.";
        };
        initialHashedPassword = mkOption {
          type = types.nullOr types.str;
          default = null;
          description = "Initial hashed password.";
        };
        hashedPassword = mkOption {
          type = types.nullOr types.str;
          default = null;
          description = "Hashed password.";
        };
        packages = mkOption {
          type = types.listOf types.package;
          default = [ ];
          description = "Packages in the user's profile.";
        };
        openssh.authorizedKeys.keys = mkOption {
          type = types.listOf types.str;
          default = [ ];
          description = "Authorized SSH keys.";
        };
      };
    };
in
{
  options.users = {
    users = mkOption {
      type = types.attrsOf (types.submodule user);
      default = { };
      description = "User accounts.";
    };
    groups = mkOption {
      type = types.attrsOf (
        types.submodule {
          options.members = mkOption {
            type = types.listOf types.str;
            default = [ ];
            description = "Members.";
          };
          options.gid = mkOption {
            type = types.nullOr types.int;
            default = null;
            description = "Group id.";
          };
        }
      );
      default = { };
      description = "Groups.";
    };
  };
}
