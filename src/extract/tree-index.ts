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
  App,
  AttrName,
  Attrs,
  Binding,
  Expr,
  Identifier,
  IndentedLiteral,
  IndStr,
  LegacyLet,
  Let,
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
  /**
   * Every name in `bound`'s paths, each once. A path's leading names are the
   * path of the binding around it, so the names a binding writes itself are
   * all of them. Rules that look for a few names ask here first, rather than
   * walk every path of the file.
   */
  names: Set<string>;
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

// What a node inherits from where it sits: the nearest enclosing system
// builder call; `prefix`, set on the value of a binding (when that value is a
// set, through parentheses, its bindings extend the binding's path); and
// `inName` for attribute names, whose interpolations bind nothing for
// boundAttrPaths. Kept in parallel stacks rather than one object per node:
// the walk visits every node of every file.
const NO_PREFIX: (string | null)[] = [];

/** A path of names as one kind of array, however it was put together (see pathOf). */
function pathOf(
  prefix: readonly (string | null)[] | null,
  names: readonly (string | null)[],
): (string | null)[] {
  const out: (string | null)[] = [];
  if (prefix) for (let i = 0; i < prefix.length; i++) out.push(prefix[i]!);
  for (let i = 0; i < names.length; i++) out.push(names[i]!);
  return out;
}

function namesOf(path: AttrName[]): (string | null)[] {
  const out: (string | null)[] = [];
  for (let i = 0; i < path.length; i++) out.push(attrNameText(path[i]!));
  return out;
}

class Indexer {
  readonly bound: BoundPath[] = [];
  readonly strings: (Str | IndStr)[] = [];
  readonly pieces: PieceNode[] = [];
  readonly links: Link[] = [];
  readonly lets = new Map<string, Expr>();
  readonly snowfallSrc: Expr[] = [];
  readonly names = new Set<string>();
  // An explicit stack, as nixlang's walk: a deep tree must not overflow.
  private readonly nodes: Node[] = [];
  private readonly builders: (string | null)[] = [];
  private readonly prefixes: ((string | null)[] | null)[] = [];
  private readonly inNames: boolean[] = [];

  push(
    node: Node,
    builder: string | null,
    prefix: (string | null)[] | null,
    inName: boolean,
  ): void {
    this.nodes.push(node);
    this.builders.push(builder);
    this.prefixes.push(prefix);
    this.inNames.push(inName);
  }

  private pushNames(names: AttrName[], builder: string | null, inName: boolean): void {
    for (let i = names.length - 1; i >= 0; i--) this.push(names[i]!, builder, null, inName);
  }

  private pushAll(nodes: Node[], builder: string | null, inName: boolean): void {
    for (let i = nodes.length - 1; i >= 0; i--) this.push(nodes[i]!, builder, null, inName);
  }

  run(): void {
    const { nodes, builders, prefixes, inNames } = this;
    while (nodes.length > 0) {
      const n = nodes.pop()!;
      const builder = builders.pop()!;
      const prefix = prefixes.pop()!;
      const inName = inNames.pop()!;
      this.visit(n, builder, prefix, inName);
    }
  }

  private visit(
    n: Node,
    builder: string | null,
    prefix: (string | null)[] | null,
    inName: boolean,
  ): void {
    switch (n.type) {
      // Cases in order of how often they occur in real files.
      case 'Identifier':
        this.pieces.push(n);
        break;
      case 'Var':
        break;
      case 'Binding':
        this.binding(n, builder, prefix, inName);
        break;
      case 'Select':
        if (n.default) this.push(n.default, builder, null, inName);
        this.pushNames(n.path, builder, inName);
        this.push(n.expr, builder, null, inName);
        break;
      case 'App':
        this.app(n, builder, inName);
        break;
      case 'Attrs':
      case 'LegacyLet':
      case 'Let':
        this.bindings(n, builder, prefix, inName);
        break;
      case 'StringLiteral':
      case 'PathLiteral':
        this.pieces.push(n);
        break;
      case 'String':
      case 'IndentedString':
        this.strings.push(n);
        this.pushAll(n.parts, builder, inName);
        break;
      case 'Formal':
        if (n.default) this.push(n.default, builder, null, inName);
        this.push(n.name, builder, null, inName);
        break;
      case 'List':
        this.pushAll(n.items, builder, inName);
        break;
      case 'IndentedLiteral':
        if (!n.escape) this.pieces.push(n);
        break;
      case 'Path':
        this.pushAll(n.parts, builder, inName);
        break;
      case 'Lambda':
        this.push(n.body, builder, null, inName);
        if (n.arg && !n.argFirst) this.push(n.arg, builder, null, inName);
        if (n.formals) this.push(n.formals, builder, null, inName);
        if (n.arg && n.argFirst) this.push(n.arg, builder, null, inName);
        break;
      case 'Formals':
        this.pushAll(n.entries, builder, inName);
        break;
      case 'Interpolation':
        this.push(n.expr, builder, null, inName);
        break;
      case 'With':
        this.push(n.body, builder, null, inName);
        this.push(n.env, builder, null, inName);
        break;
      case 'Paren':
        // A binding's value in parentheses is still the set its bindings extend.
        this.push(n.expr, builder, prefix, inName);
        break;
      case 'Binary':
        this.push(n.right, builder, null, inName);
        this.push(n.left, builder, null, inName);
        break;
      case 'Inherit':
        if (!inName)
          for (const name of n.names) {
            const text = attrNameText(name);
            if (text !== null) this.names.add(text);
            this.bound.push({ path: pathOf(prefix, [text]), binding: n, value: null });
          }
        this.pushNames(n.names, builder, true);
        if (n.from) this.push(n.from, builder, null, inName);
        break;
      case 'If':
        this.push(n.else, builder, null, inName);
        this.push(n.then, builder, null, inName);
        this.push(n.cond, builder, null, inName);
        break;
      case 'Unary':
        this.push(n.operand, builder, null, inName);
        break;
      case 'HasAttr':
        this.pushNames(n.path, builder, inName);
        this.push(n.expr, builder, null, inName);
        break;
      case 'Assert':
        this.push(n.body, builder, null, inName);
        this.push(n.cond, builder, null, inName);
        break;
      default:
        break;
    }
  }

  private binding(
    n: Binding,
    builder: string | null,
    prefix: (string | null)[] | null,
    inName: boolean,
  ): void {
    const names = namesOf(n.path);
    let path: (string | null)[] | null = null;
    if (!inName) {
      path = prefix && prefix.length ? pathOf(prefix, names) : names;
      this.bound.push({ path, binding: n, value: n.value });
      for (let i = 0; i < names.length; i++) if (names[i] !== null) this.names.add(names[i]!);
    }
    const name = names.length ? names[names.length - 1]! : null;
    const value = unparen(n.value);
    const site = name === 'imports' || name === 'modules' ? name : null;
    const items = site ? moduleListItems(value, this.lets) : [];
    if (site && items.length > 0) {
      for (const item of items)
        this.links.push({ node: item, site, builder, callee: null, calleeIsVar: false });
    } else if (value.type === 'Path') {
      this.links.push({
        node: value,
        site: 'path-value',
        builder,
        callee: null,
        calleeIsVar: false,
      });
    }
    this.push(n.value, builder, path, inName);
    this.pushNames(n.path, builder, true);
  }

  private app(n: App, builder: string | null, inName: boolean): void {
    const callee = calleeName(n.fn);
    const arg = unparen(n.arg);
    if (arg.type === 'Path')
      this.links.push({
        node: arg,
        site: 'call',
        builder,
        callee,
        calleeIsVar: unparen(n.fn).type === 'Var',
      });
    if (callee === 'mkFlake') {
      const src = snowfallSource(n.fn, arg);
      if (src) this.snowfallSrc.push(src);
    }
    const inner = callee && SYSTEM_BUILDERS.has(callee) ? callee : builder;
    this.push(n.arg, inner, null, inName);
    this.push(n.fn, inner, null, inName);
  }

  private bindings(
    n: Attrs | Let | LegacyLet,
    builder: string | null,
    prefix: (string | null)[] | null,
    inName: boolean,
  ): void {
    const own = !inName && n.type === 'Attrs' && prefix ? prefix : NO_PREFIX;
    // Recorded before the body is walked, which is where they are used.
    if (n.type === 'Let')
      for (const b of n.bindings)
        if (b.type === 'Binding' && b.path.length === 1 && b.path[0]!.type === 'Identifier')
          this.lets.set(b.path[0]!.name, b.value);
    if (n.type === 'Let') this.push(n.body, builder, null, inName);
    for (let i = n.bindings.length - 1; i >= 0; i--)
      this.push(n.bindings[i]!, builder, inName ? null : own, inName);
  }
}

export function indexTree(root: Expr): TreeIndex {
  const ix = new Indexer();
  ix.push(root, null, null, false);
  ix.run();
  const { bound, strings, pieces, links, lets, snowfallSrc, names } = ix;
  return { bound, strings, pieces, links, lets, snowfallSrc, names };
}
