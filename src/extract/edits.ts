// Byte-range edits of Nix source. Every change extract apply makes is one of
// these: replace a node's bytes, or insert a line inside an attribute set.
// Everything outside the edited ranges is copied byte for byte.
import { posix } from 'node:path';
import type { Attrs, Expr, Lambda, SyntaxTree } from '../nixlang/index.js';
import { attrNameText } from '../nixlang/visit.js';
import type { ImportEdge } from './model.js';

export interface Edit {
  start: number;
  end: number;
  /** Replacement, as a byte string (ASCII in practice). */
  text: string;
}

export function applyEdits(source: string, edits: Edit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  let out = source;
  let limit = Infinity;
  for (const e of sorted) {
    if (e.end > limit) throw new Error(`overlapping edits at byte ${e.start}`);
    out = out.slice(0, e.start) + e.text + out.slice(e.end);
    limit = e.start;
  }
  return out;
}

function unparen(e: Expr): Expr {
  while (e.type === 'Paren') e = e.expr;
  return e;
}

function lineStart(source: string, offset: number): number {
  return source.lastIndexOf('\n', offset - 1) + 1;
}

function indentAt(source: string, offset: number): string {
  const start = lineStart(source, offset);
  return /^[ \t]*/.exec(source.slice(start, offset))![0];
}

/** Insert `line` as a new binding at the end of an attribute set, matching its indentation. */
export function insertBinding(source: string, attrs: Attrs, line: string): Edit {
  const last = attrs.bindings[attrs.bindings.length - 1];
  const closing = attrs.end - 1;
  if (!last) {
    const indent = indentAt(source, attrs.start);
    return { start: closing, end: closing, text: `\n${indent}  ${line}\n${indent}` };
  }
  const eol = source.indexOf('\n', last.end);
  if (eol < 0 || eol >= closing) return { start: last.end, end: last.end, text: ` ${line}` };
  // After the end of the last binding's line, so a trailing comment stays put.
  return { start: eol + 1, end: eol + 1, text: `${indentAt(source, last.start)}${line}\n` };
}

/** Add `name` to the file's top-level function pattern, if it has one and lacks it. */
export function ensureFormal(tree: SyntaxTree, name: string): Edit | null {
  const root = unparen(tree.root);
  if (root.type !== 'Lambda' || !root.formals) return null;
  if (root.formals.entries.some((f) => f.name.name === name) || root.arg?.name === name)
    return null;
  const first = root.formals.entries[0];
  if (first) return { start: first.start, end: first.start, text: `${name}, ` };
  // `{ ... }`: put the name before the ellipsis.
  const dots = tree.source.indexOf('...', root.formals.start);
  if (dots < 0 || dots > root.formals.end) return null;
  return { start: dots, end: dots, text: `${name}, ` };
}

/**
 * Make `inputs` a name the file's module can use: add it to the argument
 * pattern, or turn a plain attribute-set module into a function of it (a
 * module may be either, the module system passes the arguments).
 */
export function ensureInputs(tree: SyntaxTree): Edit | null {
  const root = unparen(tree.root);
  if (root.type === 'Lambda') return ensureFormal(tree, 'inputs');
  if (root.type === 'Attrs')
    return { start: root.start, end: root.start, text: '{ inputs, ... }:\n' };
  return null;
}

/** Import edges apply rewrites: list items, and a path bound as a value (`x.nixosModules.a = ./a.nix;`). */
export function isRewritable(e: ImportEdge): boolean {
  return (
    e.kind === 'imports' || e.kind === 'modules' || (e.kind === 'import' && e.via === 'path value')
  );
}

/** The `outputs = ...` function of a flake.nix. */
export function outputsLambda(tree: SyntaxTree): Lambda | null {
  const root = unparen(tree.root);
  if (root.type !== 'Attrs') return null;
  for (const b of root.bindings) {
    if (b.type === 'Binding' && b.path.length === 1 && attrNameText(b.path[0]!) === 'outputs') {
      const v = unparen(b.value);
      return v.type === 'Lambda' ? v : null;
    }
  }
  return null;
}

/** Edits that add `inputs.<name>.url = "<url>"` to a flake.nix; [] when the input exists. */
export function addFlakeInput(tree: SyntaxTree, name: string, url: string): Edit[] | null {
  const root = unparen(tree.root);
  if (root.type !== 'Attrs') return null;
  const line = `${name}.url = ${JSON.stringify(url)};`;
  let inputsSet: Attrs | null = null;
  let lastDotted: number | null = null;
  for (const b of root.bindings) {
    if (b.type !== 'Binding' || attrNameText(b.path[0]!) !== 'inputs') continue;
    if (b.path.length >= 2 && attrNameText(b.path[1]!) === name) return [];
    const v = unparen(b.value);
    if (b.path.length === 1 && v.type === 'Attrs') {
      if (v.bindings.some((x) => x.type === 'Binding' && attrNameText(x.path[0]!) === name))
        return [];
      inputsSet = v;
    } else if (b.path.length > 1) lastDotted = b.start;
  }
  if (inputsSet) return [insertBinding(tree.source, inputsSet, line)];
  if (lastDotted !== null || root.bindings.length > 0)
    return [insertBinding(tree.source, root, `inputs.${line}`)];
  return null;
}

/**
 * How flake.nix code reaches the input: `inputs.<name>` when outputs is
 * `inputs@{...}` or `inputs:`, else the input's own formal (added if missing).
 */
export function flakeInputRef(
  tree: SyntaxTree,
  name: string,
): { ref: string; edits: Edit[] } | null {
  const outputs = outputsLambda(tree);
  if (!outputs) return null;
  if (outputs.arg?.name === 'inputs') return { ref: `inputs.${name}`, edits: [] };
  if (!outputs.formals) return null;
  if (outputs.formals.entries.some((f) => f.name.name === name)) return { ref: name, edits: [] };
  const first = outputs.formals.entries[0];
  if (!first) return null;
  return { ref: name, edits: [{ start: first.start, end: first.start, text: `${name}, ` }] };
}

/** Replace each import of the moved file with the shared export. */
export function rewriteImports(edges: ImportEdge[], replacement: string): Edit[] {
  return edges.map((e) => ({ start: e.start, end: e.end, text: replacement }));
}

/** In the copied module, point relative imports at the new places of the modules they load. */
export function relocateImports(
  edges: ImportEdge[],
  destination: string,
  destOf: Map<string, string>,
): Edit[] | string {
  const edits: Edit[] = [];
  for (const e of edges) {
    const target = destOf.get(e.to);
    if (!target) return e.to;
    let rel = posix.relative(posix.dirname(destination), target);
    if (!rel.startsWith('.')) rel = `./${rel}`;
    edits.push({ start: e.start, end: e.end, text: rel });
  }
  return edits;
}

export type ExportEdit =
  { kind: 'edit'; edits: Edit[] } | { kind: 'present' } | { kind: 'conflict'; message: string };

/** Export `./<destination>` as `<output>.<name>` in the shared flake.nix. */
export function addExport(
  tree: SyntaxTree,
  output: string,
  name: string,
  destination: string,
): ExportEdit {
  const value = `{ imports = [ ./${destination} ]; }`;
  const outputs = outputsLambda(tree);
  if (!outputs)
    return {
      kind: 'conflict',
      message: 'the shared flake.nix has no `outputs = ...: ...` function',
    };
  let body = unparen(outputs.body);
  while (body.type === 'Let' || body.type === 'With') body = unparen(body.body);
  if (body.type !== 'Attrs') {
    return {
      kind: 'conflict',
      message:
        "the shared flake's outputs are not a plain attribute set (flake-parts?); add the export by hand",
    };
  }
  const src = tree.source;
  for (const b of body.bindings) {
    if (b.type !== 'Binding' || attrNameText(b.path[0]!) !== output) continue;
    const rest = b.path.slice(1).map(attrNameText);
    if (rest.length === 1 && rest[0] === name) {
      return src.slice(b.start, b.end).includes(destination)
        ? { kind: 'present' }
        : {
            kind: 'conflict',
            message: `the shared flake already exports ${output}.${name} (use another step name)`,
          };
    }
    const v = unparen(b.value);
    if (rest.length === 0 && v.type === 'Attrs') {
      const existing = v.bindings.find(
        (x) => x.type === 'Binding' && attrNameText(x.path[0]!) === name,
      );
      if (existing) {
        return src.slice(existing.start, existing.end).includes(destination)
          ? { kind: 'present' }
          : { kind: 'conflict', message: `the shared flake already exports ${output}.${name}` };
      }
      return { kind: 'edit', edits: [insertBinding(src, v, `${name} = ${value};`)] };
    }
  }
  return { kind: 'edit', edits: [insertBinding(src, body, `${output}.${name} = ${value};`)] };
}
