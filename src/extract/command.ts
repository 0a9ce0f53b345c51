// `crossflake extract analyze|plan|apply`: the thin shell around the pure
// analysis and plan. load.ts reads the repository's .nix files; for apply it
// hands over to apply.ts, which owns every git and file effect.
import { EXIT, UserError, type CommandModule, type Io, type ParsedOptions } from '../command.js';
import { tableWidth, type TableOptions } from '../ui/table-width.js';
import { loadAnalysis } from './load.js';
import type { AnalysisReport, Evidence, FileVerdict } from './model.js';
import { makePlan, type Plan } from './plan.js';
import { analysisMarkdown, analysisMermaid, planMarkdown, planMermaid } from './render.js';
import { writeEnvelope } from '../ui/json.js';
import spec from './spec.js';

const INPUT_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

export function inputName(opts: ParsedOptions): string {
  const name = typeof opts.input === 'string' ? opts.input : 'shared';
  if (!INPUT_NAME.test(name))
    throw new UserError(
      `--input must be a flake input name (letters, digits, - and _), not ${JSON.stringify(name)}`,
    );
  return name;
}

export function planFor(report: AnalysisReport, input: string): Plan {
  const plan = makePlan(report, input);
  plan.mermaid = planMermaid(plan, report);
  return plan;
}

const SIGNAL_OF: Record<FileVerdict['label'], Evidence['signal'] | null> = {
  secret: 'secret',
  'host-specific': 'host',
  personal: 'personal',
  'platform-adapter': 'platform',
  'shareable-base': 'personal',
};

/** The evidence that decided the label (a secret file shows its secret first). */
function decisive(f: FileVerdict): Evidence | undefined {
  const signal = SIGNAL_OF[f.label];
  return f.evidence.find((e) => e.signal === signal) ?? f.evidence[0];
}

// The table module loads only when a table is printed (see ui/table-width.ts).
async function summaryText(report: AnalysisReport, fit: TableOptions): Promise<string> {
  const { renderTable } = await import('../ui/table.js');
  const rows = report.files.map((f) => {
    const label = `${f.label}${f.platform ? ` (${f.platform})` : ''}${f.needsParameters ? ' (needs parameters)' : ''}`;
    const ev = decisive(f);
    const first = f.diagnostics[0]
      ? `parse error line ${f.diagnostics[0].line}: ${f.diagnostics[0].message}`
      : ev
        ? `${ev.rule} ${ev.line}:${ev.column} ${ev.text}`
        : '';
    return [f.path, label, first];
  });
  const counts = Object.entries(report.summary)
    .map(([l, n]) => `${n} ${l}`)
    .join(', ');
  return `${renderTable(['file', 'label', 'first evidence'], rows, fit)}\n${report.files.length} files: ${counts}\n`;
}

/** " (2 options first)": one value at two places is one option. */
function optionCount(s: Plan['steps'][number]): string {
  const n = new Set(s.options.map((o) => `${o.option}\0${o.value}`)).size;
  return n ? ` (${n} option${n > 1 ? 's' : ''} first)` : '';
}

async function planText(plan: Plan, fit: TableOptions): Promise<string> {
  const { renderTable } = await import('../ui/table.js');
  const rows = plan.steps.map((s) => [
    String(s.n),
    s.action,
    s.file,
    s.action === 'move' ? `${s.output}.${s.name}${optionCount(s)}` : (s.reason ?? ''),
  ]);
  return renderTable(['step', 'action', 'file', 'export / reason'], rows, fit);
}

async function handler(opts: ParsedOptions, params: string[], io: Io): Promise<number> {
  const [sub, repoArg, ...extra] = params;
  if (extra.length > 0) throw new UserError(`unexpected argument ${JSON.stringify(extra[0])}`);
  const formats = ['json', 'md', 'mermaid'].filter((f) => opts[f] === true);
  if (formats.length > 1) throw new UserError(`choose one of --${formats.join(', --')}`);
  const format = formats[0] ?? 'text';
  switch (sub) {
    case 'analyze': {
      const loaded = await loadAnalysis(repoArg, opts, io);
      // The analysis keeps its own schema id inside; the envelope names the command's.
      if (format === 'json') writeEnvelope(io, 'extract', { analysis: loaded.report });
      else if (format === 'md') io.stdout.write(analysisMarkdown(loaded.report));
      else if (format === 'mermaid') io.stdout.write(analysisMermaid(loaded.report));
      else io.stdout.write(await summaryText(loaded.report, { width: tableWidth(io) }));
      return EXIT.ok;
    }
    case 'plan': {
      if (format === 'mermaid')
        throw new UserError('plan prints its Mermaid diagram inside --md and --json');
      const { report } = await loadAnalysis(repoArg, opts, io);
      const plan = planFor(report, inputName(opts));
      if (format === 'json') writeEnvelope(io, 'extract', { plan });
      else if (format === 'md') io.stdout.write(planMarkdown(plan));
      else io.stdout.write(await planText(plan, { width: tableWidth(io) }));
      return EXIT.ok;
    }
    case 'apply': {
      const { applyCommand } = await import('./apply-command.js');
      return applyCommand(repoArg, opts, io);
    }
    default:
      throw new UserError(
        sub
          ? `unknown subcommand ${JSON.stringify(sub)}: use analyze, plan or apply`
          : 'name a subcommand: analyze, plan or apply',
      );
  }
}

const command: CommandModule = {
  ...spec,
  handler,
};

export default command;
