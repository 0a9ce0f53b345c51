# The WSL adapter: NixOS-WSL configured for the crossflake primary user.
# The flake exports it together with NixOS-WSL's own module
# (`nixos-wsl.nixosModules.default`), which declares the `wsl.*` options.
{ config, lib, ... }:
let
  inherit (lib)
    mkDefault
    mkEnableOption
    mkIf
    mkOption
    types
    ;
  cfg = config.crossflake.wsl;
in
{
  imports = [ ./base.nix ];

  options.crossflake.wsl = {
    enable = mkEnableOption "the NixOS-WSL adapter" // {
      default = true;
    };
    startMenuLaunchers = mkOption {
      type = types.bool;
      default = true;
      description = "Put launchers for GUI applications into the Windows start menu.";
    };
    windowsPath = mkOption {
      type = types.bool;
      default = true;
      description = "Append the Windows PATH to the Linux PATH (interop).";
    };
    registerInterop = mkOption {
      type = types.bool;
      default = false;
      description = ''
        Register the binfmt handler for Windows executables explicitly
        (needed when other binfmt registrations exist).
      '';
    };
    automountRoot = mkOption {
      # Same check as NixOS-WSL's option: absolute, no trailing slash.
      type = types.strMatching "^/(.*[^/])?$";
      default = "/mnt";
      description = "Where Windows drives are mounted (`[automount] root` in wsl.conf).";
    };
    windowsDriver = mkOption {
      type = types.bool;
      default = false;
      description = "Use the Windows host's GPU driver (CUDA, D3D12) inside WSL.";
    };
  };

  config = mkIf cfg.enable {
    wsl = {
      enable = mkDefault true;
      defaultUser = mkDefault config.crossflake.user.name;
      startMenuLaunchers = mkDefault cfg.startMenuLaunchers;
      useWindowsDriver = mkDefault cfg.windowsDriver;
      interop = {
        register = mkDefault cfg.registerInterop;
        includePath = mkDefault cfg.windowsPath;
      };
      wslConf = {
        automount.root = mkDefault cfg.automountRoot;
        boot.systemd = mkDefault true;
        interop.appendWindowsPath = mkDefault cfg.windowsPath;
      };
    };

    # Windows already runs an SSH agent and port forwarding is awkward; a team
    # that wants sshd inside WSL turns it back on.
    crossflake.ssh.enable = mkDefault false;
  };
}
