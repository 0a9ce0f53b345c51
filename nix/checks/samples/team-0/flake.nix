{
  description = "acme: the team's shared Nix configuration, built on crossflake";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-26.05";
    crossflake = {
      url = "github:acme-mirror/crossflake";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs =
    {
      self,
      nixpkgs,
      crossflake,
      ...
    }:
    let
      # The parameters `crossflake init` filled in. The team name also names
      # the images (acme-work-base-<format>).
      params = {
        system = "x86_64-linux";
        timezone = "Europe/Berlin";
      };

      # The team's defaults, layered on crossflake's modules of the same name.
      teamNixos = import ./modules/nixos.nix { inherit params; };
      teamHome = import ./modules/home.nix;

      # work-base: the machine every colleague starts from, as NixOS modules.
      workBase = [
        crossflake.nixosModules.base
        teamNixos
        ./modules/work-base.nix
        { nixpkgs.hostPlatform = params.system; }
      ];

      # One configuration, a matrix of formats and systems. Add a system here
      # (e.g. the other Linux architecture) to build its images too.
      images = crossflake.lib.mkImages {
        name = "acme-work-base";
        configuration = workBase;
        formats = [
          "wsl"
          "qcow2"
          "iso"
        ];
        systems = [ params.system ];
        version = "0.1.0";
      };
    in
    {
      # The same names crossflake exports, with the team's defaults inside, so
      # `crossflake init <template> --from <this flake>` works for colleagues.
      nixosModules = crossflake.nixosModules // {
        base.imports = [
          crossflake.nixosModules.base
          teamNixos
        ];
        work-base.imports = workBase;
      };
      darwinModules = crossflake.darwinModules;
      homeModules = crossflake.homeModules // {
        base.imports = [
          crossflake.homeModules.base
          teamHome
        ];
      };

      # work-base on its own (nix flake check evaluates it): a placeholder
      # root file system and no boot loader install, like crossflake's
      # generic VMs; a real machine brings its hardware-configuration.nix.
      nixosConfigurations.work-base = nixpkgs.lib.nixosSystem {
        modules = workBase ++ [
          {
            fileSystems."/" = nixpkgs.lib.mkDefault {
              device = "/dev/disk/by-label/nixos";
              fsType = "ext4";
            };
            boot.loader.grub.device = nixpkgs.lib.mkDefault "nodev";
          }
        ];
      };

      # Per system: packages named acme-work-base-<format>.
      inherit (images) packages;
      # The plain-data image matrix the crossflake CLI reads with one `nix eval --json`.
      crossflake.images = images.images;

      templates = nixpkgs.lib.optionalAttrs (builtins.pathExists ./templates/colleague) rec {
        colleague = {
          path = ./templates/colleague;
          description = "A colleague's NixOS-WSL machine on acme's work-base";
          welcomeText = ''
            # acme: your NixOS-WSL configuration
            Set your user and host names in flake.nix, then run
            `sudo nixos-rebuild boot --flake .#<host>` and, in PowerShell,
            `wsl -t NixOS; wsl -d NixOS --user root exit; wsl -t NixOS`.
            With the crossflake CLI: `crossflake init wsl-nixos --flake github:acme/team-config`.
          '';
        };
        default = colleague;
      };
    };
}
