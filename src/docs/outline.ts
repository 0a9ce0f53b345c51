// What a flake exports, read with ONE `nix eval`: the names of its modules,
// configurations, dev shells and templates with the source position of each
// binding, and the image matrix. Only names and positions are forced, so this
// works offline as long as listing the names needs no input (crossflake's own
// flake is written that way).
import { nixEvalExprJson, type NixCallOptions } from '../io/nix.js';

export const MODULE_GROUPS = [
  'nixosModules',
  'darwinModules',
  'homeModules',
  'homeManagerModules',
] as const;
export const CONFIG_GROUPS = [
  'nixosConfigurations',
  'darwinConfigurations',
  'homeConfigurations',
] as const;
export type ModuleGroup = (typeof MODULE_GROUPS)[number];
export type ConfigGroup = (typeof CONFIG_GROUPS)[number];

export interface Position {
  file: string;
  line: number;
}

export interface RawOutline {
  groups: Record<ModuleGroup | ConfigGroup, Record<string, Position | null>>;
  devShells: Record<string, Record<string, Position | null>>;
  packages: Record<string, Record<string, Position | null>>;
  templates: Record<string, { description: string; pos: Position | null }>;
  images: { name: string; format: string; system: string; attr: string }[];
}

// The flake reference comes in through the environment, never spliced into
// the expression.
const REF_ENV = 'CROSSFLAKE_FLAKE_REF';
const OUTLINE_EXPR = `
let
  flake = builtins.getFlake (builtins.getEnv "${REF_ENV}");
  pos = set: name: let p = builtins.unsafeGetAttrPos name set; in
    if p == null then null else { inherit (p) file line; };
  named = set: builtins.mapAttrs (n: _: pos set n) set;
  group = g: if flake ? \${g} then named flake.\${g} else { };
  groups = builtins.listToAttrs (map (g: { name = g; value = group g; }) [
    ${[...MODULE_GROUPS, ...CONFIG_GROUPS].map((g) => `"${g}"`).join(' ')}
  ]);
in {
  inherit groups;
  devShells = builtins.mapAttrs (_: named) (flake.devShells or { });
  packages = builtins.mapAttrs (_: named) (flake.packages or { });
  templates = builtins.mapAttrs (n: t: {
    description = t.description or "";
    pos = pos flake.templates n;
  }) (flake.templates or { });
  images = map (i: { inherit (i) name format system attr; }) ((flake.crossflake or { }).images or [ ]);
}`;

export async function readOutline(
  flakeRef: string,
  options: NixCallOptions = {},
): Promise<RawOutline> {
  return nixEvalExprJson<RawOutline>(OUTLINE_EXPR, {
    ...options,
    env: { ...(options.env ?? process.env), [REF_ENV]: flakeRef },
  });
}

/** Store paths of the flake's source ("/nix/store/<hash>-source/x") back to repo paths ("x"). */
export function repoRelative(file: string): string {
  const m = /^\/nix\/store\/[a-z0-9]{32}-[^/]+\/(.*)$/.exec(file);
  return m ? m[1]! : file;
}
