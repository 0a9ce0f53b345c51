// The team configuration (`crossflake.json` at the team repository root), as
// the rest of crossflake sees it: every optional key already defaulted, so
// callers never repeat the defaults. The JSON Schema is
// data/crossflake.schema.json.
export type NixSystem = 'x86_64-linux' | 'aarch64-linux' | 'x86_64-darwin' | 'aarch64-darwin';
export type CiProvider = 'github' | 'gitlab';
export type CacheChoice = 'none' | 'github' | 'cachix';

export interface ExtraStep {
  name: string;
  run: string;
  phase: 'before-check' | 'after-check';
  /** null: every row. */
  systems: NixSystem[] | null;
  secrets: string[];
}

export interface CiConfig {
  providers: CiProvider[];
  /** Row id -> forced on (true) or off (false); rows not named follow the flake. */
  rows: Record<string, boolean>;
  cache: CacheChoice;
  cachixName: string | null;
  secrets: { cachixAuthToken: string };
  /** Shell name -> smoke command; "*" is the default for every shell. */
  smoke: Record<string, string>;
  extraSteps: ExtraStep[];
  vm: { enable: boolean; checks: string[] };
  /** null: the CLI of the crossflake input pinned by flake.lock. */
  crossflakeCommand: string | null;
  /** The team flake's input that is crossflake's flake; null: found in flake.lock. */
  crossflakeInput: string | null;
}

/** The team's health policy (`health` in crossflake.json); each key is optional. */
export interface HealthPolicy {
  minNixVersion?: string;
  substituters?: string[];
  trustedPublicKeys?: string[];
  experimentalFeatures?: string[];
  minMaxJobs?: number;
  requiredTools?: string[];
  platforms?: string[];
}

/** `network` in crossflake.json. */
export interface NetworkConfig {
  /** A company CA (PEM), as written: relative to the config file. */
  caFile: string | null;
}

export interface TeamConfig {
  ci: CiConfig;
  network: NetworkConfig;
  privacy: { identifiers: string[] };
  /** Company storage for releases (`images.store`): https://... or oci://...; null when unset. */
  images: { store: string | null };
  /** null when the file has no health section: doctor adds no policy checks. */
  health: HealthPolicy | null;
  /** What `crossflake init` takes when the command line does not say. */
  templates: { sharedFlake: string | null };
}

/** The raw JSON shape (what the schema describes), before defaults. */
export interface RawTeamConfig {
  ci?: {
    providers?: CiProvider[];
    rows?: Record<string, boolean>;
    cache?: CacheChoice;
    cachix?: { name: string };
    secrets?: { cachixAuthToken?: string };
    smoke?: Record<string, string>;
    extraSteps?: Array<Omit<ExtraStep, 'phase' | 'systems' | 'secrets'> & Partial<ExtraStep>>;
    vm?: { enable: boolean; checks?: string[] };
    crossflakeCommand?: string;
    crossflakeInput?: string;
  };
  privacy?: { identifiers?: string[] };
  images?: { store?: string };
  health?: HealthPolicy;
  templates?: { sharedFlake?: string };
  network?: { caFile?: string };
}

export function withDefaults(raw: RawTeamConfig): TeamConfig {
  const ci = raw.ci ?? {};
  return {
    ci: {
      providers: ci.providers ?? ['github'],
      rows: ci.rows ?? {},
      cache: ci.cache ?? 'github',
      cachixName: ci.cachix?.name ?? null,
      secrets: { cachixAuthToken: ci.secrets?.cachixAuthToken ?? 'CACHIX_AUTH_TOKEN' },
      smoke: { '*': 'true', ...ci.smoke },
      extraSteps: (ci.extraSteps ?? []).map((s) => ({
        name: s.name,
        run: s.run,
        phase: s.phase ?? 'after-check',
        systems: s.systems ?? null,
        secrets: s.secrets ?? [],
      })),
      vm: { enable: ci.vm?.enable ?? false, checks: ci.vm?.checks ?? [] },
      crossflakeCommand: ci.crossflakeCommand ?? null,
      crossflakeInput: ci.crossflakeInput ?? null,
    },
    privacy: { identifiers: raw.privacy?.identifiers ?? [] },
    images: { store: raw.images?.store ?? null },
    health: raw.health ?? null,
    templates: { sharedFlake: raw.templates?.sharedFlake ?? null },
    network: { caFile: raw.network?.caFile ?? null },
  };
}

export const DEFAULT_TEAM_CONFIG: TeamConfig = withDefaults({});
