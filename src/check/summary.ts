// The verdict of `crossflake check`, decided from the step outcomes alone: a
// failure fails, and so does a step that could not run unless the user said
// it may be skipped. Not-applicable steps neither pass nor fail.
import type { StepOutcome } from './step.js';

export interface Row extends StepOutcome {
  id: string;
  title: string;
}

export interface SummaryRow extends Row {
  /** Present on a step that did not run: whether --allow-skip named it. */
  allowedSkip?: boolean;
}

export interface Summary {
  ok: boolean;
  /** Steps that ran (passed or failed). */
  ran: number;
  /** Steps that could not run and were not allowed to be skipped. */
  notRun: string[];
  steps: SummaryRow[];
}

export function summarize(rows: readonly Row[], allowSkip: readonly string[]): Summary {
  const steps = rows.map((r): SummaryRow =>
    r.status === 'not run' ? { ...r, allowedSkip: allowSkip.includes(r.id) } : r,
  );
  const notRun = steps.filter((r) => r.status === 'not run' && !r.allowedSkip).map((r) => r.id);
  const failed = steps.some((r) => r.status === 'fail');
  const ran = steps.filter((r) => r.status === 'pass' || r.status === 'fail').length;
  return { ok: !failed && notRun.length === 0, ran, notRun, steps };
}
