// Runs the checks on HostFacts and renders the result. Pure: the same facts
// give the same report, which is what makes recorded facts replayable.
import type { HostFacts } from '../io/host/facts.js';
import { matchRow, type PlatformRow, type RowMatch } from '../platforms/index.js';
import type { Check, CheckResult } from './check.js';
import { renderTable } from '../ui/table.js';
import type { Colors } from '../ui/color.js';
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

export function renderReport(report: DoctorReport, c: Colors, width?: number): string {
  const head = report.row
    ? `${c.bold(report.row.name)}  ${c.dim(`row ${report.row.id}, Nix system ${report.row.nixSystem}, ${report.row.status}`)}`
    : `${c.red('No supported row')}  ${c.dim(`${report.match.key}: ${report.match.reason ?? ''}`)}`;
  const mark = {
    pass: c.green('pass'),
    warn: c.yellow('warn'),
    fail: c.red('FAIL'),
    'n/a': c.dim('n/a'),
  };
  const rows = report.checks.map((o) => [
    mark[o.status],
    o.source === 'team-policy' ? `${o.title} (team)` : o.title,
    o.summary,
  ]);
  const fixes = report.checks
    .filter((o) => o.fix && (o.status === 'fail' || o.status === 'warn'))
    .map((o) => `  ${o.status === 'fail' ? c.red('✗') : c.yellow('!')} ${o.title}: ${o.fix}`);
  const counts = (['pass', 'warn', 'fail', 'n/a'] as const)
    .map((s) => `${report.checks.filter((o) => o.status === s).length} ${s}`)
    .join(', ');
  return [
    head,
    '',
    renderTable(['status', 'check', 'finding'], rows, { width }).trimEnd(),
    ...(fixes.length ? ['', 'How to fix:', ...fixes] : []),
    '',
    `${counts}. ${report.exitCode === 0 ? c.green('Ready.') : c.red('A required check failed.')}`,
    '',
  ].join('\n');
}
