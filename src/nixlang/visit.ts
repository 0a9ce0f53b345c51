// Walking the syntax tree, plus the small queries later features need:
// attribute paths bound at any depth, `imports` lists, string literals,
// `inputs.*` references and function formals.
import type {
  AttrName,
  BindingLike,
  Expr,
  Formals,
  Lambda,
  List,
  Node,
  Select,
  Span,
  SyntaxTree,
} from './ast.js';
import { decode } from './source.js';
import { lowerIndString } from './strings.js';

/** The direct children of a node, in source order. */
export function children(node: Node): Node[] {
  switch (node.type) {
    case 'String':
    case 'IndentedString':
    case 'Path':
      return node.parts;
    case 'Interpolation':
    case 'Paren':
      return [node.expr];
    case 'Binding':
      return [...node.path, node.value];
    case 'Inherit':
      return node.from ? [node.from, ...node.names] : node.names;
    case 'Attrs':
    case 'LegacyLet':
      return node.bindings;
    case 'List':
      return node.items;
    case 'Formal':
      return node.default ? [node.name, node.default] : [node.name];
    case 'Formals':
      return node.entries;
    case 'Lambda': {
      const head: Node[] = [];
      if (node.arg && node.argFirst) head.push(node.arg);
      if (node.formals) head.push(node.formals);
      if (node.arg && !node.argFirst) head.push(node.arg);
      return [...head, node.body];
    }
    case 'Let':
      return [...node.bindings, node.body];
    case 'With':
      return [node.env, node.body];
    case 'Assert':
      return [node.cond, node.body];
    case 'If':
      return [node.cond, node.then, node.else];
    case 'Unary':
      return [node.operand];
    case 'Binary':
      return [node.left, node.right];
    case 'HasAttr':
      return [node.expr, ...node.path];
    case 'Select':
      return node.default ? [node.expr, ...node.path, node.default] : [node.expr, ...node.path];
    case 'App':
      return [node.fn, node.arg];
    default:
      return [];
  }
}

/**
 * Visit every node depth-first in source order. Return false from `enter`
 * to skip a node's children.
 */
export function walk(node: Node, enter: (node: Node, parent: Node | null) => boolean | void): void {
  const stack: [Node, Node | null][] = [[node, null]];
  while (stack.length > 0) {
    const [n, parent] = stack.pop()!;
    if (enter(n, parent) === false) continue;
    const kids = children(n);
    for (let i = kids.length - 1; i >= 0; i--) stack.push([kids[i]!, n]);
  }
}

/** The static text of an attribute name (decoded), or null for `${...}` names. */
export function attrNameText(name: AttrName): string | null {
  if (name.type === 'Identifier') return decode(name.name);
  if (name.type === 'Interpolation') {
    const e = unparen(name.expr);
    return e.type === 'String' ? attrNameText(e) : null;
  }
  if (name.type === 'String' && name.parts.every((p) => p.type === 'StringLiteral')) {
    return decode(name.parts.map((p) => (p.type === 'StringLiteral' ? p.value : '')).join(''));
  }
  return null;
}

function unparen(e: Expr): Expr {
  while (e.type === 'Paren') e = e.expr;
  return e;
}

export interface BoundPath {
  /** Full path from the file's outermost set; null marks a dynamic name. */
  path: (string | null)[];
  binding: BindingLike;
  /** The bound value; null for `inherit`. */
  value: Expr | null;
}

/**
 * Every attribute path bound in attribute sets and lets, at any depth:
 * `{ a.b = 1; c = { d = 2; }; }` gives a.b, c and c.d. Paths inside a value
 * that is not itself a set (a function body, a list) start afresh.
 */
export function boundAttrPaths(tree: SyntaxTree): BoundPath[] {
  const out: BoundPath[] = [];
  const visitBindings = (bindings: BindingLike[], prefix: (string | null)[]): void => {
    for (const b of bindings) {
      if (b.type === 'Inherit') {
        for (const n of b.names)
          out.push({ path: [...prefix, attrNameText(n)], binding: b, value: null });
        if (b.from) visitExpr(b.from);
        continue;
      }
      const path = [...prefix, ...b.path.map(attrNameText)];
      out.push({ path, binding: b, value: b.value });
      const v = unparen(b.value);
      if (v.type === 'Attrs') visitBindings(v.bindings, path);
      else visitExpr(b.value);
    }
  };
  const visitExpr = (e: Node): void =>
    walk(e, (n) => {
      if (n.type === 'Attrs' || n.type === 'LegacyLet' || n.type === 'Let') {
        visitBindings(n.bindings, []);
        if (n.type === 'Let') visitExpr(n.body);
        return false;
      }
    });
  visitExpr(tree.root);
  return out;
}

export interface ImportsList {
  binding: BindingLike;
  list: List;
  /** The list's elements (paths, calls, ...). */
  items: Expr[];
}

/** Every `imports = [ ... ];` binding, at any depth. */
export function importsLists(tree: SyntaxTree): ImportsList[] {
  return boundAttrPaths(tree).flatMap((b) => {
    const v = b.value ? unparen(b.value) : null;
    return b.path[b.path.length - 1] === 'imports' && v?.type === 'List'
      ? [{ binding: b.binding, list: v, items: v.items }]
      : [];
  });
}

export interface StringLiteralInfo extends Span {
  node: Expr;
  /** The decoded value, or null when the string interpolates. */
  value: string | null;
}

/** Every string ("..." and ''...''), with its value when it is constant. */
export function stringLiterals(tree: SyntaxTree): StringLiteralInfo[] {
  const out: StringLiteralInfo[] = [];
  walk(tree.root, (n) => {
    if (n.type !== 'String' && n.type !== 'IndentedString') return;
    let value: string | null = null;
    if (n.type === 'String' && n.parts.every((p) => p.type === 'StringLiteral')) {
      value = decode(n.parts.map((p) => (p.type === 'StringLiteral' ? p.value : '')).join(''));
    } else if (n.type === 'IndentedString' && n.parts.every((p) => p.type !== 'Interpolation')) {
      // Nix's own indentation stripping, so the value is what evaluation sees.
      const lowered = lowerIndString(n, () => ({ k: 'error' }));
      value = lowered.k === 'string' ? decode(lowered.s) : null;
    }
    out.push({ node: n, start: n.start, end: n.end, value });
  });
  return out;
}

export interface InputsReference {
  node: Select;
  /** `inputs.nixpkgs.lib` gives ['nixpkgs', 'lib']; null marks a dynamic name. */
  path: (string | null)[];
}

/** Every `inputs.<name>...` selection. */
export function inputsReferences(tree: SyntaxTree): InputsReference[] {
  const out: InputsReference[] = [];
  walk(tree.root, (n) => {
    if (n.type === 'Select' && unparen(n.expr).type === 'Var') {
      const v = unparen(n.expr);
      if (v.type === 'Var' && v.name === 'inputs')
        out.push({ node: n, path: n.path.map(attrNameText) });
    }
  });
  return out;
}

export interface FunctionFormals {
  node: Lambda;
  formals: Formals;
  names: string[];
  /** Names that have a default value. */
  withDefaults: string[];
  ellipsis: boolean;
  /** The `@` name, if any. */
  arg: string | null;
}

/** Every function with a `{ ... }` pattern. */
export function functionFormals(tree: SyntaxTree): FunctionFormals[] {
  const out: FunctionFormals[] = [];
  walk(tree.root, (n) => {
    if (n.type !== 'Lambda' || !n.formals) return;
    out.push({
      node: n,
      formals: n.formals,
      names: n.formals.entries.map((f) => decode(f.name.name)),
      withDefaults: n.formals.entries.filter((f) => f.default).map((f) => decode(f.name.name)),
      ellipsis: n.formals.ellipsis,
      arg: n.arg ? decode(n.arg.name) : null,
    });
  });
  return out;
}
