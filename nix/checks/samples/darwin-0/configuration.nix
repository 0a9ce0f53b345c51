# This Mac's nix-darwin settings. The shared modules carry the team's
# defaults; what is set here is what makes the machine yours.
{ params, ... }:
{
  # The shared base sets nixpkgs.hostPlatform from this; it has no default,
  # so the CPU is always a choice, never an accident.
  crossflake.darwin.hostPlatform = params.system;
  networking.hostName = params.hostname;

  # The primary user: the shared base makes it system.primaryUser and gives it
  # its /Users home, which home-manager needs.
  crossflake.user.name = params.username;
  crossflake.user.description = params.fullName;

  # Determinate Nix runs its own daemon: nix-darwin must not manage Nix then.
  crossflake.darwin.determinateNix = params.nixInstall == "determinate-nix";

  # nix-darwin's state version is an integer; keep it when upgrading.
  system.stateVersion = 6;
}
