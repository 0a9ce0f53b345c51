// What CI needs to know about a flake: the names of its dev shells and checks
// per system, its templates, the image matrix (crossflake.images) and its
// NixOS, nix-darwin and home-manager configurations with the system each
// builds on. All of it comes from ONE `nix eval`, which lists attribute names,
// copies the image descriptions and reads each configuration's derivation
// `system` attribute, so no derivation is instantiated.
import { nixEvalExprJson, type NixCallOptions } from '../io/nix.js';

export interface ImageSpec {
  name: string;
  format: string;
  system: string;
  attr: string;
  kind: string;
  file: string | null;
  extension: string;
}

export type ConfigurationKind = 'nixos' | 'darwin' | 'home';

/** A configuration the team uses, and the system its top-level derivation builds on. */
export interface Configuration {
  kind: ConfigurationKind;
  name: string;
  system: string;
}

export interface FlakeOutputs {
  devShells: Record<string, string[]>;
  checks: Record<string, string[]>;
  templates: string[];
  images: ImageSpec[];
  configurations: Configuration[];
}

// The flake reference arrives through the environment (builtins.getEnv), so
// a path with quotes or `${` cannot change the expression.
export const FLAKE_REF_ENV = 'CROSSFLAKE_FLAKE_REF';
export const OUTPUTS_EXPR = `
let
  flake = builtins.getFlake (builtins.getEnv "${FLAKE_REF_ENV}");
  namesPerSystem = set: builtins.mapAttrs (_system: builtins.attrNames) set;
  image = i: {
    inherit (i) name format system attr;
    kind = i.kind or "derivation";
    file = i.file or null;
    extension = i.extension or null;
  };
  # The system attribute of the derivation is where it builds: the runner it needs.
  configs = kind: package: set: builtins.attrValues (builtins.mapAttrs
    (name: c: { inherit kind name; system = (package c).system; }) set);
in {
  devShells = namesPerSystem (flake.devShells or { });
  checks = namesPerSystem (flake.checks or { });
  templates = builtins.attrNames (flake.templates or { });
  images = map image ((flake.crossflake or { }).images or [ ]);
  configurations =
    configs "nixos" (c: c.config.system.build.toplevel) (flake.nixosConfigurations or { })
    ++ configs "darwin" (c: c.system) (flake.darwinConfigurations or { })
    ++ configs "home" (c: c.activationPackage) (flake.homeConfigurations or { });
}`;

export async function readFlakeOutputs(
  flakeRef: string,
  options: NixCallOptions = {},
): Promise<FlakeOutputs> {
  const raw = await nixEvalExprJson(OUTPUTS_EXPR, {
    ...options,
    env: { ...(options.env ?? process.env), [FLAKE_REF_ENV]: flakeRef },
  });
  return parseFlakeOutputs(raw);
}

/** Checks the shape of the eval result (recorded or live) and names what is off. */
export function parseFlakeOutputs(raw: unknown): FlakeOutputs {
  const o = raw as Partial<FlakeOutputs> | null;
  if (!o || typeof o !== 'object') throw new Error('flake outputs: expected an object');
  const perSystem = (v: unknown, what: string): Record<string, string[]> => {
    if (!v || typeof v !== 'object' || Array.isArray(v))
      throw new Error(`${what}: expected an object`);
    for (const [system, names] of Object.entries(v)) {
      if (!Array.isArray(names) || names.some((n) => typeof n !== 'string')) {
        throw new Error(`${what}.${system}: expected a list of names`);
      }
    }
    return v as Record<string, string[]>;
  };
  const images = Array.isArray(o.images) ? o.images : [];
  images.forEach((img, i) => {
    for (const key of ['name', 'format', 'system', 'attr'] as const) {
      if (typeof img?.[key] !== 'string' || img[key] === '') {
        throw new Error(`crossflake.images[${i}].${key}: expected a non-empty string`);
      }
    }
  });
  return {
    configurations: parseConfigurations(o.configurations ?? []),
    devShells: perSystem(o.devShells ?? {}, 'devShells'),
    checks: perSystem(o.checks ?? {}, 'checks'),
    templates: Array.isArray(o.templates) ? o.templates : [],
    images,
  };
}

const KINDS: readonly ConfigurationKind[] = ['nixos', 'darwin', 'home'];

function parseConfigurations(raw: unknown): Configuration[] {
  if (!Array.isArray(raw)) throw new Error('configurations: expected a list');
  return raw.map((c: Partial<Configuration> | null, i) => {
    if (!c || !KINDS.includes(c.kind as ConfigurationKind))
      throw new Error(`configurations[${i}].kind: expected one of ${KINDS.join(', ')}`);
    for (const key of ['name', 'system'] as const) {
      if (typeof c[key] !== 'string' || c[key] === '')
        throw new Error(`configurations[${i}].${key}: expected a non-empty string`);
    }
    return { kind: c.kind!, name: c.name!, system: c.system! };
  });
}
