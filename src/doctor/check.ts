// The interface every health check implements (one check per file under
// checks/, after omnix's nix_health). Checks are pure: facts in, verdict out.
import type { HostFacts } from '../io/host/facts.js';
import type { PlatformRow, RowMatch } from '../platforms/index.js';
import type { HealthPolicy } from '../teamconfig/types.js';

export type CheckStatus = 'pass' | 'warn' | 'fail' | 'n/a';

export interface CheckContext {
  facts: HostFacts;
  match: RowMatch;
  row: PlatformRow | null;
  /** The team's health policy (crossflake.json `health`), when there is one. */
  policy: HealthPolicy | null;
}

export interface CheckResult {
  status: CheckStatus;
  /** One line: what was found. */
  summary: string;
  /** One line: what to do about it (absent on pass and n/a). */
  fix?: string;
}

export interface Check {
  id: string;
  title: string;
  /** A failing required check makes doctor exit 1; others can only warn. */
  required: boolean;
  run(ctx: CheckContext): CheckResult;
  /** Set on the checks a team policy asks for: the `health` key they check. */
  policyKey?: keyof HealthPolicy;
}

export const pass = (summary: string): CheckResult => ({ status: 'pass', summary });
export const notApplicable = (summary: string): CheckResult => ({ status: 'n/a', summary });
export const warn = (summary: string, fix: string): CheckResult => ({
  status: 'warn',
  summary,
  fix,
});
export const fail = (summary: string, fix: string): CheckResult => ({
  status: 'fail',
  summary,
  fix,
});
