// The pure half of `extract apply`: given a plan step and the files it
// touches, compute the new bytes of every file in both repos, or say why the
// step may not be applied. Nothing here touches git or the disk.
import { decode, parseNix, type SyntaxTree } from '../nixlang/index.js';
import { walk } from '../nixlang/visit.js';
import { extractInline } from './inline.js';
import {
  addExport,
  addFlakeInput,
  applyEdits,
  ensureInputs,
  isRewritable,
  flakeInputRef,
  relocateImports,
  rewriteImports,
  type Edit,
} from './edits.js';
import type { AnalysisReport } from './model.js';
import type { Plan, PlanStep } from './plan.js';

export class Refusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Refusal';
  }
}

export interface StepInput {
  plan: Plan;
  report: AnalysisReport;
  step: number;
  /** Personal repo files by path (byte strings), at least flake.nix, the module and its importers. */
  personal: Map<string, string>;
  /** Shared repo files by path (byte strings): flake.nix, the destination and dependency destinations if present. */
  shared: Map<string, string>;
  sharedUrl: string;
}

export interface StepChanges {
  step: PlanStep;
  /** Changed files only (byte strings). */
  personal: Map<string, string>;
  shared: Map<string, string>;
  /** One line per change, for the summary. */
  notes: string[];
}

/** Every relative path literal in a file (`./x`, `../y`), with its source text. */
function relativePaths(tree: SyntaxTree): { start: number; text: string }[] {
  const out: { start: number; text: string }[] = [];
  walk(tree.root, (n) => {
    if (n.type !== 'Path' || n.home) return;
    const first = n.parts[0];
    if (first?.type === 'PathLiteral' && !first.value.startsWith('/')) {
      out.push({ start: n.start, text: decode(tree.source.slice(n.start, n.end)) });
    }
  });
  return out;
}

export function selectStep(plan: Plan, n: number): PlanStep {
  const step = plan.steps[n - 1];
  if (!step) throw new Refusal(`there is no step ${n}: the plan has ${plan.steps.length} steps`);
  if (step.action === 'stay') {
    if (step.label === 'secret')
      throw new Refusal(`step ${n} (${step.file}) is classified secret: secrets never move`);
    throw new Refusal(`step ${n} (${step.file}) stays in the personal repo: ${step.reason}`);
  }
  if (step.options.length > 0) {
    const list = step.options.map((o) => `line ${o.line} -> ${o.option}`).join(', ');
    throw new Refusal(
      `step ${n} (${step.file}) still holds personal values (${list}); make them options first, so nothing personal lands in the shared repo`,
    );
  }
  if (step.importStyle === 'auto-import' && !step.inline) {
    throw new Refusal(
      `step ${n} (${step.file}) is auto-imported (import-tree); move it by hand as the plan describes`,
    );
  }
  return step;
}

function edited(path: string, before: string, edits: Edit[]): string {
  const after = applyEdits(before, edits);
  const old = parseNix(before);
  const now = parseNix(after);
  // Refuse an edit that breaks parsing or adds a problem Nix would report.
  if (now.diagnostics.length > old.diagnostics.length) {
    const d = now.diagnostics[0]!;
    throw new Refusal(
      `the edit of ${path} would not parse cleanly: ${d.message} at ${path}:${d.line}:${d.column}`,
    );
  }
  return after;
}

export function planChanges(input: StepInput): StepChanges {
  const step = selectStep(input.plan, input.step);
  const output = step.output!;
  const name = step.name!;
  const dest = step.destination!;
  const notes: string[] = [];
  const shared = new Map<string, string>();
  const personal = new Map<string, string>();
  const need = (files: Map<string, string>, path: string, where: string): string => {
    const text = files.get(path);
    if (text === undefined) throw new Refusal(`${where} has no ${path}`);
    return text;
  };

  // Shared repo: the module under the layout of ARCHITECTURE.md, and its export.
  const source = need(input.personal, step.file, 'the personal repo');
  const destOf = new Map<string, string>();
  for (const n of step.after) {
    const dep = input.plan.steps[n - 1]!;
    if (!input.shared.has(dep.destination!))
      throw new Refusal(
        `step ${input.step} imports ${dep.file}: apply step ${n} first and merge its branch into the shared repo`,
      );
    destOf.set(dep.file, dep.destination!);
  }
  const ownEdges = input.report.edges.filter(
    (e) => e.from === step.file && e.kind !== 'auto-import',
  );
  // A relative path the move cannot carry (./starship.toml, ./scripts) would
  // dangle in the shared repo: refuse rather than copy a broken module.
  const carried = new Set(ownEdges.map((e) => e.start));
  const loose = relativePaths(parseNix(source)).find((p) => !carried.has(p.start));
  if (loose) {
    throw new Refusal(
      `${step.file} refers to ${loose.text}, which would not exist in the shared repo; move or inline it by hand first`,
    );
  }
  const relocated = relocateImports(ownEdges, dest, destOf);
  if (typeof relocated === 'string')
    throw new Refusal(`${step.file} imports ${relocated}, which is not part of the plan's moves`);
  let copy = relocated.length ? edited(dest, source, relocated) : source;
  if (step.inline) {
    const target = `inputs.${input.plan.sharedInput}.${output}.${name}`;
    const inline = extractInline(source, step.inline.output, step.inline.name, target);
    if ('refusal' in inline)
      throw new Refusal(`step ${input.step} (${step.file}): ${inline.refusal}`);
    copy = inline.module;
    personal.set(step.file, edited(step.file, source, inline.edits));
    notes.push(`personal: ${step.file} re-exports ${output}.${name} from the shared flake`);
  }
  const existing = input.shared.get(dest);
  if (existing === undefined) {
    shared.set(dest, copy);
    notes.push(`shared: add ${dest}`);
  } else if (existing !== copy) {
    throw new Refusal(`the shared repo already has a different ${dest}; not overwriting it`);
  }
  const flake = need(input.shared, 'flake.nix', 'the shared repo');
  const exp = addExport(parseNix(flake), output, name, dest);
  if (exp.kind === 'conflict') throw new Refusal(exp.message);
  if (exp.kind === 'edit') {
    shared.set('flake.nix', edited('shared flake.nix', flake, exp.edits));
    notes.push(`shared: export ${output}.${name} in flake.nix`);
  }

  // Personal repo: each import of the module now names the shared export.
  const importers = input.report.edges.filter((e) => e.to === step.file && isRewritable(e));
  const byFile = new Map<string, typeof importers>();
  for (const e of importers) byFile.set(e.from, [...(byFile.get(e.from) ?? []), e]);
  const personalFlake = need(input.personal, 'flake.nix', 'the personal repo');
  const flakeEdits: Edit[] = [];
  const inputEdits = addFlakeInput(
    parseNix(personalFlake),
    input.plan.sharedInput,
    input.sharedUrl,
  );
  if (inputEdits === null)
    throw new Refusal('cannot find where to add the input in the personal flake.nix');
  if (inputEdits.length) notes.push(`personal: add input ${input.plan.sharedInput} to flake.nix`);
  flakeEdits.push(...inputEdits);
  for (const [file, edges] of byFile) {
    const text = need(input.personal, file, 'the personal repo');
    const tree = parseNix(text);
    const edits: Edit[] = [];
    if (file === 'flake.nix') {
      const ref = flakeInputRef(tree, input.plan.sharedInput);
      if (!ref)
        throw new Refusal(
          'cannot tell how flake.nix refers to its inputs (outputs is not a function of its inputs)',
        );
      edits.push(...ref.edits, ...rewriteImports(edges, `${ref.ref}.${output}.${name}`));
      flakeEdits.push(...edits);
    } else {
      const inputs = ensureInputs(tree);
      if (inputs) edits.push(inputs);
      edits.push(...rewriteImports(edges, `inputs.${input.plan.sharedInput}.${output}.${name}`));
      personal.set(file, edited(file, text, edits));
    }
    notes.push(`personal: ${file} imports ${output}.${name} from the shared flake`);
  }
  if (flakeEdits.length) personal.set('flake.nix', edited('flake.nix', personalFlake, flakeEdits));
  return { step, personal, shared, notes };
}
