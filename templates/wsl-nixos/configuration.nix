# This machine's NixOS settings. The shared modules carry the team's defaults;
# what is set here is what makes the machine yours.
{ params, ... }:
{
  nixpkgs.hostPlatform = params.system;
  networking.hostName = params.hostname;
  time.timeZone = params.timezone;

  wsl.enable = true;
  # NixOS-WSL creates this user (normal user, in wheel) and logs in as it.
  wsl.defaultUser = params.username;

  # The release this machine was first installed with; keep it when upgrading.
  system.stateVersion = "26.05";
}
