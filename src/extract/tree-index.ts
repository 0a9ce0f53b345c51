// One walk over a file's syntax tree that collects everything the analysis
// reads from it: the bound attribute paths, the strings, the literal pieces the
// rules search, and the places that may name another file. The graph, the
// outputs, the identifiers and every rule used to walk the tree again each;
// on a repo of thousands of files those walks cost more than parsing.
//
// The results are what the separate queries gave, in the same order: `bound`
// as nixlang's boundAttrPaths, `strings` as stringLiterals, `pieces` and
// `links` in the depth-first source order of nixlang's walk. One addition: a
// module list written `common ++ [ ... ]` also links the items of the
// let-bound `common`, at the place of use (see moduleListItems).
import type {
  AttrName,
  Expr,
  Identifier,
  IndentedLiteral,
  IndStr,
  Node,
  PathLiteral,
  Str,
  StringLiteral,
} from '../nixlang/index.js';
import { attrNameText, type BoundPath } from '../nixlang/visit.js';

/** A literal node the rules search: string and path pieces, attribute and formal names. */
export type PieceNode = StringLiteral | IndentedLiteral | PathLiteral | Identifier;

/** A place that may name another file, as graph.ts reads it. */
export interface Link {
  node: Expr;
  /** `imports`/`modules` list items, a path value, or the argument of a call. */
  site: 'imports' | 'modules' | 'path-value' | 'call';
  /** For list items: the nearest enclosing system builder call (nixosSystem ...). */
  builder: string | null;
  /** For calls: the callee's name and whether it is a plain variable. */
  callee: string | null;
  calleeIsVar: boolean;
}

export interface TreeIndex {
  bound: BoundPath[];
  strings: (Str | IndStr)[];
  pieces: PieceNode[];
  links: Link[];
  /** Values bound by `let name = ...;`, for module lists built from them. */
  lets: Map<string, Expr>;
  /** The `src` of each snowfall-lib `mkFlake { src = ./.; ... }` call. */
  snowfallSrc: Expr[];
}

export const SYSTEM_BUILDERS = new Set([
  'nixosSystem',
  'darwinSystem',
  'homeManagerConfiguration',
  'mkFlake',
]);

/** Name at the end of a function expression: `a.b.nixosSystem` gives nixosSystem. */
export function calleeName(fn: Expr): string | null {
  while (fn.type === 'Paren') fn = fn.expr;
  if (fn.type === 'Var') return fn.name;
  if (fn.type === 'Select') {
    const last = fn.path[fn.path.length - 1];
    return last ? attrNameText(last) : null;
  }
  if (fn.type === 'App') return calleeName(fn.fn);
  return null;
}

export function unparen(e: Expr): Expr {
  while (e.type === 'Paren') e = e.expr;
  return e;
}

/**
 * The items of a module list as people write it: `[ ... ]`, `common ++ [ ... ]`
 * with `common` a let-bound list, `lib.optional cond ./x.nix` and
 * `lib.optionals cond [ ... ]`. Syntax only: a name is looked up among the
 * file's let bindings, whatever scope it sits in.
 */
export function moduleListItems(e: Expr, lets: Map<string, Expr>, depth = 0): Expr[] {
  e = unparen(e);
  // A let that names itself (or a long chain) must not loop.
  if (depth > 8) return [];
  switch (e.type) {
    case 'List':
      return e.items;
    case 'Binary':
      return e.op === '++'
        ? [
            ...moduleListItems(e.left, lets, depth + 1),
            ...moduleListItems(e.right, lets, depth + 1),
          ]
        : [];
    case 'Var': {
      const value = lets.get(e.name);
      return value ? moduleListItems(value, lets, depth + 1) : [];
    }
    case 'App': {
      const callee = calleeName(e.fn);
      if (callee === 'optionals') return moduleListItems(e.arg, lets, depth + 1);
      return callee === 'optional' ? [e.arg] : [];
    }
    default:
      return [];
  }
}

/** Whether an expression mentions snowfall: `inputs.snowfall-lib.mkFlake`, `snowfall.mkFlake`. */
function namesSnowfall(e: Expr): boolean {
  e = unparen(e);
  if (e.type === 'Var') return e.name.startsWith('snowfall');
  if (e.type !== 'Select') return false;
  return (
    e.path.some((a) => (attrNameText(a) ?? '').startsWith('snowfall')) || namesSnowfall(e.expr)
  );
}

/**
 * The `src` of a snowfall-lib `mkFlake` call (flake-parts has a mkFlake too):
 * the callee names snowfall, or the argument has snowfall's own settings.
 */
function snowfallSource(fn: Expr, arg: Expr): Expr | null {
  if (arg.type !== 'Attrs') return null;
  let src: Expr | null = null;
  let settings = false;
  for (const b of arg.bindings) {
    if (b.type !== 'Binding') continue;
    const head = attrNameText(b.path[0]!);
    if (head === 'src' && b.path.length === 1) src = b.value;
    if (head === 'snowfall') settings = true;
  }
  return src && (settings || namesSnowfall(fn)) ? src : null;
}

// What a node inherits from where it sits. `prefix` is set on the value of a
// binding: when that value is a set (through parentheses), its bindings
// extend the binding's path. `inName` marks attribute names, whose
// interpolations bind nothing for boundAttrPaths.
interface Frame {
  node: Node;
  builder: string | null;
  prefix: (string | null)[] | null;
  inName: boolean;
}

const NO_PREFIX: (string | null)[] = [];

export function indexTree(root: Expr): TreeIndex {
  const bound: BoundPath[] = [];
  const strings: (Str | IndStr)[] = [];
  const pieces: PieceNode[] = [];
  const links: Link[] = [];
  const lets = new Map<string, Expr>();
  const snowfallSrc: Expr[] = [];
  // An explicit stack, as nixlang's walk: a deep tree must not overflow.
  const stack: Frame[] = [{ node: root, builder: null, prefix: null, inName: false }];
  const push = (
    node: Node,
    builder: string | null,
    prefix: (string | null)[] | null,
    inName: boolean,
  ): void => {
    stack.push({ node, builder, prefix, inName });
  };
  const pushNames = (names: AttrName[], builder: string | null, inName: boolean): void => {
    for (let i = names.length - 1; i >= 0; i--) push(names[i]!, builder, null, inName);
  };
  while (stack.length > 0) {
    const { node: n, builder, prefix, inName } = stack.pop()!;
    switch (n.type) {
      // Cases in order of how often they occur in real files.
      case 'Identifier':
        pieces.push(n);
        break;
      case 'Var':
        break;
      case 'Binding': {
        const names = n.path.map(attrNameText);
        let path: (string | null)[] | null = null;
        if (!inName) {
          path = prefix && prefix.length ? [...prefix, ...names] : names;
          bound.push({ path, binding: n, value: n.value });
        }
        const name = names.length ? names[names.length - 1]! : null;
        const value = unparen(n.value);
        const site = name === 'imports' || name === 'modules' ? name : null;
        const items = site ? moduleListItems(value, lets) : [];
        if (site && items.length > 0) {
          for (const item of items)
            links.push({ node: item, site, builder, callee: null, calleeIsVar: false });
        } else if (value.type === 'Path') {
          links.push({
            node: value,
            site: 'path-value',
            builder,
            callee: null,
            calleeIsVar: false,
          });
        }
        push(n.value, builder, path, inName);
        pushNames(n.path, builder, true);
        break;
      }
      case 'Select':
        if (n.default) push(n.default, builder, null, inName);
        pushNames(n.path, builder, inName);
        push(n.expr, builder, null, inName);
        break;
      case 'App': {
        const callee = calleeName(n.fn);
        const arg = unparen(n.arg);
        if (arg.type === 'Path')
          links.push({
            node: arg,
            site: 'call',
            builder,
            callee,
            calleeIsVar: unparen(n.fn).type === 'Var',
          });
        if (callee === 'mkFlake') {
          const src = snowfallSource(n.fn, arg);
          if (src) snowfallSrc.push(src);
        }
        const inner = callee && SYSTEM_BUILDERS.has(callee) ? callee : builder;
        push(n.arg, inner, null, inName);
        push(n.fn, inner, null, inName);
        break;
      }
      case 'Attrs':
      case 'LegacyLet':
      case 'Let': {
        const own = !inName && n.type === 'Attrs' && prefix ? prefix : NO_PREFIX;
        // Recorded before the body is walked, which is where they are used.
        if (n.type === 'Let')
          for (const b of n.bindings)
            if (b.type === 'Binding' && b.path.length === 1 && b.path[0]!.type === 'Identifier')
              lets.set(b.path[0]!.name, b.value);
        if (n.type === 'Let') push(n.body, builder, null, inName);
        for (let i = n.bindings.length - 1; i >= 0; i--)
          push(n.bindings[i]!, builder, inName ? null : own, inName);
        break;
      }
      case 'StringLiteral':
      case 'PathLiteral':
        pieces.push(n);
        break;
      case 'String':
      case 'IndentedString':
        strings.push(n);
        for (let i = n.parts.length - 1; i >= 0; i--) push(n.parts[i]!, builder, null, inName);
        break;
      case 'Formal':
        if (n.default) push(n.default, builder, null, inName);
        push(n.name, builder, null, inName);
        break;
      case 'List':
        for (let i = n.items.length - 1; i >= 0; i--) push(n.items[i]!, builder, null, inName);
        break;
      case 'IndentedLiteral':
        if (!n.escape) pieces.push(n);
        break;
      case 'Path':
        for (let i = n.parts.length - 1; i >= 0; i--) push(n.parts[i]!, builder, null, inName);
        break;
      case 'Lambda':
        push(n.body, builder, null, inName);
        if (n.arg && !n.argFirst) push(n.arg, builder, null, inName);
        if (n.formals) push(n.formals, builder, null, inName);
        if (n.arg && n.argFirst) push(n.arg, builder, null, inName);
        break;
      case 'Formals':
        for (let i = n.entries.length - 1; i >= 0; i--) push(n.entries[i]!, builder, null, inName);
        break;
      case 'Interpolation':
        push(n.expr, builder, null, inName);
        break;
      case 'With':
        push(n.body, builder, null, inName);
        push(n.env, builder, null, inName);
        break;
      case 'Paren':
        // A binding's value in parentheses is still the set its bindings extend.
        push(n.expr, builder, prefix, inName);
        break;
      case 'Binary':
        push(n.right, builder, null, inName);
        push(n.left, builder, null, inName);
        break;
      case 'Inherit':
        if (!inName)
          for (const name of n.names)
            bound.push({ path: [...(prefix ?? []), attrNameText(name)], binding: n, value: null });
        pushNames(n.names, builder, true);
        if (n.from) push(n.from, builder, null, inName);
        break;
      case 'If':
        push(n.else, builder, null, inName);
        push(n.then, builder, null, inName);
        push(n.cond, builder, null, inName);
        break;
      case 'Unary':
        push(n.operand, builder, null, inName);
        break;
      case 'HasAttr':
        pushNames(n.path, builder, inName);
        push(n.expr, builder, null, inName);
        break;
      case 'Assert':
        push(n.body, builder, null, inName);
        push(n.cond, builder, null, inName);
        break;
      default:
        break;
    }
  }
  return { bound, strings, pieces, links, lets, snowfallSrc };
}
