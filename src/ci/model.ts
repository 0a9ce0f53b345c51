// The generation input shared by every provider, and the small part of the
// GitHub workflow model the builders use. Plain data only.
import type { TeamConfig } from '../teamconfig/types.js';
import type { PlatformRow } from './matrix.js';
import { assertSafeAttr } from './names.js';
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

/**
 * The flake-check commands for one system. Checks the team named as VM tests
 * need KVM, which the check job does not have: then everything is evaluated
 * (`--no-build`) and only the other checks of the system are built.
 */
export function flakeCheckCommands(input: GenerateInput, system: string): string[] {
  const vmChecks = new Set(input.config.ci.vm.checks);
  const all = input.outputs.checks[system] ?? [];
  if (!all.some((c) => vmChecks.has(c))) return ['nix flake check --print-build-logs'];
  const rest = all
    .filter((c) => !vmChecks.has(c))
    .map((c) => assertSafeAttr(c, 'check'))
    .sort();
  return [
    'nix flake check --no-build',
    ...(rest.length > 0
      ? [
          `nix build --no-link --print-build-logs ${rest.map((c) => `.#checks.${system}.${c}`).join(' ')}`,
        ]
      : []),
  ];
}
