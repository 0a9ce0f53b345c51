# work-base: what every colleague's machine and every team image contains.
# The image formats bring their own file systems and boot loader; the ones
# below (at low priority) only let nixosConfigurations.work-base evaluate on
# its own.
{ lib, pkgs, ... }:
{
  # The toolset also goes into the docker image format.
  crossflake.cli.extraPackages = with pkgs; [
    gnumake
    python3
  ];

  boot.loader.grub.enable = lib.mkDefault false;
  fileSystems."/" = lib.mkDefault {
    device = "/dev/disk/by-label/nixos";
    fsType = "ext4";
  };

  system.stateVersion = lib.mkDefault "26.05";
}
