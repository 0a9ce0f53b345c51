# A crossflake template rendered with one parameter set, the way
# `crossflake init` renders it (src/templates/render.ts): the same
# placeholders, the same escaping of free text in .nix files, the same file
# renames and pruned paths. builtins only, so check names stay listable
# without nixpkgs; a test compares the texts with the TypeScript renderer's.
#
#   render { dir = ../templates/team; values = { teamName = "acme"; ... }; }
#   => { spec; values; files = { "<rendered path>" = "<text>"; ... }; }
{ dir, values }:
let
  inherit (builtins)
    attrNames
    concatMap
    filter
    fromJSON
    length
    listToAttrs
    match
    readDir
    readFile
    replaceStrings
    sort
    stringLength
    ;

  spec = fromJSON (readFile (dir + "/template.json"));
  specFile = "template.json";

  # Missing values take the parameter's default, as init's checkAll does.
  valueOf = param: values.${param.name} or param.default;
  filled = listToAttrs (
    map (param: {
      inherit (param) name;
      value = valueOf param;
    }) spec.parameters
  );

  # Longest placeholder first, so one that contains another wins (the sort
  # is stable, like Array.prototype.sort).
  substitutions = sort (a: b: stringLength a.placeholder > stringLength b.placeholder) (
    map (
      param:
      let
        value = valueOf param;
      in
      if builtins.isString value then
        {
          inherit param value;
          inherit (param) placeholder;
        }
      else
        throw "template ${spec.name}: parameter '${param.name}' has no text value to render"
    ) (filter (param: param ? placeholder) spec.parameters)
  );

  # The inside of a Nix double-quoted string (render.ts escapeNixString).
  escapeNix = replaceStrings [ "\\" "\"" "\${" ] [ "\\\\" "\\\"" "\\\${" ];

  inherit (import ./strings.nix) contains endsWith startsWith;

  replaceWith = encode: replaceStrings (map (s: s.placeholder) substitutions) (map encode substitutions);

  renderFile =
    path: text:
    if endsWith ".nix" path then
      replaceWith (s: if s.param.freeText or false then escapeNix s.value else s.value) text
    else
      let
        misplaced = filter (s: (s.param.freeText or false) && contains s.placeholder text) substitutions;
      in
      if misplaced != [ ] then
        throw "template ${spec.name}: ${path}: free-text parameter '${(builtins.head misplaced).param.name}' may only appear in .nix files"
      else
        replaceWith (s: s.value) text;

  # A value that becomes part of a file name must be one plain name.
  safeSegment = value: match "[A-Za-z0-9][A-Za-z0-9._+-]*" value != null && !(contains ".." value);
  renderPath =
    path:
    let
      unsafe = filter (s: contains s.placeholder path && !(safeSegment s.value)) substitutions;
    in
    if unsafe != [ ] then
      throw "template ${spec.name}: parameter '${(builtins.head unsafe).param.name}' names a path in the template (${path}) and must be a plain file name"
    else
      replaceWith (s: s.value) path;

  pruned = concatMap (param: param.prunes or [ ]) (
    filter (param: param.type == "boolean" && valueOf param == false) spec.parameters
  );
  isUnder = path: builtins.any (prefix: path == prefix || startsWith "${prefix}/" path) pruned;

  # Regular files only (init's loader skips links), without template.json.
  walk =
    base: prefix:
    let
      entries = readDir base;
    in
    concatMap (
      name:
      let
        rel = prefix + name;
        type = entries.${name};
      in
      if type == "directory" then
        walk (base + "/${name}") "${rel}/"
      else if type == "regular" && rel != specFile then
        [ rel ]
      else
        [ ]
    ) (attrNames entries);

  kept = filter (path: !(isUnder path)) (walk dir "");
in
assert length kept > 0 || throw "template ${spec.name}: no files";
{
  inherit spec;
  values = filled;
  files = listToAttrs (
    map (path: {
      name = renderPath path;
      value = renderFile path (readFile (dir + "/${path}"));
    }) kept
  );
}
