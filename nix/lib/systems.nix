# The systems the flake's per-system outputs cover. Derived from the support
# matrix so a new row there shows up here; x86_64-darwin stays while
# nixpkgs 26.05 still builds it (it is marked deprecated in the matrix).
let
  platforms = import ./platforms.nix;
  unique = builtins.foldl' (acc: x: if builtins.elem x acc then acc else acc ++ [ x ]) [ ];
  all = unique (map (row: row.nixSystem) platforms.rows);
  isLinux = system: builtins.match ".*-linux" system != null;
in
{
  inherit all;
  linux = builtins.filter isLinux all;
  darwin = builtins.filter (system: !(isLinux system)) all;
}
