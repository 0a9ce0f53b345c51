# work-base: what every colleague's machine and every team image contains.
# No file systems and no boot loader here: the image formats bring their
# own (nixpkgs' disk-image.nix turns GRUB on for BIOS images at
# mkOptionDefault, which a mkDefault false here would beat), NixOS-WSL needs
# none (WSL mounts the root), and a colleague's machine has its own
# hardware-configuration.nix. flake.nix gives nixosConfigurations.work-base a
# placeholder of both, so it evaluates on its own.
{ lib, pkgs, ... }:
{
  # The toolset also goes into the docker image format.
  crossflake.cli.extraPackages = with pkgs; [
    gnumake
    python3
  ];

  system.stateVersion = lib.mkDefault "26.05";
}
