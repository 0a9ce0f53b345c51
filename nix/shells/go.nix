{ pkgs, mkShell }:
mkShell {
  name = "go";
  description = "Go with gopls, delve and golangci-lint";
  needsCompiler = true;
  packages = with pkgs; [
    delve
    go
    golangci-lint
    gopls
  ];
}
