{
  description = "home-manager for ada on a WSL2 distro, built on a shared crossflake configuration";

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
      # else in this directory repeats them.
      params = {
        username = "ada";
        system = "x86_64-linux";
        fullName = "Ada Lovelace";
        email = "ada@example.org";
      };
    in
    {
      # `home-manager switch --flake .` looks for "$USER@$(hostname)", then "$USER".
      homeConfigurations.${params.username} = home-manager.lib.homeManagerConfiguration {
        pkgs = nixpkgs.legacyPackages.${params.system};
        extraSpecialArgs = { inherit params; };
        modules = [
          shared.homeModules.base
          shared.homeModules.linux
          shared.homeModules.wsl
          ./home.nix
        ];
      };
    };
}
