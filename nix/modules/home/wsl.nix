# Home adapter for WSL: wslu, opening URLs and files in Windows, clipboard
# aliases and a helper that finds the Windows home folder at run time, so no
# configuration ever needs a literal /mnt/c/Users/<name> path.
{
  config,
  lib,
  pkgs,
  ...
}:
let
  inherit (lib)
    mkDefault
    mkEnableOption
    mkIf
    mkMerge
    mkOption
    types
    ;
  cfg = config.crossflake.home.wsl;

  # wslvar (wslu) reads a Windows environment variable; wslpath turns
  # C:\... into a Linux path. wslpath is not wslu's: WSL itself provides
  # /bin/wslpath (a link to its /init; NixOS-WSL creates it too).
  winhome = pkgs.writeShellScriptBin "winhome" ''
    exec /bin/wslpath "$(${pkgs.wslu}/bin/wslvar USERPROFILE)"
  '';
in
{
  imports = [ ./base.nix ];

  options.crossflake.home.wsl = {
    enable = mkEnableOption "the WSL home adapter" // {
      default = true;
    };
    browser = mkOption {
      type = types.bool;
      default = true;
      description = "Open URLs in the Windows browser (`BROWSER=wslview`).";
    };
    clipboard = mkOption {
      type = types.bool;
      default = true;
      description = "`pbcopy`/`pbpaste` aliases backed by the Windows clipboard.";
    };
  };

  config = mkIf cfg.enable (mkMerge [
    {
      home.packages = [
        pkgs.wslu
        winhome
      ];
      home.shellAliases.open = mkDefault "wslview";
    }
    (mkIf cfg.browser { home.sessionVariables.BROWSER = mkDefault "wslview"; })
    (mkIf cfg.clipboard {
      home.shellAliases = {
        pbcopy = mkDefault "clip.exe";
        pbpaste = mkDefault "powershell.exe -NoProfile -Command Get-Clipboard";
      };
    })
  ]);
}
