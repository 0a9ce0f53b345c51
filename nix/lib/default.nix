# crossflake's Nix library (the flake's `lib` output). The pure parts
# (platforms, systems, imageFormats, imageMatrix) need no nixpkgs; mkImages
# and mkGenericVm need the flake inputs and are only forced when called.
{
  # Left as a thunk on purpose: forcing a flake input fetches it, and the
  # pure parts must work offline.
  nixpkgs ? throw "crossflake lib: mkImages and mkGenericVm need nixpkgs",
  nixosModules ? { },
}:
{
  platforms = import ./platforms.nix;
  systems = import ./systems.nix;
  imageFormats = import ./image-formats.nix;
  imageMatrix = import ./image-matrix.nix;

  mkImages = import ./mk-images.nix {
    inherit nixpkgs nixosModules;
  };
  mkGenericVm = import ./mk-generic-vm.nix {
    inherit nixpkgs nixosModules;
  };
}
