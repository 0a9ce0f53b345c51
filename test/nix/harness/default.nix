# The offline evaluation harness: evaluates every output of crossflake's
# flake.nix (and of each template's flake.nix) with the real nixpkgs lib, the
# real home-manager, nix-darwin and NixOS-WSL module trees, the
# transcriptions of nixpkgs' NixOS modules (./transcriptions) and a stub
# `pkgs`, and returns one summary per output:
#   { name; kind; ok; error?; real = [paths]; transcribed = [paths]; stubbed = [paths]; ... }
# Run by test/nix/harness.test.ts (which also finds the package names).
{
  # Root of the crossflake checkout under test (a path or string).
  root,
  # ../shared/upstream
  upstream,
  # Directory `pkgs.path` points at (see pkgs-path-default.nix).
  pkgsPath,
}:
let
  lib = import "${upstream}/nixpkgs-lib/lib";
  pkgsFor = system: import pkgsPath { inherit system; };
  nixos = import ./nixos.nix { inherit lib upstream pkgsFor; };
  inputs = import ./inputs.nix {
    inherit lib upstream pkgsFor;
    inherit (nixos) nixosSystem;
    nixosHarnessOnly = nixos.harnessOnly;
  };
  check = import ./check.nix {
    inherit lib upstream;
    root = toString root;
    transcriptions = nixos.transcriptionsDir;
  };
  outputs = import ./outputs.nix {
    inherit lib check inputs root;
  };
in
outputs
