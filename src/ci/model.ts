// The generation input shared by every provider, and the small part of the
// GitHub workflow model the builders use. Plain data only.
import { UserError } from '../command.js';
import type { TeamConfig } from '../teamconfig/types.js';
import { shellText, shellWord, type Command } from './commands.js';
import type { CiRow, PlatformRow } from './matrix.js';
import { assertSafeAttr } from './names.js';
import type { FlakeOutputs } from './outputs.js';

export interface GenerateInput {
  platformRows: readonly PlatformRow[];
  outputs: FlakeOutputs;
  config: TeamConfig;
  /** The team repo has a VERSION file: release tags must match it. */
  hasVersionFile: boolean;
  /** Version of crossflake that wrote the files. */
  crossflakeVersion: string;
  /**
   * The team flake's input that is crossflake's flake (ci.crossflakeInput or
   * found in flake.lock), or null when it has none.
   */
  crossflakeInput: string | null;
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

/**
 * A step of a generated job as data, before it becomes YAML. `run` steps are
 * what `crossflake ci run` runs on this host; `runner` steps (actions, runner
 * set-up) only make sense on a hosted runner.
 */
export type PlanStep =
  | {
      kind: 'run';
      name: string;
      /** The matrix systems the step runs on; null: every system of the job. */
      systems: readonly string[] | null;
      commands: Command[];
      /** Secret names exposed as environment variables of the same name. */
      secrets: readonly string[];
    }
  | { kind: 'runner'; step: Step };

export interface PlanJob {
  id: string;
  name: string;
  timeoutMinutes: number;
  /** A matrix over these rows, or (null) a single runner. */
  rows: readonly CiRow[] | null;
  /** The single runner: its label, and the system whose steps it runs (null: any). */
  runner: { label: string; system: string | null } | null;
  steps: PlanStep[];
}

export function runStep(
  name: string,
  commands: Command[],
  options: { systems?: readonly string[] | null; secrets?: readonly string[] } = {},
): PlanStep {
  return {
    kind: 'run',
    name,
    systems: options.systems ?? null,
    commands,
    secrets: options.secrets ?? [],
  };
}

/**
 * crossflake with `args`, as CI runs it: the team's ci.crossflakeCommand, or
 * the CLI of the crossflake revision the team's flake.lock pins. No package
 * is fetched by name: `--inputs-from .` makes the input's name resolve to its
 * locked entry.
 */
export function crossflakeRun(input: GenerateInput, args: readonly string[]): Command {
  const custom = input.config.ci.crossflakeCommand;
  if (custom) return { script: [custom, ...args.map(shellWord)].join(' ') };
  if (input.crossflakeInput === null) {
    throw new UserError(
      'CI runs crossflake, but the flake has no input for crossflake (none in flake.lock): add one, name it in ci.crossflakeInput, or set ci.crossflakeCommand in crossflake.json',
    );
  }
  return {
    argv: [
      'nix',
      'run',
      '--inputs-from',
      '.',
      `${input.crossflakeInput}#crossflake`,
      '--',
      ...args,
    ],
  };
}

/** The same, as shell text ending in `rest` (which may expand variables). */
export function crossflakeShell(input: GenerateInput, rest: string): string {
  return `${shellText(crossflakeRun(input, []))} ${rest}`;
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
export function flakeCheckCommands(input: GenerateInput, system: string): Command[] {
  const vmChecks = new Set(input.config.ci.vm.checks);
  const all = input.outputs.checks[system] ?? [];
  if (!all.some((c) => vmChecks.has(c)))
    return [{ argv: ['nix', 'flake', 'check', '--print-build-logs'] }];
  const rest = all
    .filter((c) => !vmChecks.has(c))
    .map((c) => assertSafeAttr(c, 'check'))
    .sort();
  return [
    { argv: ['nix', 'flake', 'check', '--no-build'] },
    ...(rest.length > 0
      ? [
          {
            argv: [
              'nix',
              'build',
              '--no-link',
              '--print-build-logs',
              ...rest.map((c) => `.#checks.${system}.${c}`),
            ],
          },
        ]
      : []),
  ];
}
