# Home adapter for Linux distributions other than NixOS (including WSL
# distributions such as Ubuntu): home-manager's generic Linux target.
{ config, lib, ... }:
let
  cfg = config.crossflake.home.linux;
in
{
  imports = [ ./base.nix ];

  options.crossflake.home.linux.enable =
    lib.mkEnableOption "home-manager's generic Linux target (non-NixOS distributions)"
    // {
      default = true;
    };

  config = lib.mkIf cfg.enable { targets.genericLinux.enable = lib.mkDefault true; };
}
