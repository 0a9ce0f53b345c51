# Written by the harness runner as `default.nix` of the directory `pkgs.path`
# points at (next to nixpkgs-subset's nixos/ and modules/), so
# `import pkgs.path { system = ...; }` gives the stub set of that system.
# The runner replaces the @...@ placeholders.
{
  system ? "x86_64-linux",
  ...
}:
let
  lib = import "@upstream@/nixpkgs-lib/lib";
in
import "@harness@/stub-pkgs.nix" {
  inherit lib system;
  names = builtins.fromJSON (builtins.readFile "@names@");
  path = "@self@";
}
