// The doctor's report as text: a table of the checks, then how to fix what
// failed. Apart from report.ts so that --json (and onboard, which runs the
// checks) never loads the table module and its width libraries.
import type { Colors } from '../ui/color.js';
import { renderTable } from '../ui/table.js';
import type { DoctorReport } from './report.js';

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
