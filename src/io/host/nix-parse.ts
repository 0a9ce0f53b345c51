// Parses `nix config show --json` / `nix show-config --json` into the few
// settings crossflake decides on.
import type { NixConfigFacts } from './facts.js';

/**
 * Nix 2.8 printed experimental-features as enum ordinals; this is that enum's
 * order (verified by setting each feature on nix 2.8.0 and reading it back).
 */
const NIX_2_8_FEATURES = [
  'ca-derivations',
  'impure-derivations',
  'flakes',
  'nix-command',
  'recursive-nix',
  'no-url-literals',
  'fetch-closure',
];

type RawConfig = Record<string, unknown>;

function valueOf(raw: RawConfig, key: string): unknown {
  const entry = raw[key];
  // Nix >= 2.4 wraps each setting as { value, defaultValue, description, ... }.
  if (entry !== null && typeof entry === 'object' && !Array.isArray(entry) && 'value' in entry) {
    return (entry as { value: unknown }).value;
  }
  return entry;
}

function stringList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string') return value.split(/\s+/).filter(Boolean);
  return [];
}

function featureList(value: unknown): string[] {
  if (!Array.isArray(value)) return stringList(value);
  return value.map((v) =>
    typeof v === 'number' ? (NIX_2_8_FEATURES[v] ?? `feature-${v}`) : String(v),
  );
}

export function parseNixConfig(json: string): NixConfigFacts {
  const raw = JSON.parse(json) as RawConfig;
  const maxJobs = valueOf(raw, 'max-jobs');
  const system = valueOf(raw, 'system');
  const sandbox = valueOf(raw, 'sandbox');
  return {
    experimentalFeatures: featureList(valueOf(raw, 'experimental-features')),
    substituters: stringList(valueOf(raw, 'substituters')),
    trustedPublicKeys: stringList(valueOf(raw, 'trusted-public-keys')),
    trustedUsers: stringList(valueOf(raw, 'trusted-users')),
    maxJobs: typeof maxJobs === 'number' ? maxJobs : Number.parseInt(String(maxJobs), 10) || null,
    extraPlatforms: stringList(valueOf(raw, 'extra-platforms')),
    systemFeatures: stringList(valueOf(raw, 'system-features')),
    builders:
      typeof valueOf(raw, 'builders') === 'string' ? (valueOf(raw, 'builders') as string) : '',
    system: typeof system === 'string' ? system : null,
    sandbox: sandbox === undefined ? null : String(sandbox),
  };
}

/** Nix refuses `nix show-config` when nix-command is not enabled. */
export function saysNixCommandDisabled(stderr: string): boolean {
  return /experimental Nix feature 'nix-command' is disabled/.test(stderr);
}
