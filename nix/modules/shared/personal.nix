# The personal values a shared module may read: who the primary user is,
# the host's name, the Windows account behind WSL and free-form values.
# `crossflake extract` suggests these options when it moves a module that
# held such a value into the shared flake, so every module class declares
# them: the system options file brings them to NixOS and nix-darwin, the
# home-manager base module imports this file alone. Defaults are generic on
# purpose: nothing here may name a real person (see test/nix).
{ lib, ... }:
let
  inherit (lib) mkOption types;
in
{
  options.crossflake = {
    user = {
      name = mkOption {
        type = types.strMatching "[a-z_][a-z0-9_-]*";
        default = "nixos";
        description = ''
          Login name of the primary user. Set it in the personal or team
          configuration; the shared modules never hard-code a person.
        '';
      };
      description = mkOption {
        type = types.str;
        default = "";
        description = "Full name (GECOS field) of the primary user.";
      };
      authorizedKeys = mkOption {
        type = types.listOf types.str;
        default = [ ];
        description = "SSH public keys allowed to log in as the primary user.";
      };
      email = mkOption {
        type = types.nullOr types.str;
        default = null;
        example = "you@example.com";
        description = ''
          E-mail address of the primary user. The home-manager base module
          uses it as git's `user.email` unless `crossflake.home.git.userEmail`
          is set.
        '';
      };
      flake = mkOption {
        type = types.nullOr types.str;
        default = null;
        example = "~/src/dotfiles";
        description = ''
          Path of the user's personal flake checkout, for shell aliases that
          need it (such as a rebuild alias). The shared modules only carry it.
        '';
      };
    };

    host.name = mkOption {
      type = types.nullOr types.str;
      default = null;
      example = "workstation";
      description = ''
        Host name of the machine. When set, the NixOS and nix-darwin base
        modules use it as the default `networking.hostName`.
      '';
    };

    wsl.windowsUser = mkOption {
      type = types.nullOr types.str;
      default = null;
      description = ''
        Name of the Windows account behind a WSL distribution, for paths such
        as `/mnt/c/Users/<name>`. The shared modules only carry it (`winhome`
        finds the Windows home folder at run time without it).
      '';
    };

    personal = mkOption {
      type = types.attrsOf types.anything;
      default = { };
      example = {
        workspace = "~/src";
      };
      description = ''
        Free-form personal values that a module moved into the shared flake
        reads (`config.crossflake.personal.<name>`), set in the personal
        configuration. `crossflake extract` suggests names here for values
        no other option fits.
      '';
    };

  };
}
