// The migration plan: one component per step, leaves first (a module after
// the modules it imports), each step saying what moves where, which values
// would become options, and which imports the personal repo rewrites to the
// shared flake's export. What may not move stays, with the reason.
import { posix } from 'node:path';
import { isRewritable } from './edits.js';
import type {
  AnalysisReport,
  FileVerdict,
  Label,
  ModuleClass,
  Parameter,
  Platform,
} from './model.js';

export type ImportStyle = 'path' | 'auto-import' | 'none';

export interface Rewrite {
  file: string;
  line: number;
  column: number;
  before: string;
  after: string;
}

export interface PlanStep {
  n: number;
  action: 'move' | 'stay';
  file: string;
  label: Label;
  platform?: Platform;
  moduleClass: ModuleClass;
  /** Why the file stays (secret, personal, blocked by an import ...). */
  reason?: string;
  /** Where the module goes in the shared repo and under which export. */
  destination?: string;
  output?: 'nixosModules' | 'homeModules' | 'darwinModules';
  name?: string;
  /** Personal values that become crossflake.* options before the move. */
  options: Parameter[];
  /** How the personal repo loads it today: path imports can be rewritten. */
  importStyle: ImportStyle;
  rewrites: Rewrite[];
  /** Steps that must be applied first (the modules this one imports). */
  after: number[];
  /** Dendritic: the module is the value of `flake.<output>.<name>` inside the file. */
  inline?: { output: string; name: string };
}

export interface Plan {
  schema: 'crossflake.extract.plan/1';
  root: string;
  sharedInput: string;
  steps: PlanStep[];
  /** Files that are not modules (the flake, data, packages): they stay where they are. */
  others: { file: string; kind: FileVerdict['kind']; label: Label }[];
  mermaid: string;
}

const OUTPUT_OF: Partial<Record<ModuleClass, PlanStep['output']>> = {
  nixos: 'nixosModules',
  home: 'homeModules',
  darwin: 'darwinModules',
};
const DIR_OF: Record<NonNullable<PlanStep['output']>, string> = {
  nixosModules: 'nixos',
  homeModules: 'home',
  darwinModules: 'darwin',
};

/** The export name of a module file: its stem, or its directory for default.nix. */
export function exportName(file: string): string {
  const stem = posix.basename(file, '.nix');
  const base = stem === 'default' ? posix.basename(posix.dirname(file)) : stem;
  return (
    base
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'module'
  );
}

/** Module values defined inline in a file (`flake.modules.nixos.x = { ... };`). */
function inlineExports(report: AnalysisReport, file: string): AnalysisReport['exports'] {
  return report.exports.filter(
    (e) =>
      e.file === file &&
      e.targets.length === 0 &&
      e.output.startsWith('modules.') &&
      e.isModule !== false,
  );
}

/** The export name, prefixed with its directory when an earlier step took it (modules/a/base.nix, modules/b/base.nix). */
function uniqueName(file: string, output: string, taken: Set<string>): string {
  let name = exportName(file);
  const dir = posix
    .basename(posix.dirname(file))
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-');
  if (taken.has(`${output}.${name}`) && dir && dir !== '.') name = `${dir}-${name}`;
  for (let i = 2; taken.has(`${output}.${name}`); i++) name = `${exportName(file)}-${i}`;
  taken.add(`${output}.${name}`);
  return name;
}

/** Files in leaves-first order: every file after the files it imports (cycles broken by path order). */
export function leavesFirst(files: FileVerdict[]): FileVerdict[] {
  const byPath = new Map(files.map((f) => [f.path, f]));
  const done = new Set<string>();
  const out: FileVerdict[] = [];
  const visit = (f: FileVerdict, stack: Set<string>): void => {
    if (done.has(f.path) || stack.has(f.path)) return;
    stack.add(f.path);
    for (const dep of [...f.imports].sort()) {
      const d = byPath.get(dep);
      if (d) visit(d, stack);
    }
    stack.delete(f.path);
    done.add(f.path);
    out.push(f);
  };
  for (const f of [...files].sort((a, b) => a.path.localeCompare(b.path))) visit(f, new Set());
  return out;
}

// What the module systems pass every module (NixOS, nix-darwin, home-manager,
// submodules), plus `inputs`/`self`, which apply passes on through the
// shared flake's specialArgs. Any other argument comes from the personal
// flake (specialArgs, extraSpecialArgs) or a framework, and would be missing
// in the shared flake.
const MODULE_ARGUMENTS = new Set([
  'config',
  'options',
  'lib',
  'pkgs',
  'modulesPath',
  'specialArgs',
  'utils',
  'name',
  'osConfig',
  'nixosConfig',
  'darwinConfig',
  'inputs',
  'self',
]);

function foreignReason(names: string[]): string {
  const list = names.map((n) => `\`${n}\``).join(', ');
  // Only snowfall-lib passes `namespace`; its options need a fixed name first.
  if (names.includes('namespace'))
    return `takes snowfall-lib's \`namespace\` argument (and ${list}), which the shared flake does not pass`;
  return `takes ${list}, which the personal flake passes (specialArgs) and the shared flake does not`;
}

function stayReason(f: FileVerdict): string | null {
  if (f.label === 'secret') return 'secret: secrets never move';
  if (f.label === 'personal') return 'personal: it describes this person';
  if (f.label === 'host-specific') return 'host-specific: it describes one machine';
  if (f.diagnostics.length > 0)
    return `does not parse (${f.diagnostics[0]!.message} at line ${f.diagnostics[0]!.line})`;
  const foreign = (f.arguments ?? []).filter((a) => !MODULE_ARGUMENTS.has(a));
  if (foreign.length > 0) return foreignReason(foreign);
  return null;
}

export function makePlan(report: AnalysisReport, sharedInput: string): Plan {
  const modules = report.files.filter((f) => f.kind === 'module');
  const order = leavesFirst(modules);
  const stepOf = new Map<string, PlanStep>();
  const taken = new Set<string>();
  const steps: PlanStep[] = [];
  for (const f of order) {
    const importers = report.edges.filter((e) => e.to === f.path);
    const pathImports = importers.filter(isRewritable);
    const importStyle: ImportStyle =
      pathImports.length > 0
        ? 'path'
        : importers.some((e) => e.kind === 'auto-import')
          ? 'auto-import'
          : 'none';
    const deps = f.imports.map((p) => stepOf.get(p)).filter((s): s is PlanStep => s !== undefined);
    const step: PlanStep = {
      n: steps.length + 1,
      action: 'move',
      file: f.path,
      label: f.label,
      moduleClass: f.moduleClass,
      options: f.parameters,
      importStyle,
      rewrites: [],
      after: deps.map((d) => d.n),
    };
    if (f.platform) step.platform = f.platform;
    const output = OUTPUT_OF[f.moduleClass];
    const blockedBy = deps.find((d) => d.action === 'stay');
    const reason =
      stayReason(f) ??
      (blockedBy ? `imports ${blockedBy.file}, which stays` : null) ??
      (output
        ? null
        : `module class ${f.moduleClass}: not a NixOS, nix-darwin or home-manager module`);
    if (reason) {
      step.action = 'stay';
      step.reason = reason;
    } else {
      step.output = output!;
      const inline = importStyle === 'path' ? [] : inlineExports(report, f.path);
      step.name = uniqueName(
        inline.length === 1 ? `${inline[0]!.name}.nix` : f.path,
        output!,
        taken,
      );
      step.destination = `nix/modules/${DIR_OF[output!]}/${step.name}.nix`;
      const target = `inputs.${sharedInput}.${output!}.${step.name}`;
      step.rewrites = pathImports.map((e) => ({
        file: e.from,
        line: e.line,
        column: e.column,
        before: e.text,
        after: target,
      }));
      if (inline.length === 1) {
        // The file stays (import-tree loads it); its module value becomes the shared export.
        const e = inline[0]!;
        step.inline = { output: e.output, name: e.name };
        step.rewrites = [
          {
            file: f.path,
            line: e.line,
            column: 1,
            before: `flake.${e.output}.${e.name} = { ... }`,
            after: `flake.${e.output}.${e.name} = ${target}`,
          },
        ];
      }
    }
    stepOf.set(f.path, step);
    steps.push(step);
  }
  const others = report.files
    .filter((f) => f.kind !== 'module')
    .map((f) => ({ file: f.path, kind: f.kind, label: f.label }));
  return {
    schema: 'crossflake.extract.plan/1',
    root: report.root,
    sharedInput,
    steps,
    others,
    mermaid: '',
  };
}
