# The configurations each template makes, as `crossflake init --test` makes
# them: every sample parameter set of every template is rendered
# (render-template.nix), put in the store (materialize.nix) and its flake
# evaluated with this flake's inputs. The result lists, for one system, every
# configuration of the samples whose `system` is that system. Names and
# placement use builtins only (check names stay listable without nixpkgs);
# the values are the unevaluated configurations.
#
#   import ./template-configs.nix { templates; inputs; shared; } "x86_64-linux"
#   => { "template-<template>-<sample>-<kind>-<name>" = { kind; value; }; ... }
#   kind: nixos | darwin | home | package; a flake shipped inside a template
#   (team's templates/colleague) adds its folder name after the sample index.
{
  # The flake's `templates` output (name -> { path; ... }).
  templates,
  # Inputs a template may name, given as they are: nixpkgs, home-manager, ...
  inputs,
  # What a template builds on (its `shared` or `crossflake` input).
  shared,
}:
system:
let
  inherit (builtins)
    attrNames
    concatLists
    concatMap
    elemAt
    filter
    genList
    length
    listToAttrs
    mapAttrs
    split
    ;

  sharedNames = [
    "shared"
    "crossflake"
  ];

  # A flake shipped inside a rendered template builds on the flake it ships
  # in (its one input with a url); `follows` inputs resolve by their last name.
  inputFor =
    where: parent: name: declared:
    if inputs ? ${name} then
      inputs.${name}
    else if builtins.elem name sharedNames then
      shared
    else if parent != null && declared ? url then
      parent
    else
      throw "crossflake checks: ${where} has the input '${name}', which the checks cannot provide";

  evalFlake =
    where: parent: file:
    let
      flake = import file;
      given = mapAttrs (inputFor where parent) (flake.inputs or { });
      outputs = flake.outputs (given // { self = outputs; });
    in
    outputs;

  kinds = {
    nixos = "nixosConfigurations";
    darwin = "darwinConfigurations";
    home = "homeConfigurations";
  };

  configsOf =
    prefix: outputs:
    concatMap (
      kind:
      map (name: {
        name = "${prefix}-${kind}-${name}";
        value = {
          inherit kind;
          value = outputs.${kinds.${kind}}.${name};
        };
      }) (attrNames (outputs.${kinds.${kind}} or { }))
    ) (attrNames kinds)
    ++ map (name: {
      name = "${prefix}-package-${name}";
      value = {
        kind = "package";
        value = outputs.packages.${system}.${name};
      };
    }) (attrNames ((outputs.packages or { }).${system} or { }));

  segments = path: filter (s: builtins.isString s && s != "") (split "/" path);
  nestedFlakes =
    files:
    filter ((import ./strings.nix).endsWith "/flake.nix") (attrNames files);

  sampleConfigs =
    templateName: dir: index: sample:
    let
      rendered = import ./render-template.nix {
        inherit dir;
        values = sample;
      };
      where = "template ${templateName} sample ${toString index}";
      stored = import ./materialize.nix {
        name = "${templateName}-${toString index}";
        inherit (rendered) files;
      };
      prefix = "template-${templateName}-${toString index}";
      top = evalFlake where null stored."flake.nix";
      nested = map (
        path:
        let
          s = segments path;
          folder = elemAt s (length s - 2);
        in
        configsOf "${prefix}-${folder}" (evalFlake "${where}: ${path}" top stored.${path})
      ) (nestedFlakes rendered.files);
    in
    if !(rendered.values ? system) then
      throw "crossflake checks: template ${templateName} has no 'system' parameter, so its checks have no system"
    else if rendered.values.system != system then
      [ ]
    else
      configsOf prefix top ++ concatLists nested;

  templateConfigs =
    templateName:
    let
      dir = templates.${templateName}.path;
      spec = builtins.fromJSON (builtins.readFile (dir + "/template.json"));
    in
    concatLists (genList (i: sampleConfigs templateName dir i (elemAt spec.samples i)) (length spec.samples));
in
listToAttrs (concatMap templateConfigs (attrNames templates))
