{
  description = "macOS (ada-mbp) with nix-darwin and home-manager, built on a shared crossflake configuration";

  inputs = {
    # The darwin channel of the same release: it only advances once Hydra has
    # built the darwin packages, so a Mac gets them from the binary cache.
    # nix-darwin's own flake uses it too; crossflake follows it here.
    nixpkgs.url = "github:NixOS/nixpkgs/nixpkgs-26.05-darwin";
    nix-darwin = {
      url = "github:nix-darwin/nix-darwin/nix-darwin-26.05";
      inputs.nixpkgs.follows = "nixpkgs";
    };
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
      nix-darwin,
      home-manager,
      shared,
      ...
    }:
    let
      # The parameters `crossflake init` filled in. Edit them here; nothing
      # else in this directory repeats them. The CPU is a parameter on purpose:
      # Apple Silicon and Intel Macs share this file unchanged otherwise.
      params = {
        username = "ada";
        hostname = "ada-mbp";
        system = "aarch64-darwin";
        fullName = "Ada Lovelace";
        email = "ada@example.org";
        # "determinate-nix" when the Determinate installer put Nix here.
        nixInstall = "determinate-nix";
      };
      withHome = builtins.pathExists ./home.nix;
    in
    {
      darwinConfigurations.${params.hostname} = nix-darwin.lib.darwinSystem {
        specialArgs = { inherit params; };
        modules = [
          shared.darwinModules.base
          ./configuration.nix
        ]
        ++ nixpkgs.lib.optionals withHome [
          home-manager.darwinModules.home-manager
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
                shared.homeModules.darwin
                ./home.nix
              ];
            };
          }
        ];
      };
    };
}
