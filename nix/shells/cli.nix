{ pkgs, mkShell }:
mkShell {
  name = "cli";
  description = "git, jq, ripgrep, fd, shellcheck and nixfmt";
  packages = with pkgs; [
    curl
    fd
    git
    gnumake
    jq
    nixfmt
    ripgrep
    shellcheck
  ];
}
