# A rendered template (render-template.nix's `files`) as Nix values, with
# builtins only: every file goes to the store with builtins.toFile, and each
# relative path literal in a .nix file (`./home.nix`, `./hosts/ada`) is
# rewritten to the store file it names in the rendered tree. So the rendered
# flake.nix imports exactly the rendered files, as in a directory that
# `crossflake init` wrote, without a build (no import from derivation).
#
# A reference to a directory becomes its default.nix; to a pruned or missing
# path, a path below a store *file*, which therefore never exists (so
# `builtins.pathExists ./home.nix` is false, as after init); to a directory
# without default.nix, an error raised only if the value is used.
#
#   materialize { name = "team-0"; files = { ... }; }
#   => { "<rendered path>" = "/nix/store/...-<base name>"; ... }  (strings with context)
{ name, files }:
let
  inherit (builtins)
    attrNames
    concatStringsSep
    elemAt
    filter
    foldl'
    genList
    isList
    length
    mapAttrs
    split
    stringLength
    substring
    toFile
    ;

  inherit (import ./strings.nix) startsWith endsWith;
  paths = attrNames files;

  segments = path: filter (s: builtins.isString s && s != "" && s != ".") (split "/" path);
  # Resolves `ref` (./x or ../x) against the directory of the file `from`.
  resolve =
    from: ref:
    let
      dirSegments = let s = segments from; in genList (i: elemAt s i) (length s - 1);
      step =
        acc: seg:
        if seg == ".." then
          (if acc == [ ] then throw "${name}: ${from}: ${ref} leaves the template" else genList (i: elemAt acc i) (length acc - 1))
        else
          acc ++ [ seg ];
    in
    concatStringsSep "/" (foldl' step dirSegments (segments ref));

  isDirectory = path: builtins.any (p: startsWith "${path}/" p) paths;

  # A store file, so nothing can exist below it.
  absent = toFile "crossflake-check-pruned" "Stands for files that the rendered template does not have.\n";

  target =
    from: ref:
    let
      path = resolve from ref;
    in
    if files ? ${path} then
      "${stored.${path}}"
    else if files ? "${path}/default.nix" then
      "${stored."${path}/default.nix"}"
    else if isDirectory path then
      "(throw \"crossflake checks: ${name}: ${from} names the directory ${path}, which a rendered template cannot hold in the store\")"
    else
      "${absent}/${path}";

  # A path literal starts after a character that cannot be part of one.
  literal = "([^A-Za-z0-9._/+~-])(\\.\\.?(/[A-Za-z0-9._+-]+)+)";
  rewrite =
    from: text:
    let
      parts = split literal "\n${text}";
      piece = part: if isList part then elemAt part 0 + target from (elemAt part 1) else part;
      joined = concatStringsSep "" (map piece parts);
    in
    substring 1 (stringLength joined - 1) joined;

  # Store names may not start with a dot (.envrc, .hidden.nix).
  storeName =
    path:
    let
      s = segments path;
      base = elemAt s (length s - 1);
    in
    if substring 0 1 base == "." then "_${base}" else base;

  stored = mapAttrs (
    path: text: toFile (storeName path) (if endsWith ".nix" path then rewrite path text else text)
  ) files;
in
stored
