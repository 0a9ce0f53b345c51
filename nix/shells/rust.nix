{ pkgs, mkShell }:
mkShell {
  name = "rust";
  description = "rustc, cargo, clippy, rustfmt and rust-analyzer";
  needsCompiler = true;
  packages = with pkgs; [
    cargo
    clippy
    rust-analyzer
    rustc
    rustfmt
  ];
}
