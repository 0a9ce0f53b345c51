# Home adapter for Linux distributions other than NixOS (including WSL
# distributions such as Ubuntu): home-manager's generic Linux target.
{ config, lib, ... }:
let
  cfg = config.crossflake.home.linux;
in
{
  imports = [ ./base.nix ];

  options.crossflake.home.linux = {
    enable =
      lib.mkEnableOption "home-manager's generic Linux target (non-NixOS distributions)"
      // {
        default = true;
      };
    gpu = lib.mkOption {
      type = lib.types.bool;
      default = false;
      description = ''
        home-manager's GPU driver integration (`targets.genericLinux.gpu`),
        which its generic Linux target turns on by default: Mesa in the
        closure and, until `sudo non-nixos-gpu-setup` has run, a warning on
        every activation. Off by default: crossflake's toolset is headless,
        and WSL brings its own GPU driver.
      '';
    };
  };

  config = lib.mkIf cfg.enable {
    targets.genericLinux.enable = lib.mkDefault true;
    targets.genericLinux.gpu.enable = lib.mkDefault cfg.gpu;
  };
}
