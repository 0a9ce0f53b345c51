// Runs the checks on HostFacts and renders the result. Pure: the same facts
// give the same report, which is what makes recorded facts replayable.
import type { HostFacts } from '../io/host/facts.js';
import { matchRow, type PlatformRow, type RowMatch } from '../platforms/index.js';
import type { Check, CheckResult } from './check.js';
import type { HealthPolicy } from '../teamconfig/types.js';

export interface CheckOutcome extends CheckResult {
  id: string;
  title: string;
  required: boolean;
  /** Where the check comes from: crossflake's own list, or the team's health policy. */
  source: 'crossflake' | 'team-policy';
}

export interface DoctorReport {
  row: PlatformRow | null;
  match: RowMatch;
  checks: CheckOutcome[];
  /** 1 when a required check failed. */
  exitCode: 0 | 1;
}

export function runDoctor(
  facts: HostFacts,
  checks: readonly Check[],
  policy: HealthPolicy | null = null,
): DoctorReport {
  const match = matchRow(facts);
  const ctx = { facts, match, row: match.row, policy };
  const outcomes = checks.map((check) => {
    const result = check.run(ctx);
    // A check that is not required may say "fail" in its own terms, but only
    // required checks decide the exit code; show the others as warnings.
    const status = result.status === 'fail' && !check.required ? 'warn' : result.status;
    const source = check.policyKey ? ('team-policy' as const) : ('crossflake' as const);
    return {
      id: check.id,
      title: check.title,
      required: check.required,
      source,
      ...result,
      status,
    };
  });
  const failed = outcomes.some((o) => o.status === 'fail');
  return { row: match.row, match, checks: outcomes, exitCode: failed ? 1 : 0 };
}
