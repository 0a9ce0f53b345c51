# This machine's NixOS settings. The shared modules carry the team's defaults;
# what is set here is what makes the machine yours.
{ params, ... }:
{
  nixpkgs.hostPlatform = params.system;
  networking.hostName = params.hostname;

  # The primary user: the shared base module creates it (in wheel), and its
  # WSL adapter makes it NixOS-WSL's default user.
  crossflake.user.name = params.username;
  crossflake.user.description = params.fullName;
  crossflake.locale.timeZone = params.timezone;

  # The release this machine was first installed with; keep it when upgrading.
  system.stateVersion = "26.05";
}
