# Options shared by the crossflake modules: the primary user and the other
# personal values a shared module may read (user, host, wsl.windowsUser,
# personal), Nix settings and the common command-line toolset. The NixOS and
# nix-darwin base modules import it through nix-settings.nix, the
# home-manager base module directly, so `crossflake extract`'s suggested
# options exist in all three. crossflake.nix.*, crossflake.cli.* and
# user.enable act on systems only (home has crossflake.home.cli).
# Defaults are generic on purpose: nothing here may name a real person
# (see test/nix).
{ lib, pkgs, ... }:
let
  inherit (lib) mkOption mkEnableOption types;
  adminGroup = if pkgs.stdenv.hostPlatform.isDarwin then "@admin" else "@wheel";
in
{
  options.crossflake = {
    user = {
      enable = mkEnableOption "the primary user account managed by crossflake" // {
        default = true;
      };
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

    nix = {
      enable = mkEnableOption "crossflake's Nix settings (flakes, caches, trusted users, GC)" // {
        default = true;
      };
      substituters = mkOption {
        type = types.listOf types.str;
        default = [ ];
        example = [ "https://cache.example.org" ];
        description = ''
          Binary caches used in addition to the default one
          (written as `extra-substituters`, so cache.nixos.org stays).
        '';
      };
      trustedPublicKeys = mkOption {
        type = types.listOf types.str;
        default = [ ];
        example = [ "cache.example.org-1:AAAA...=" ];
        description = "Public keys of the extra binary caches (`extra-trusted-public-keys`).";
      };
      trustedUsers = mkOption {
        type = types.listOf types.str;
        default = [
          "root"
          adminGroup
        ];
        defaultText = lib.literalExpression ''[ "root" "@wheel" ] (on macOS: "@admin")'';
        description = "Users and groups (`@group`) the Nix daemon trusts (`trusted-users`).";
      };
      gc = {
        enable = mkEnableOption "automatic garbage collection of the Nix store" // {
          default = true;
        };
        olderThan = mkOption {
          type = types.strMatching "[0-9]+d";
          default = "14d";
          description = "Delete generations older than this (`nix-collect-garbage --delete-older-than`).";
        };
      };
    };

    cli = {
      enable = mkEnableOption "the common command-line toolset" // {
        default = true;
      };
      packages = mkOption {
        type = types.listOf types.package;
        default = with pkgs; [
          curl
          fd
          file
          git
          htop
          jq
          ripgrep
          tree
          unzip
          wget
        ];
        defaultText = lib.literalExpression "with pkgs; [ curl fd file git htop jq ripgrep tree unzip wget ]";
        description = "The toolset installed system-wide (and put into the docker image format).";
      };
      extraPackages = mkOption {
        type = types.listOf types.package;
        default = [ ];
        description = "Packages added to the toolset without replacing the default list.";
      };
    };
  };
}
