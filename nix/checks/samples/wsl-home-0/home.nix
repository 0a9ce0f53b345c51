# Your home-manager settings on a WSL2 distro that is not NixOS. The shared
# homeModules.linux fits home-manager into the distro (targets.genericLinux).
{ params, ... }:
{
  home.username = params.username;
  home.homeDirectory = "/home/${params.username}";

  # The shared homeModules.base writes these into git's user.name and user.email.
  crossflake.home.git.userName = params.fullName;
  crossflake.home.git.userEmail = params.email;

  # The release this home was first set up with; keep it when upgrading.
  home.stateVersion = "26.05";
}
