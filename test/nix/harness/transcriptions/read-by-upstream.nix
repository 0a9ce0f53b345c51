# Options that the real NixOS-WSL modules (../shared/upstream/nixos-wsl) and
# home-manager's NixOS module READ while crossflake's outputs are checked,
# declared with their nixpkgs types and defaults so those reads see
# upstream's default instead of a missing attribute:
#   services.resolved.enable   bool, false   nixos/modules/system/boot/resolved.nix
#   networking.nameservers     listOf str, [] nixos/modules/tasks/network-interfaces.nix
#   networking.extraHosts      lines, ""   nixos/modules/config/networking.nix
#   fonts.fontconfig.enable    bool, true    nixos/modules/config/fonts/fontconfig.nix
#   services.envfs.enable      bool, false   nixos/modules/tasks/filesystems/envfs.nix
{ lib, ... }:
let
  off =
    description:
    lib.mkOption {
      type = lib.types.bool;
      default = false;
      inherit description;
    };
in
{
  options = {
    services.resolved.enable = off "systemd-resolved.";
    services.envfs.enable = off "envfs.";
    fonts.fontconfig.enable = lib.mkOption {
      type = lib.types.bool;
      default = true;
      description = "fontconfig.";
    };
    networking.extraHosts = lib.mkOption {
      type = lib.types.lines;
      default = "";
      description = "Extra /etc/hosts lines.";
    };
    networking.nameservers = lib.mkOption {
      type = lib.types.listOf lib.types.str;
      default = [ ];
      description = "Name servers.";
    };
  };
}
