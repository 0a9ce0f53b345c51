# work-base: what every colleague's machine and every team image contains.
# The image formats replace the file systems and boot loader below; they are
# here (at low priority) so nixosConfigurations.work-base evaluates on its own.
{ lib, pkgs, ... }:
{
  environment.systemPackages = with pkgs; [
    git
    curl
    jq
  ];

  boot.loader.grub.enable = lib.mkDefault false;
  fileSystems."/" = lib.mkDefault {
    device = "/dev/disk/by-label/nixos";
    fsType = "ext4";
  };

  system.stateVersion = lib.mkDefault "26.05";
}
