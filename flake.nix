{
  description = "crossflake: one Nix configuration for bare-metal Linux, Windows + WSL2 and macOS";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-26.05";
    home-manager = {
      url = "github:nix-community/home-manager/release-26.05";
      inputs.nixpkgs.follows = "nixpkgs";
    };
    nix-darwin = {
      url = "github:nix-darwin/nix-darwin/nix-darwin-26.05";
      inputs.nixpkgs.follows = "nixpkgs";
    };
    nixos-wsl = {
      url = "github:nix-community/NixOS-WSL/release-26.05";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs =
    {
      self,
      nixpkgs,
      home-manager,
      nix-darwin,
      nixos-wsl,
    }:
    let
      lib = import ./nix/lib {
        inherit nixpkgs;
        inherit (self) nixosModules;
      };
      forSystems =
        systems: f:
        builtins.listToAttrs (
          map (system: {
            name = system;
            value = f system;
          }) systems
        );
      forAllSystems = forSystems lib.systems.all;

      # Wrapped in attrsets: Nix 2.8's flake check wants a function or an
      # attrset here, not a path. The module files dedupe by path.
      module = path: { imports = [ path ]; };
      homeBundle = paths: { imports = paths; };

      # The flake's own image matrix: the base configuration as a small
      # generic NixOS (with the VM guest tweaks: console auto-login, so a
      # booted image is usable), so CI and `crossflake images` have a real
      # example.
      # crossflake's CLI per system (`default` is the same derivation).
      cli = forAllSystems (
        system:
        let
          # The lock is written without `resolved` URLs; its packages come
          # from the public npm registry, checked by the lock's integrity hashes.
          crossflake = nixpkgs.legacyPackages.${system}.callPackage ./nix/package.nix {
            npmRegistry = "https://registry.npmjs.org";
          };
        in
        {
          inherit crossflake;
          default = crossflake;
        }
      );

      images = lib.mkImages {
        name = "crossflake-nixos";
        configuration = [
          self.nixosModules.vm
          {
            system.stateVersion = "26.05";
            networking.hostName = "crossflake-nixos";
          }
        ];
        formats = [
          "wsl"
          "qcow2"
          "iso"
          "docker"
        ];
        systems = lib.systems.linux;
      };
    in
    {
      inherit lib;

      nixosModules = rec {
        base = module ./nix/modules/nixos/base.nix;
        wsl = {
          imports = [
            nixos-wsl.nixosModules.default
            ./nix/modules/nixos/wsl.nix
          ];
        };
        vm = module ./nix/modules/nixos/vm.nix;
        gui = module ./nix/modules/nixos/gui.nix;
        # The strategy's names.
        wsl-base = wsl;
        default = base;
      };

      darwinModules = rec {
        base = module ./nix/modules/darwin/base.nix;
        default = base;
      };

      homeModules = rec {
        base = module ./nix/modules/home/base.nix;
        wsl = module ./nix/modules/home/wsl.nix;
        darwin = module ./nix/modules/home/darwin.nix;
        linux = module ./nix/modules/home/linux.nix;
        default = base;
      };

      # Aliases under the strategy's names; `homeModules` is the output Nix
      # knows, this one only warns as unknown in `nix flake check`.
      homeManagerModules = {
        inherit (self.homeModules) base;
        wsl-home-base = homeBundle [
          ./nix/modules/home/base.nix
          ./nix/modules/home/wsl.nix
        ];
        darwin-home-base = homeBundle [
          ./nix/modules/home/base.nix
          ./nix/modules/home/darwin.nix
        ];
      };

      devShells = forAllSystems (
        system: import ./nix/shells { pkgs = nixpkgs.legacyPackages.${system}; }
      );

      nixosConfigurations = {
        # Headless x86_64 NixOS VM for system tests (KVM on Linux and WSL2).
        generic-vm-headless-x86_64 = lib.mkGenericVm { arch = "x86_64"; };
        # x86_64 NixOS VM with a light desktop.
        generic-vm-gui-x86_64 = lib.mkGenericVm {
          arch = "x86_64";
          gui = true;
        };
        # Headless aarch64 NixOS VM; runs on Apple Silicon Macs (QEMU built
        # for the Mac; on an aarch64 Linux host set crossflake.vm.hostSystem = null).
        generic-vm-headless-aarch64 = lib.mkGenericVm {
          arch = "aarch64";
          hostSystem = "aarch64-darwin";
        };
        # aarch64 NixOS VM with a light desktop, for Apple Silicon Macs.
        generic-vm-gui-aarch64 = lib.mkGenericVm {
          arch = "aarch64";
          gui = true;
          hostSystem = "aarch64-darwin";
        };
      };

      # The image matrix (Linux systems) and, on every system, crossflake's
      # own CLI (nix/package.nix): `nix run github:OWNER/crossflake -- doctor`.
      packages = forAllSystems (system: (images.packages.${system} or { }) // cli.${system});

      apps = forAllSystems (
        system:
        let
          crossflake = {
            type = "app";
            program = "${cli.${system}.crossflake}/bin/crossflake";
          };
        in
        {
          inherit crossflake;
          default = crossflake;
        }
      );

      # Non-standard output read by the crossflake CLI with one
      # `nix eval --json .#crossflake.images`; it needs no nixpkgs.
      crossflake.images = images.images;

      formatter = forAllSystems (system: nixpkgs.legacyPackages.${system}.nixfmt-tree);

      checks = forAllSystems (
        system:
        import ./nix/checks.nix {
          inherit
            self
            nixpkgs
            home-manager
            nix-darwin
            nixos-wsl
            system
            ;
        }
      );

      templates = if builtins.pathExists ./nix/templates.nix then import ./nix/templates.nix else { };
    };
}
