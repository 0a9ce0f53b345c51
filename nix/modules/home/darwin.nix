# Home adapter for macOS: zsh (the macOS login shell) and, optionally,
# Homebrew's prefix on PATH for teams that mix in casks.
{ config, lib, ... }:
let
  inherit (lib)
    mkDefault
    mkEnableOption
    mkIf
    mkMerge
    mkOption
    types
    ;
  cfg = config.crossflake.home.darwin;
in
{
  imports = [ ./base.nix ];

  options.crossflake.home.darwin = {
    enable = mkEnableOption "the macOS home adapter" // {
      default = true;
    };
    homebrewPath = mkOption {
      type = types.bool;
      default = false;
      description = "Put /opt/homebrew/bin on PATH (after the Nix profile).";
    };
  };

  config = mkIf cfg.enable (mkMerge [
    {
      # home.shellAliases (from the base module) reach zsh as well.
      programs.zsh.enable = mkDefault true;
    }
    (mkIf cfg.homebrewPath { home.sessionPath = [ "/opt/homebrew/bin" ]; })
  ]);
}
