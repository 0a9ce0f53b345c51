# The plain-data description of an image matrix: which images one
# configuration becomes, and where each artifact lands. It uses builtins only
# (no nixpkgs), so it evaluates offline with `nix-instantiate --eval`, and the
# CLI reads it as the flake output `crossflake.images`.
#
#   imageMatrix { name = "company-nixos"; formats = [ "wsl" "qcow2" ];
#                 systems = [ "x86_64-linux" ]; }
#   => [ { name format system attr kind file extension } ... ]
#
# A (format, system) pair the format cannot be built for (sd-card on x86_64,
# virtualbox on aarch64) is left out; a format none of the requested systems
# can build is an error, as is an unknown format or system.
{
  name,
  formats,
  systems,
  # Accepted so callers can pass mkImages' arguments through unchanged; the
  # version names release files, not store paths, so it is not part of this.
  version ? null,
  ...
}:
let
  known = import ./image-formats.nix;
  knownFormats = builtins.attrNames known;
  knownSystems = [
    "x86_64-linux"
    "aarch64-linux"
  ];

  fail = msg: throw "crossflake.lib.mkImages: ${msg}";
  list = xs: builtins.concatStringsSep ", " xs;

  # Names become attribute names and file names: keep them boring.
  checkedName =
    if !(builtins.isString name) then
      fail "name must be a string"
    else if builtins.match "[A-Za-z0-9][A-Za-z0-9_-]*" name == null then
      fail "name \"${name}\" must start with a letter or digit and contain only letters, digits, '-' and '_'"
    else
      name;

  checkList =
    what: valid: xs:
    if !(builtins.isList xs) || xs == [ ] then
      fail "${what}s must be a non-empty list; valid ${what}s: ${list valid}"
    else
      map (
        x:
        if builtins.elem x valid then
          x
        else
          fail "unknown ${what} \"${toString x}\"; valid ${what}s: ${list valid}"
      ) xs;

  # Keep the caller's order, drop repeats.
  unique = builtins.foldl' (acc: x: if builtins.elem x acc then acc else acc ++ [ x ]) [ ];

  wantedFormats = unique (checkList "format" knownFormats formats);
  wantedSystems = unique (checkList "system" knownSystems systems);

  buildable = format: system: builtins.elem system known.${format}.systems;

  # A format the caller asked for must produce at least one image.
  checkedFormats = map (
    format:
    if builtins.any (buildable format) wantedSystems then
      format
    else
      fail "format \"${format}\" cannot be built for ${list wantedSystems}; it supports ${list known.${format}.systems}"
  ) wantedFormats;

  entry =
    system: format:
    let
      spec = known.${format};
      base = "${checkedName}-${format}";
    in
    {
      name = checkedName;
      inherit format system;
      attr = "packages.${system}.${base}";
      inherit (spec) kind extension;
      file = spec.file base;
    };
in
builtins.concatMap (
  system: map (entry system) (builtins.filter (f: buildable f system) checkedFormats)
) wantedSystems
