{
  description = "NixOS on a bare-metal machine (ada-desktop), built on a shared crossflake configuration";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-26.05";
    home-manager = {
      url = "github:nix-community/home-manager/release-26.05";
      inputs.nixpkgs.follows = "nixpkgs";
    };
    # The team's flake, or crossflake itself.
    shared = {
      url = "github:acme/team-config";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs =
    {
      nixpkgs,
      home-manager,
      shared,
      ...
    }:
    let
      # The parameters `crossflake init` filled in. Edit them here; nothing
      # else in this directory repeats them (the hosts/ folder is named after
      # the host name).
      params = {
        username = "ada";
        hostname = "ada-desktop";
        system = "x86_64-linux";
        timezone = "Europe/Paris";
        fullName = "Ada Lovelace";
        email = "ada@example.org";
      };
      withHome = builtins.pathExists ./home.nix;
    in
    {
      nixosConfigurations.${params.hostname} = nixpkgs.lib.nixosSystem {
        specialArgs = { inherit params; };
        modules = [
          shared.nixosModules.base
          ./hosts/ada-desktop
        ]
        ++ nixpkgs.lib.optionals withHome [
          home-manager.nixosModules.home-manager
          {
            home-manager.useGlobalPkgs = true;
            home-manager.useUserPackages = true;
            # Files home-manager would replace (a distribution's ~/.bashrc,
            # ~/.profile) are renamed to <name>.backup instead of failing.
            home-manager.backupFileExtension = "backup";
            home-manager.extraSpecialArgs = { inherit params; };
            home-manager.users.${params.username} = {
              imports = [
                shared.homeModules.base
                ./home.nix
              ];
            };
          }
        ];
      };
    };
}
