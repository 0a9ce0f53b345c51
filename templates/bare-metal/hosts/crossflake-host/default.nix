# This machine's NixOS settings. The shared modules carry the team's defaults;
# what is set here is what makes the machine yours.
{ params, ... }:
{
  imports = [ ./hardware-configuration.nix ];

  nixpkgs.hostPlatform = params.system;
  networking.hostName = params.hostname;
  time.timeZone = params.timezone;

  users.users.${params.username} = {
    isNormalUser = true;
    extraGroups = [ "wheel" ];
  };

  # The release this machine was first installed with; keep it when upgrading.
  system.stateVersion = "26.05";
}
