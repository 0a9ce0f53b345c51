# Your home-manager settings. Delete this file (and run `git rm home.nix`) to
# manage the system only.
{ params, ... }:
{
  programs.git = {
    enable = true;
    settings.user = {
      name = params.fullName;
      email = params.email;
    };
  };

  home.stateVersion = "26.05";
}
