# The configurations each template makes, as `crossflake init --test` makes
# them: every sample parameter set of every template, rendered by init into
# nix/checks/samples/<template>-<index>/ (scripts/render-samples.mjs; a test
# keeps them current), its flake evaluated with this flake's inputs. Files of
# the flake's own source, because a file written to the store during
# evaluation cannot be imported under `nix flake check --no-build` (see the
# script). The result lists, for one system, every configuration of the
# samples whose `system` is that system. Names and placement use builtins
# only (check names stay listable without nixpkgs); the values are the
# unevaluated configurations.
#
#   import ./template-configs.nix { templates; samples; inputs; shared; } "x86_64-linux"
#   => { "template-<template>-<sample>-<kind>-<name>" = { kind; value; }; ... }
#   kind: nixos | darwin | home | package; a flake shipped inside a template
#   (team's templates/colleague) adds its folder name after the sample index.
{
  # The flake's `templates` output (name -> { path; ... }).
  templates,
  # The folder of rendered samples (./samples).
  samples,
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

  # The flakes below a sample's top folder (the team template's colleague
  # flake): the relative paths of every flake.nix under `dir`.
  nestedFlakes =
    dir: prefix:
    let
      entries = builtins.readDir dir;
    in
    concatMap (
      name:
      if entries.${name} != "directory" then
        [ ]
      else
        (if (builtins.readDir (dir + "/${name}")) ? "flake.nix" then [ "${prefix}${name}" ] else [ ])
        ++ nestedFlakes (dir + "/${name}") "${prefix}${name}/"
    ) (attrNames entries);

  sampleConfigs =
    templateName: spec: index: sample:
    let
      where = "template ${templateName} sample ${toString index}";
      dir = samples + "/${templateName}-${toString index}";
      prefix = "template-${templateName}-${toString index}";
      # The sample's system, else the template's default (as init fills it).
      systemParam = filter (p: p.name == "system") spec.parameters;
      sampleSystem = sample.system or (builtins.head systemParam).default;
      top = evalFlake where null (dir + "/flake.nix");
      nested = map (
        folder:
        configsOf "${prefix}-${baseNameOf folder}" (
          evalFlake "${where}: ${folder}/flake.nix" top (dir + "/${folder}/flake.nix")
        )
      ) (nestedFlakes dir "");
    in
    if systemParam == [ ] then
      throw "crossflake checks: template ${templateName} has no 'system' parameter, so its checks have no system"
    else if !(builtins.pathExists (dir + "/flake.nix")) then
      throw "crossflake checks: ${where} is not rendered in nix/checks/samples (run: npm run build && node scripts/render-samples.mjs)"
    else if sampleSystem != system then
      [ ]
    else
      configsOf prefix top ++ concatLists nested;

  templateConfigs =
    templateName:
    let
      dir = templates.${templateName}.path;
      spec = builtins.fromJSON (builtins.readFile (dir + "/template.json"));
    in
    concatLists (genList (i: sampleConfigs templateName spec i (elemAt spec.samples i)) (length spec.samples));
in
listToAttrs (concatMap templateConfigs (attrNames templates))
