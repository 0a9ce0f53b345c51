# `checks.<system>`: evaluate everything that can be built on that system.
# Each check is a tiny text file holding the drvPath of what it covers, so
# `nix flake check` evaluates it all (type errors, missing options, failed
# assertions, conflicting definitions) without building a system:
#   - every exported module against a minimal configuration;
#   - every image package of packages.<system> (image-<package>);
#   - every generic VM whose runner is built for this system
#     (vm-headless, vm-gui; see checks/generic-vms.nix);
#   - every configuration the templates make from their sample parameters,
#     rendered by `crossflake init` into checks/samples/
#     (template-<name>-<sample>-...; see checks/template-configs.nix).
# They need nixpkgs, so they run on a user's machine or in CI, not here.
{
  self,
  nixpkgs,
  home-manager,
  nix-darwin,
  # For templates that name it; the flake's own modules bring it in already.
  nixos-wsl,
  system,
}:
let
  inherit (nixpkgs) lib;
  pkgs = nixpkgs.legacyPackages.${system};
  # builtins only from here to `in`: the check names must be listable
  # without nixpkgs (`crossflake ci` reads them with one offline-friendly
  # `nix eval`); nixpkgs is touched only inside the values.
  isLinux = builtins.match ".*-linux" system != null;
  prefixed =
    prefix: f: set:
    builtins.listToAttrs (
      map (name: {
        name = "${prefix}${name}";
        value = f name set.${name};
      }) (builtins.attrNames set)
    );

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

  moduleChecks = {
    home-base = home "base" [ self.homeModules.base ];
  }
  // (if isLinux then linuxChecks else darwinChecks);

  # crossflake's own CLI (packages.<system>.crossflake, default) is not an
  # image: `nix flake check` evaluates it as a package already.
  imageChecks = prefixed "image-" (name: evaluated "image-${name}") (
    removeAttrs (self.packages.${system} or { }) [
      "crossflake"
      "default"
    ]
  );

  # The VM's runner is what runs on the host: its package set must be this
  # system's, or the check evaluates a VM for another machine.
  vmCheck =
    name: entry:
    let
      configuration = self.nixosConfigurations.${entry.config};
      vm =
        if entry ? hostSystem then
          configuration.extendModules {
            modules = [ { crossflake.vm.hostSystem = entry.hostSystem; } ];
          }
        else
          configuration;
      runnerSystem = vm.config.virtualisation.vmVariant.virtualisation.host.pkgs.stdenv.hostPlatform.system;
    in
    if runnerSystem != system then
      throw "checks.${system}.${name}: the runner of ${entry.config} is built for ${runnerSystem}, not ${system} (see nix/checks/generic-vms.nix)"
    else
      evaluated name vm.config.system.build.vm;
  vmChecks = builtins.mapAttrs vmCheck ((import ./checks/generic-vms.nix).${system} or { });

  templateChecks =
    builtins.mapAttrs
      (
        name: entry:
        evaluated name (
          {
            nixos = entry.value.config.system.build.toplevel;
            darwin = entry.value.system;
            home = entry.value.activationPackage;
            package = entry.value;
          }
          .${entry.kind}
        )
      )
      (
        import ./checks/template-configs.nix {
          templates = self.templates or { };
          samples = ./checks/samples;
          inputs = {
            inherit
              nixpkgs
              home-manager
              nix-darwin
              nixos-wsl
              ;
          };
          shared = self;
        } system
      );
in
moduleChecks // imageChecks // vmChecks // templateChecks
