# A NixOS evaluation without nixpkgs: the real module system (nixpkgs lib)
# over the transcriptions in ./transcriptions, the real assertions.nix and
# meta.nix (nixpkgs-subset), the recording stub for everything else, and the
# caller's modules. `nixosSystem` has the shape of nixpkgs'
# nixos/lib/eval-config.nix result: the evalModules result plus `pkgs`, and
# an `extendModules` that keeps both.
{
  lib,
  upstream,
  pkgsFor,
  # Top-level namespaces whose every declaration is loaded (see stub.nix).
  strict ? [
    "crossflake"
    "image"
    "isoImage"
    "sdImage"
  ],
}:
let
  harness = { inherit pkgsFor; };
  t = ./transcriptions;
  baseModules = [
    (import ./stub.nix { inherit lib strict; })
    "${upstream}/nixpkgs-subset/nixos/modules/misc/assertions.nix"
    (lib.setDefaultModuleLocation ./transcriptions/misc-nixpkgs.nix (import ./transcriptions/misc-nixpkgs.nix harness))
    ./transcriptions/misc-version.nix
    (lib.setDefaultModuleLocation ./transcriptions/top-level.nix (import ./transcriptions/top-level.nix harness))
    ./transcriptions/network-interfaces.nix
    ./transcriptions/sshd.nix
    ./transcriptions/users-groups.nix
    ./transcriptions/filesystems.nix
    ./transcriptions/grub.nix
    ./transcriptions/nix.nix
    ./transcriptions/xserver.nix
    ./transcriptions/images.nix
    ./transcriptions/build-vm.nix
    ./transcriptions/read-by-upstream.nix
  ];

  # Harness settings, not crossflake's: home-manager's manual pages import
  # its docs/ tree, which ../shared/upstream does not hold.
  harnessOnly =
    { options, ... }:
    {
      config =
        if options ? home-manager then
          { home-manager.sharedModules = [ { manual.manpages.enable = false; } ]; }
        else
          { };
    };

  withExtraAttrs =
    evaluated:
    evaluated
    // {
      inherit (evaluated._module.args) pkgs;
      extendModules = args: withExtraAttrs (evaluated.extendModules args);
    };

  nixosSystem =
    {
      modules,
      specialArgs ? { },
      ...
    }:
    withExtraAttrs (
      lib.evalModules {
        class = "nixos";
        specialArgs = {
          modulesPath = toString t;
        }
        // specialArgs;
        # Labelled, so the check can tell crossflake's definitions (in
        # anonymous modules) from upstream's.
        modules =
          baseModules
          ++ map (m: {
            _file = "crossflake:nixosSystem";
            imports = [ m ];
          }) modules
          ++ [
            # What the caller passed, for check.nix's probe (extensions of
            # this configuration, such as image variants, keep it).
            { _module.args.harnessCaller = { inherit modules specialArgs; }; }
            harnessOnly
          ];
      }
    );
in
{
  inherit nixosSystem baseModules harnessOnly;
  transcriptionsDir = toString t;
}
