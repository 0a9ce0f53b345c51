// What CI needs to know about a flake: the names of its dev shells and checks
// per system, its templates, and the image matrix (crossflake.images). All of
// it comes from ONE `nix eval`, which only lists attribute names and copies
// the image descriptions, so no derivation is instantiated.
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

export interface FlakeOutputs {
  devShells: Record<string, string[]>;
  checks: Record<string, string[]>;
  templates: string[];
  images: ImageSpec[];
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
in {
  devShells = namesPerSystem (flake.devShells or { });
  checks = namesPerSystem (flake.checks or { });
  templates = builtins.attrNames (flake.templates or { });
  images = map image ((flake.crossflake or { }).images or [ ]);
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
    devShells: perSystem(o.devShells ?? {}, 'devShells'),
    checks: perSystem(o.checks ?? {}, 'checks'),
    templates: Array.isArray(o.templates) ? o.templates : [],
    images,
  };
}
