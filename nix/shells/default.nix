# The dev shells, one file each; `default` is the CLI shell.
{ pkgs }:
let
  mkShell = import ./mk-shell.nix { inherit pkgs; };
  shell = file: import file { inherit pkgs mkShell; };
  shells = {
    cli = shell ./cli.nix;
    go = shell ./go.nix;
    node = shell ./node.nix;
    python = shell ./python.nix;
    rust = shell ./rust.nix;
  };
in
shells // { default = shells.cli; }
