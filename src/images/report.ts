// Human-readable output of plan and build: aligned tables and summaries.
import type { BuildSummary } from './build.js';
import { imageKey } from './matrix.js';
import type { Plan } from './plan.js';
import { printable, printableLines } from '../ui/printable.js';
import { renderTable as table, type TableOptions } from '../ui/table.js';

export function renderPlan(plan: Plan, fit: TableOptions = {}): string {
  const rows = plan.entries.map((e) => [
    e.image.name,
    e.image.format,
    e.image.system,
    e.action,
    e.reason,
  ]);
  const out = [
    `Host system: ${plan.hostSystem ?? 'unknown'}\n\n`,
    table(['IMAGE', 'FORMAT', 'SYSTEM', 'ACTION', 'HOW / WHY'], rows, fit),
  ];
  const notes = plan.entries.flatMap((e) => [
    ...(e.fix ? [`fix for ${imageKey(e.image)}: ${e.fix}`] : []),
    ...e.warnings.map((w) => `warning: ${w}`),
  ]);
  if (notes.length > 0) out.push('\n', notes.join('\n'), '\n');
  const n = plan.entries.filter((e) => e.action === 'build').length;
  out.push(`\n${n} of ${plan.entries.length} images can be built on this host.\n`);
  return out.join('');
}

export function renderBuildSummary(summary: BuildSummary): string {
  // The table keeps one line per image: the first line of a reason.
  const rows = summary.results.map((r) => [
    r.key,
    r.status,
    printable((r.file ?? r.reason ?? '').split('\n')[0] ?? ''),
  ]);
  const out = [
    `\nVersion ${summary.version} in ${summary.dir}\n`,
    table(['IMAGE', 'STATUS', 'ARTIFACT / REASON'], rows),
  ];
  const failed = summary.results.filter((r) => r.status === 'failed' || r.status === 'not-built');
  if (failed.length > 0) {
    out.push(`\n${failed.length} image(s) failed:\n`);
    for (const f of failed) {
      const [first = '', ...more] = printableLines(f.reason ?? '').split('\n');
      const rest = more.map((l) => `    ${l}\n`).join('');
      out.push(`  ${f.key}: ${first}\n${rest}    log: ${f.log ?? '-'}\n`);
    }
  }
  if (summary.sweptTempFiles.length > 0) {
    out.push(
      `\nRemoved ${summary.sweptTempFiles.length} temp file(s) left by an interrupted run.\n`,
    );
  }
  out.push(`Manifest: ${summary.manifest}\n`);
  return out.join('');
}
