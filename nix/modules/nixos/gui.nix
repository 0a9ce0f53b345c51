# A light desktop (Xfce with LightDM) for GUI VMs.
{ config, lib, ... }:
let
  inherit (lib)
    mkDefault
    mkEnableOption
    mkIf
    mkOption
    types
    ;
  cfg = config.crossflake.gui;
in
{
  imports = [ ./base.nix ];

  options.crossflake.gui = {
    enable = mkEnableOption "a light Xfce desktop" // {
      default = true;
    };
    autoLogin = mkOption {
      type = types.bool;
      default = true;
      description = "Log the primary user into the desktop automatically.";
    };
  };

  config = mkIf cfg.enable {
    services.xserver = {
      enable = mkDefault true;
      desktopManager.xfce.enable = mkDefault true;
      displayManager.lightdm.enable = mkDefault true;
    };
    services.displayManager.autoLogin = mkIf cfg.autoLogin {
      enable = mkDefault true;
      user = mkDefault config.crossflake.user.name;
    };
  };
}
