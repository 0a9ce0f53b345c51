# Your home-manager settings. Delete this file (and run `git rm home.nix`) to
# manage the system only.
{ params, ... }:
{
  # The shared homeModules.base writes these into git's user.name and user.email.
  crossflake.home.git.userName = params.fullName;
  crossflake.home.git.userEmail = params.email;

  # The release this home was first set up with; keep it when upgrading.
  home.stateVersion = "26.05";
}
