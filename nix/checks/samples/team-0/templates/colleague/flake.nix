{
  description = "A colleague's NixOS-WSL machine on acme's work-base";

  inputs = {
    team.url = "github:acme/team-config";
    nixpkgs.follows = "team/nixpkgs";
  };

  outputs =
    { team, nixpkgs, ... }:
    let
      # Your user and host names. NixOS-WSL's defaults until you change them.
      username = "nixos";
      hostname = "nixos";
    in
    {
      nixosConfigurations.${hostname} = nixpkgs.lib.nixosSystem {
        modules = [
          team.nixosModules.work-base
          team.nixosModules.wsl
          {
            networking.hostName = hostname;
            # Created by the team's base and made NixOS-WSL's default user.
            crossflake.user.name = username;
          }
        ];
      };
    };
}
