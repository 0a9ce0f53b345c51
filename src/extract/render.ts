// Text renderings of the analysis and the plan: Markdown for people, Mermaid
// for diagrams (layers and imports). JSON is the records themselves.
import type { AnalysisReport, FileVerdict, Label } from './model.js';
import type { Plan } from './plan.js';

const LAYER: Record<Label, string> = {
  'shareable-base': 'Layer 1: shareable base',
  'platform-adapter': 'Layer 2: platform adapters',
  personal: 'Layer 3: personal (stays)',
  'host-specific': 'Layer 3: host-specific (stays)',
  secret: 'Secrets (never move)',
};

function labelText(f: FileVerdict): string {
  const platform = f.platform ? ` (${f.platform})` : '';
  return f.needsParameters ? `${f.label}${platform} (needs parameters)` : `${f.label}${platform}`;
}

function mdCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/`/g, "'");
}

export function analysisMarkdown(report: AnalysisReport): string {
  const out = [`# crossflake extract analyze: ${report.root}`, ''];
  const ids = report.identifiers;
  out.push(
    `Identifiers: users ${list(ids.users)}; hosts ${list(ids.hosts)}; names ${list(ids.names)}; e-mails ${list(ids.emails)}; domains ${list(ids.domains)}${ids.extra.length ? `; given ${list(ids.extra)}` : ''}.`,
    '',
    `| label | files |`,
    `|---|---|`,
    ...Object.entries(report.summary).map(([l, n]) => `| ${l} | ${n} |`),
    '',
  );
  for (const f of report.files) {
    out.push(`## ${f.path}`, '', `**${labelText(f)}** · ${f.kind} · ${f.moduleClass}`, '');
    for (const d of f.diagnostics)
      out.push(`- parse error at ${f.path}:${d.line}:${d.column}: ${d.message}`);
    if (f.evidence.length) {
      out.push('| rule | where | matched |', '|---|---|---|');
      for (const e of f.evidence)
        out.push(`| ${e.rule} | ${f.path}:${e.line}:${e.column} | \`${mdCell(e.text)}\` |`);
      out.push('');
    }
    for (const p of f.parameters)
      out.push(`- line ${p.line}: \`${mdCell(p.value)}\` -> option \`${p.option}\``);
    if (f.parameters.length) out.push('');
  }
  return out.join('\n');
}

function list(xs: string[]): string {
  return xs.length ? xs.join(', ') : '(none)';
}

function ids(paths: string[]): Map<string, string> {
  return new Map(paths.map((p, i) => [p, `f${i}`]));
}

function quote(s: string): string {
  return `"${s.replace(/"/g, '#quot;')}"`;
}

/** Files grouped by layer, with the import edges between them. */
export function analysisMermaid(report: AnalysisReport): string {
  const id = ids(report.files.map((f) => f.path));
  const out = ['flowchart LR'];
  const layers = new Map<string, FileVerdict[]>();
  for (const f of report.files)
    layers.set(LAYER[f.label], [...(layers.get(LAYER[f.label]) ?? []), f]);
  let i = 0;
  for (const [layer, files] of layers) {
    out.push(`  subgraph L${i++}[${quote(layer)}]`);
    for (const f of files)
      out.push(`    ${id.get(f.path)}[${quote(`${f.path}<br/>${labelText(f)}`)}]`);
    out.push('  end');
  }
  const seen = new Set<string>();
  for (const e of report.edges) {
    const key = `${e.from}>${e.to}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(`  ${id.get(e.from)} -->${e.kind === 'auto-import' ? '|auto|' : ''} ${id.get(e.to)}`);
  }
  return `${out.join('\n')}\n`;
}

/** The plan's picture: what moves into which shared layer, what stays, and the imports. */
export function planMermaid(plan: Plan, report: AnalysisReport): string {
  const id = ids(report.files.map((f) => f.path));
  const out = [
    'flowchart LR',
    `  subgraph shared[${quote(`shared flake (inputs.${plan.sharedInput})`)}]`,
  ];
  const moves = plan.steps.filter((s) => s.action === 'move');
  for (const layer of ['shareable-base', 'platform-adapter'] as const) {
    out.push(
      `    subgraph ${layer === 'shareable-base' ? 'base' : 'adapters'}[${quote(LAYER[layer])}]`,
    );
    for (const s of moves.filter((m) => m.label === layer)) {
      out.push(`      ${id.get(s.file)}[${quote(`${s.n}. ${s.output}.${s.name}<br/>${s.file}`)}]`);
    }
    out.push('    end');
  }
  out.push('  end', `  subgraph personal[${quote('personal repo (stays)')}]`);
  for (const s of plan.steps.filter((x) => x.action === 'stay')) {
    out.push(`    ${id.get(s.file)}[${quote(`${s.file}<br/>${s.label}`)}]`);
  }
  for (const f of report.files.filter((x) => x.kind !== 'module'))
    out.push(`    ${id.get(f.path)}[${quote(f.path)}]`);
  out.push('  end');
  const seen = new Set<string>();
  for (const e of report.edges) {
    const key = `${e.from}>${e.to}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(`  ${id.get(e.from)} --> ${id.get(e.to)}`);
  }
  return `${out.join('\n')}\n`;
}

export function planMarkdown(plan: Plan): string {
  const out = [`# crossflake extract plan: ${plan.root}`, ''];
  const moves = plan.steps.filter((s) => s.action === 'move').length;
  out.push(
    `${plan.steps.length} steps: ${moves} move to the shared flake (input \`${plan.sharedInput}\`), ${plan.steps.length - moves} stay. Leaves first: a module comes after the modules it imports.`,
    '',
  );
  for (const s of plan.steps) {
    const platform = s.platform ? ` (${s.platform})` : '';
    if (s.action === 'stay') {
      out.push(`## Step ${s.n}: keep ${s.file}`, '', `Stays: ${s.reason}.`, '');
      continue;
    }
    out.push(`## Step ${s.n}: move ${s.file}`, '');
    out.push(
      `- moves to \`${s.destination}\`, exported as \`${s.output}.${s.name}\` (${s.label}${platform})`,
    );
    if (s.after.length)
      out.push(`- after step${s.after.length > 1 ? 's' : ''} ${s.after.join(', ')}`);
    for (const o of s.options)
      out.push(`- becomes an option: line ${o.line} \`${mdCell(o.value)}\` -> \`${o.option}\``);
    if (s.importStyle === 'path') {
      for (const r of s.rewrites)
        out.push(`- ${r.file}:${r.line}: \`${mdCell(r.before)}\` -> \`${r.after}\``);
    } else if (s.inline) {
      for (const r of s.rewrites)
        out.push(
          `- ${r.file}:${r.line}: \`${mdCell(r.before)}\` -> \`${r.after}\` (the module body moves)`,
        );
    } else if (s.importStyle === 'auto-import') {
      out.push(
        `- auto-imported (import-tree or similar): after the move, delete the file here and import \`inputs.${plan.sharedInput}.${s.output}.${s.name}\` where it was used`,
      );
    } else {
      out.push(`- nothing imports it here; the personal repo needs no change`);
    }
    out.push('');
  }
  if (plan.others.length) {
    out.push('## Not modules (they stay)', '');
    for (const o of plan.others) out.push(`- ${o.file}: ${o.kind}, ${o.label}`);
    out.push('');
  }
  out.push('## Layers and imports', '', '```mermaid', plan.mermaid.trimEnd(), '```', '');
  return out.join('\n');
}
