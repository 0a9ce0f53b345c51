// The generation input shared by every provider, and the small part of the
// GitHub workflow model the builders use. Plain data only.
import type { TeamConfig } from '../teamconfig/types.js';
import type { PlatformRow } from './matrix.js';
import type { FlakeOutputs } from './outputs.js';

export interface GenerateInput {
  platformRows: readonly PlatformRow[];
  outputs: FlakeOutputs;
  config: TeamConfig;
  /** The team repo has a VERSION file: release tags must match it. */
  hasVersionFile: boolean;
  /** Version of crossflake that wrote the files (pins the CLI that CI runs). */
  crossflakeVersion: string;
}

export interface GeneratedFile {
  /** Relative to the repository root, with forward slashes. */
  path: string;
  content: string;
}

export interface Step {
  name: string;
  if?: string;
  uses?: string;
  with?: Record<string, string | number | boolean>;
  env?: Record<string, string>;
  run?: string;
}

export interface Job {
  name?: string;
  'runs-on': string;
  needs?: string[];
  if?: string;
  permissions?: Record<string, string>;
  'timeout-minutes': number;
  strategy?: { 'fail-fast': boolean; matrix: { include: Record<string, string | boolean>[] } };
  steps: Step[];
}

export interface Workflow {
  name: string;
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  concurrency?: { group: string; 'cancel-in-progress': boolean };
  jobs: Record<string, Job>;
}

/** How CI invokes crossflake: the team's command, or npx pinned to this version. */
export function crossflakeCli(input: GenerateInput, provider: 'github' | 'gitlab'): string {
  if (input.config.ci.crossflakeCommand) return input.config.ci.crossflakeCommand;
  const npx = `npx --yes crossflake@${input.crossflakeVersion}`;
  // GitLab jobs run in the nixos/nix image, which has no Node.
  return provider === 'gitlab' ? `nix shell nixpkgs#nodejs --command ${npx}` : npx;
}

/** Dev shells of `system`, sorted, each with its smoke command. */
export function shellsFor(
  input: GenerateInput,
  system: string,
): { shell: string; smoke: string }[] {
  const smoke = input.config.ci.smoke;
  return [...(input.outputs.devShells[system] ?? [])]
    .sort()
    .map((shell) => ({ shell, smoke: smoke[shell] ?? smoke['*'] ?? 'true' }));
}
