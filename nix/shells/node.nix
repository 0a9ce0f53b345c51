{ pkgs, mkShell }:
mkShell {
  name = "node";
  description = "Node.js with pnpm";
  packages = with pkgs; [
    nodejs
    pnpm_10
  ];
}
