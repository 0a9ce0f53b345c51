// `crossflake extract analyze|plan|apply`: the thin shell around the pure
// analysis and plan. load.ts reads the repository's .nix files; for apply it
// hands over to apply.ts, which owns every git and file effect.
import { EXIT, UserError, type CommandModule, type Io, type ParsedOptions } from '../command.js';
import { renderTable, tableWidth, type TableOptions } from '../ui/table.js';
import { loadAnalysis } from './load.js';
import type { AnalysisReport, Evidence, FileVerdict } from './model.js';
import { makePlan, type Plan } from './plan.js';
import { analysisMarkdown, analysisMermaid, planMarkdown, planMermaid } from './render.js';
import { writeEnvelope } from '../ui/json.js';

const help = `Usage: crossflake extract <analyze|plan|apply> <repo> [options]

Finds what is shareable in a personal Nix configuration and moves it, one
module at a time, into a shared flake.

  analyze <repo>   Classify every .nix file: shareable-base, platform-adapter
                   (wsl/darwin/linux), host-specific, personal or secret, with
                   evidence (rule, file:line:column, matched text; secrets masked)
  plan <repo>      An ordered migration plan, leaves first, with a Mermaid
                   diagram of layers and imports
  apply <repo>     Carry out one step of the plan on new git branches

Options:
  --json               Machine-readable output (analyze, plan, apply)
  --md                 Markdown (analyze, plan)
  --mermaid            analyze: only the Mermaid diagram of files and imports
  --identifier X       A personal identifier to look for (repeatable), on top
                       of the user and host names learned from the repo
  --no-cache           Analyse every file again instead of reusing the last
                       analysis of an unchanged repository (kept in the
                       user's cache directory; CROSSFLAKE_CACHE_DIR moves it)
  --input NAME         Name of the shared flake input (default: shared)
  --step N             apply: the step number from \`plan\`
  --shared DIR         apply: the shared flake's git repository
  --shared-url URL     apply: the input URL written into the personal flake
                       (default: git+file:<absolute DIR>)
  --no-verify          apply: commit without proving that every nixos,
                       darwin and home configuration keeps its drvPath
                       (the proof evaluates them before and after the step)
`;

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

function summaryText(report: AnalysisReport, fit: TableOptions): string {
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

function planText(plan: Plan, fit: TableOptions): string {
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
      else io.stdout.write(summaryText(loaded.report, { width: tableWidth(io) }));
      return EXIT.ok;
    }
    case 'plan': {
      if (format === 'mermaid')
        throw new UserError('plan prints its Mermaid diagram inside --md and --json');
      const { report } = await loadAnalysis(repoArg, opts, io);
      const plan = planFor(report, inputName(opts));
      if (format === 'json') writeEnvelope(io, 'extract', { plan });
      else if (format === 'md') io.stdout.write(planMarkdown(plan));
      else io.stdout.write(planText(plan, { width: tableWidth(io) }));
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
  commandNames: ['extract'],
  help: () => help,
  subcommandOptions: {
    analyze: ['json', 'md', 'mermaid', 'identifier', 'no-cache'],
    plan: ['json', 'md', 'identifier', 'no-cache', 'input'],
    apply: ['json', 'identifier', 'no-cache', 'input', 'step', 'shared', 'shared-url'],
  },
  cliOptionsTypes: () => ({
    json: { type: 'boolean' },
    md: { type: 'boolean' },
    mermaid: { type: 'boolean' },
    identifier: { type: 'string', multiple: true },
    'no-cache': { type: 'boolean' },
    input: { type: 'string' },
    step: { type: 'string' },
    shared: { type: 'string' },
    'shared-url': { type: 'string' },
    'no-verify': { type: 'boolean' },
  }),
  handler,
};

export default command;
