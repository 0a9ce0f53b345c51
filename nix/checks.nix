# `checks.<system>`: evaluate every exported module against a minimal
# configuration. Each check is a tiny text file holding the drvPath of what
# the module produces, so `nix flake check` evaluates everything (type
# errors, missing options, failed assertions) without building a system.
# They need nixpkgs, so they run on a user's machine or in CI, not here.
{
  self,
  nixpkgs,
  home-manager,
  nix-darwin,
  system,
}:
let
  inherit (nixpkgs) lib;
  pkgs = nixpkgs.legacyPackages.${system};
  # builtins only: the check names must be listable without nixpkgs
  # (`crossflake ci` reads them with one offline-friendly `nix eval`).
  isLinux = builtins.match ".*-linux" system != null;
  arch = builtins.head (builtins.match "([^-]+)-.*" system);

  evaluated =
    name: drv:
    pkgs.writeText "crossflake-check-${name}" (builtins.unsafeDiscardStringContext drv.drvPath);

  minimalNixos = {
    nixpkgs.hostPlatform = system;
    system.stateVersion = "26.05";
    fileSystems."/" = {
      device = "/dev/disk/by-label/nixos";
      fsType = "ext4";
    };
    boot.loader.grub.device = "nodev";
  };

  nixos =
    name: modules:
    evaluated "nixos-${name}"
      (lib.nixosSystem { modules = modules ++ [ minimalNixos ]; }).config.system.build.toplevel;

  user = "crossflake-check";
  home =
    name: modules:
    evaluated "home-${name}"
      (home-manager.lib.homeManagerConfiguration {
        inherit pkgs;
        modules = modules ++ [
          {
            home.username = user;
            home.homeDirectory = if isLinux then "/home/${user}" else "/Users/${user}";
            home.stateVersion = "26.05";
          }
        ];
      }).activationPackage;

  linuxChecks = {
    nixos-base = nixos "base" [ self.nixosModules.base ];
    nixos-vm = nixos "vm" [ self.nixosModules.vm ];
    nixos-gui = nixos "gui" [ self.nixosModules.gui ];
    # NixOS-WSL brings its own boot and file systems: no minimal extras.
    nixos-wsl = evaluated "nixos-wsl"
      (lib.nixosSystem {
        modules = [
          self.nixosModules.wsl
          {
            nixpkgs.hostPlatform = system;
            system.stateVersion = "26.05";
          }
        ];
      }).config.system.build.toplevel;
    home-wsl = home "wsl" [ self.homeModules.wsl ];
    home-linux = home "linux" [ self.homeModules.linux ];
    vm-headless = evaluated "vm-headless"
      self.nixosConfigurations."generic-vm-headless-${arch}".config.system.build.vm;
  };

  darwinChecks = {
    darwin-base = evaluated "darwin-base"
      (nix-darwin.lib.darwinSystem {
        modules = [
          self.darwinModules.base
          { crossflake.darwin.hostPlatform = system; }
        ];
      }).system;
    home-darwin = home "darwin" [ self.homeModules.darwin ];
  };
in
{
  home-base = home "base" [ self.homeModules.base ];
}
// (if isLinux then linuxChecks else darwinChecks)
