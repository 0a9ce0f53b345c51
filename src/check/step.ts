// One step of `crossflake check`: a title, whether it applies to this
// repository (and why not), and a run that reports pass or fail with the
// output a user needs to fix it. One step per file under steps/.
import type { Io } from '../command.js';

export interface CheckContext {
  dir: string;
  io: Io;
}

/**
 * "not run": the step should have run and could not (no flake.nix, no nix,
 * inputs unreachable); that is not a pass, so check fails unless the user
 * allows it. "not applicable": the repository has nothing for the step by
 * design (no workflows, no templates); it is said, and not counted as run.
 */
export type StepStatus = 'pass' | 'fail' | 'not run' | 'not applicable';

export interface StepOutcome {
  status: StepStatus;
  /** One line for the summary table. */
  detail: string;
  /** What the step printed, shown when it failed. */
  output: string;
}

/** Why a step does not run: it could not, or it has nothing to do here. */
export interface Skip {
  status: 'not run' | 'not applicable';
  detail: string;
}

export const cannotRun = (detail: string): Skip => ({ status: 'not run', detail });
export const notApplicable = (detail: string): Skip => ({ status: 'not applicable', detail });

export interface CheckStep {
  id: string;
  title: string;
  /** Null when the step applies; else why it does not run. */
  skipReason(ctx: CheckContext): Promise<Skip | null>;
  run(ctx: CheckContext): Promise<StepOutcome>;
}
