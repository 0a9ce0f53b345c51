# This Mac's nix-darwin settings. The shared modules carry the team's
# defaults; what is set here is what makes the machine yours.
{ params, ... }:
{
  nixpkgs.hostPlatform = params.system;
  networking.hostName = params.hostname;

  # User-scoped settings (defaults, homebrew, ...) apply to this user.
  system.primaryUser = params.username;
  # home-manager needs the home directory of an existing macOS user.
  users.users.${params.username}.home = "/Users/${params.username}";

  # nix-darwin's state version is an integer; keep it when upgrading.
  system.stateVersion = 6;
}
