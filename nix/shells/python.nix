{ pkgs, mkShell }:
mkShell {
  name = "python";
  description = "Python 3 with uv and ruff";
  packages = with pkgs; [
    python3
    ruff
    uv
  ];
}
