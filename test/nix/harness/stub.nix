# The permissive stub: the root free-form type of a harness NixOS
# evaluation. Every definition that no loaded declaration (real upstream or
# transcription) matched lands here; the stub accepts it, merges it like
# `anything`, and records the option paths it received, so the report can
# say what was NOT checked. A path under a namespace whose declarations are
# all loaded (`strict`, e.g. crossflake.*, wsl.*) is an undeclared option:
# the stub throws, naming it, as the real module system would.
{ lib, strict }:
let
  # Option paths below one definition value: descend through plain
  # attribute sets, look through mkIf and mkMerge, stop at priorities, derivations
  # and anything that is not an attribute set.
  leafPaths =
    prefix: value:
    if builtins.isAttrs value && value ? _type then
      # Inside mkIf: its content is usually a set literal. Priorities
      # (mkDefault ...) and orders end the path: their content is often
      # computed from `config`, which this walk must not force.
      if value._type == "if" then
        leafPaths prefix value.content
      else if value._type == "merge" then
        lib.concatMap (leafPaths prefix) value.contents
      else
        [ prefix ]
    else if builtins.isAttrs value && !(lib.isDerivation value) && value != { } then
      lib.concatLists (lib.mapAttrsToList (name: v: leafPaths (prefix ++ [ name ]) v) value)
    else
      [ prefix ];

  # `anything`, but lazy in attribute names all the way down and
  # concatenating lists: a stubbed
  # `nix.gc = mkIf (config.nix.enable ...) { ... }` must not evaluate its
  # condition just to list `config.nix` (types.anything would, through
  # attrsOf, and recurse).
  lazyAnything = lib.mkOptionType {
    name = "harness-lazy-anything";
    description = "anything (lazy)";
    check = _: true;
    merge =
      loc: defs:
      if builtins.all (def: builtins.isAttrs def.value && !(lib.isDerivation def.value)) defs then
        (lib.types.lazyAttrsOf lazyAnything).merge loc defs
      # Lists concatenate, as almost every list option of NixOS does
      # (environment.systemPackages, ...).
      else if builtins.all (def: builtins.isList def.value) defs then
        lib.concatMap (def: def.value) defs
      else
        lib.types.anything.merge loc defs;
  };

  recording = lib.mkOptionType {
    name = "harness-stub";
    description = "anything (harness stub: not checked against a declaration)";
    check = builtins.isAttrs;
    merge =
      loc: defs:
      let
        # Only the first name of each definition: the rest may depend on
        # `config`, which is being computed while this merge runs.
        undeclared = builtins.filter (
          def: builtins.any (name: builtins.elem name strict) (builtins.attrNames def.value)
        ) defs;
        first = builtins.head (
          builtins.filter (r: builtins.elem (builtins.head r.path) strict) (
            lib.concatMap (def: map (path: { inherit path; inherit (def) file; }) (leafPaths [ ] def.value)) undeclared
          )
        );
      in
      if undeclared != [ ] then
        throw "The option `${lib.showOption first.path}' does not exist. Definition values:\n- In `${first.file}'"
      else
        (lib.types.lazyAttrsOf lazyAnything).merge loc defs
        // {
          # Per definition, so a reader can keep only crossflake's before
          # anything inside upstream's values is forced.
          harnessStubbed = map (def: {
            inherit (def) file;
            paths = map lib.showOption (leafPaths [ ] def.value);
          }) defs;
        };
  };
in
{
  freeformType = recording;
}
