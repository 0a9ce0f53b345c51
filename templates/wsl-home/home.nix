# Your home-manager settings on a WSL2 distro that is not NixOS.
{ params, ... }:
{
  home.username = params.username;
  home.homeDirectory = "/home/${params.username}";

  # Not NixOS: let home-manager fit into the distro (XDG paths, locales, ...).
  targets.genericLinux.enable = true;

  programs.home-manager.enable = true;
  programs.git = {
    enable = true;
    settings.user = {
      name = params.fullName;
      email = params.email;
    };
  };

  # The release this home was first set up with; keep it when upgrading.
  home.stateVersion = "26.05";
}
