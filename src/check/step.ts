// One step of `crossflake check`: a title, whether it applies to this
// repository (and why not), and a run that reports pass or fail with the
// output a user needs to fix it. One step per file under steps/.
import type { Io } from '../command.js';

export interface CheckContext {
  dir: string;
  io: Io;
}

export type StepStatus = 'pass' | 'fail' | 'not run';

export interface StepOutcome {
  status: StepStatus;
  /** One line for the summary table. */
  detail: string;
  /** What the step printed, shown when it failed. */
  output: string;
}

export interface CheckStep {
  id: string;
  title: string;
  /** Null when the step applies; else why it is not run. */
  skipReason(ctx: CheckContext): Promise<string | null>;
  run(ctx: CheckContext): Promise<StepOutcome>;
}
