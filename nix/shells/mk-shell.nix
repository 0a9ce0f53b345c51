# One way to make every dev shell: headless packages only, no shellHook.
# The welcome text travels in an environment variable (a prompt or `direnv`
# can show it) and in meta.description (`nix flake show` shows that).
{ pkgs }:
{
  name,
  description,
  packages,
  # Toolchains that link native code (Rust, cgo) need a C compiler.
  needsCompiler ? false,
}:
let
  mk = if needsCompiler then pkgs.mkShell else pkgs.mkShellNoCC;
in
mk {
  name = "crossflake-${name}";
  inherit packages;
  CROSSFLAKE_SHELL = name;
  CROSSFLAKE_WELCOME = "crossflake ${name} shell: ${description}";
  meta.description = "crossflake ${name} shell: ${description}";
}
