# The flake's `templates` output: one entry per directory under templates/.
# Descriptions equal each template.json's; a test keeps them in step.
# `nix flake init -t <crossflake>#<name>` copies a template as it is (harmless
# defaults, and a marked place for the shared flake, which has none);
# `crossflake init <name>` fills in the parameters first.
{
  wsl-nixos = {
    path = ../templates/wsl-nixos;
    description = "NixOS on Windows 11 + WSL2 (NixOS-WSL), importing the shared nixosModules.wsl, with home-manager";
    welcomeText = ''
      # NixOS on WSL2
      Edit the `params` block in flake.nix (user, host, system, time zone), then
      follow README.md: `sudo nixos-rebuild boot --flake .#<host>`, then in
      PowerShell `wsl -t NixOS; wsl -d NixOS --user root exit; wsl -t NixOS`.
      Set the url of the `shared` input (github:YOUR-ORG/YOUR-FLAKE) to your team's flake (or crossflake's).
      `crossflake init wsl-nixos` asks for the values instead.
    '';
  };
  wsl-home = {
    path = ../templates/wsl-home;
    description = "home-manager on any WSL2 distro with Nix (Ubuntu, Debian, ...), importing the shared homeModules";
    welcomeText = ''
      # home-manager on a WSL2 distro
      Edit the `params` block in flake.nix (user, system, name, e-mail), then
      follow README.md: `nix run home-manager/release-26.05 -- switch -b backup --flake .#<user>`.
      Set the url of the `shared` input (github:YOUR-ORG/YOUR-FLAKE) to your team's flake (or crossflake's).
      `crossflake init wsl-home` asks for the values instead.
    '';
  };
  darwin = {
    path = ../templates/darwin;
    description = "macOS with nix-darwin and home-manager, importing the shared darwinModules.base and homeModules";
    welcomeText = ''
      # macOS with nix-darwin
      Edit the `params` block in flake.nix (user, host, system: aarch64 or x86_64),
      then follow README.md: `sudo darwin-rebuild switch --flake .#<host>`.
      Set the url of the `shared` input (github:YOUR-ORG/YOUR-FLAKE) to your team's flake (or crossflake's).
      `crossflake init darwin` asks for the values and detects the system.
    '';
  };
  bare-metal = {
    path = ../templates/bare-metal;
    description = "NixOS on a bare-metal Linux machine (x86_64 or aarch64) with a hardware-configuration placeholder";
    welcomeText = ''
      # NixOS on bare metal
      Rename hosts/crossflake-host to your host name, edit the `params` block in
      flake.nix, and replace the placeholder hardware-configuration.nix (see
      README.md) before `sudo nixos-rebuild switch --flake .#<host>`.
      Set the url of the `shared` input (github:YOUR-ORG/YOUR-FLAKE) to your team's flake (or crossflake's).
      `crossflake init bare-metal` does the renaming for you.
    '';
  };
  team = {
    path = ../templates/team;
    description = "A team's shared configuration: imports crossflake, adds team defaults, declares work-base and its image matrix";
    welcomeText = ''
      # A team configuration on crossflake
      Rename the team (example-team) and its flake reference, then follow
      README.md: `nix flake lock` and build the first image.
      Set the url of the `crossflake` input (github:YOUR-ORG/YOUR-FLAKE) to crossflake's own flake.
      `crossflake init team` asks for the values instead.
    '';
  };
}
