// Reads what a repository exports and configures, from the syntax alone:
// `nixosModules.<name>`, `homeModules`, `darwinModules`, flake-parts'
// `flake.*` and the dendritic `flake.modules.<class>.<name>`, plus every
// `nixosConfigurations` / `darwinConfigurations` / `homeConfigurations` entry
// with the host and user it names.
import type { Expr, Node } from '../nixlang/index.js';
import { attrNameText, walk } from '../nixlang/visit.js';
import type { FileContext } from './context.js';
import type { Configuration, FlakeExport, ImportEdge, ModuleClass } from './model.js';
import { looksLikeModule } from './shape.js';
import { moduleListItems } from './tree-index.js';

export const MODULE_OUTPUTS: Record<string, ModuleClass> = {
  nixosModules: 'nixos',
  darwinModules: 'darwin',
  homeModules: 'home',
  homeManagerModules: 'home',
  flakeModules: 'flake-parts',
  'modules.nixos': 'nixos',
  'modules.darwin': 'darwin',
  'modules.homeManager': 'home',
  'modules.home': 'home',
  'modules.flake': 'flake-parts',
};
const CONFIG_OUTPUTS = [
  'nixosConfigurations',
  'darwinConfigurations',
  'homeConfigurations',
] as const;

interface Found {
  output: string;
  name: string;
  value: Expr;
  start: number;
}

/** `x.nixosModules.base` -> output nixosModules, name base; `flake.modules.nixos.a` likewise. */
function splitOutput(path: (string | null)[]): { output: string; name: string } | null {
  for (let i = 0; i < path.length - 1; i++) {
    const seg = path[i];
    if (seg === null || seg === undefined) return null;
    // Every two-segment output starts with `modules.`: build the name only then.
    const two = seg === 'modules' ? `${seg}.${path[i + 1] ?? ''}` : '';
    if (
      i + 3 === path.length &&
      two &&
      MODULE_OUTPUTS[two] &&
      (i === 0 || path[i - 1] === 'flake')
    ) {
      const name = path[i + 2];
      return name ? { output: two, name } : null;
    }
    const isOutput =
      Object.hasOwn(MODULE_OUTPUTS, seg) || (CONFIG_OUTPUTS as readonly string[]).includes(seg);
    if (isOutput && i + 2 === path.length && (i === 0 || path[i - 1] === 'flake')) {
      const name = path[i + 1];
      return name ? { output: seg, name } : null;
    }
  }
  return null;
}

function found(ctx: FileContext): Found[] {
  return ctx.memo('outputs', () => findOutputs(ctx));
}

// Every output path has one of these names (a two-segment output starts with
// `modules`): a file that binds none of them, most files, has no output.
const OUTPUT_NAMES = [
  'modules',
  ...Object.keys(MODULE_OUTPUTS).filter((k) => !k.includes('.')),
  ...CONFIG_OUTPUTS,
];

function findOutputs(ctx: FileContext): Found[] {
  const out: Found[] = [];
  if (!OUTPUT_NAMES.some((n) => ctx.names.has(n))) return out;
  const bound = ctx.bound;
  for (let i = 0; i < bound.length; i++) {
    const b = bound[i]!;
    if (!b.value) continue;
    const hit = splitOutput(b.path);
    if (hit) out.push({ ...hit, value: b.value, start: b.binding.start });
  }
  return out;
}

function edgesWithin(edges: ImportEdge[], file: string, node: Node): string[] {
  return edges
    .filter((e) => e.from === file && e.start >= node.start && e.end <= node.end)
    .map((e) => e.to);
}

export function readExports(ctx: FileContext, edges: ImportEdge[]): FlakeExport[] {
  return found(ctx)
    .filter((f) => f.output in MODULE_OUTPUTS)
    .map((f) => {
      const targets = [...new Set(edgesWithin(edges, ctx.file.path, f.value))];
      const shape = looksLikeModule(f.value);
      const exp: FlakeExport = {
        output: f.output,
        name: f.name,
        file: ctx.file.path,
        line: ctx.positions.at(f.start).line,
        targets,
      };
      // A path (or `import ./x`) exports a file; its shape is the file's.
      if (!exportsFile(f.value) && shape !== null) exp.isModule = shape;
      return exp;
    });
}

function exportsFile(e: Expr): boolean {
  while (e.type === 'Paren') e = e.expr;
  return e.type === 'Path' || (e.type === 'App' && e.arg.type === 'Path');
}

/** Export references such as `self.nixosModules.x` or `config.flake.modules.nixos.x` in a value. */
function exportRefs(value: Expr, exports: FlakeExport[]): string[] {
  const out: string[] = [];
  walk(value, (n) => {
    if (n.type !== 'Select') return;
    const path = n.path.map(attrNameText);
    for (const e of exports) {
      const tail = [...e.output.split('.'), e.name];
      const at = path.length - tail.length;
      if (at >= 0 && tail.every((t, i) => path[at + i] === t))
        out.push(...(e.targets.length ? e.targets : [e.file]));
    }
  });
  return out;
}

/** Files a configuration's `modules` list reaches through a let-bound list (`common ++ [ ... ]`). */
function listedThroughLets(ctx: FileContext, edges: ImportEdge[], value: Expr): string[] {
  const out: string[] = [];
  walk(value, (n) => {
    if (n.type !== 'Binding') return;
    const last = n.path[n.path.length - 1];
    if (!last || attrNameText(last) !== 'modules') return;
    for (const item of moduleListItems(n.value, ctx.index.lets))
      for (const e of edges) if (e.from === ctx.file.path && e.start === item.start) out.push(e.to);
  });
  return out;
}

/** Whether the file defines nixosConfigurations, darwinConfigurations or homeConfigurations. */
export function hasConfigurations(ctx: FileContext): boolean {
  return found(ctx).some((f) => (CONFIG_OUTPUTS as readonly string[]).includes(f.output));
}

export function readConfigurations(
  ctx: FileContext,
  edges: ImportEdge[],
  exports: FlakeExport[],
): Configuration[] {
  return found(ctx)
    .filter((f) => (CONFIG_OUTPUTS as readonly string[]).includes(f.output))
    .map((f) => {
      const output = f.output as Configuration['output'];
      const conf: Configuration = {
        output,
        name: f.name,
        file: ctx.file.path,
        line: ctx.positions.at(f.start).line,
        modules: [
          ...new Set([
            ...edgesWithin(edges, ctx.file.path, f.value),
            ...listedThroughLets(ctx, edges, f.value),
            ...exportRefs(f.value, exports),
          ]),
        ],
      };
      if (output === 'homeConfigurations') {
        const at = f.name.indexOf('@');
        conf.user = at >= 0 ? f.name.slice(0, at) : f.name;
        if (at >= 0) conf.host = f.name.slice(at + 1);
      } else {
        conf.host = f.name;
      }
      return conf;
    });
}
