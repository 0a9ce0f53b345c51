# Options of the crossflake system modules (NixOS and nix-darwin, through
# nix-settings.nix): whether the primary user is managed, Nix settings and
# the common command-line toolset, plus the personal values of personal.nix.
# home-manager imports only personal.nix: these options would do nothing there.
# Defaults are generic on purpose: nothing here may name a real person
# (see test/nix).
{ lib, pkgs, ... }:
let
  inherit (lib) mkOption mkEnableOption types;
  adminGroup = if pkgs.stdenv.hostPlatform.isDarwin then "@admin" else "@wheel";
in
{
  imports = [ ./personal.nix ];

  options.crossflake = {
    user = {
      enable = mkEnableOption "the primary user account managed by crossflake" // {
        default = true;
      };
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
