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
  BindingLike,
  Expr,
  Identifier,
  IndentedLiteral,
  IndStr,
  Inherit,
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
  // A loop, not recursion: `f a b c ...` nests one App per argument.
  for (;;) {
    if (fn.type === 'Paren') fn = fn.expr;
    else if (fn.type === 'App') fn = fn.fn;
    else break;
  }
  if (fn.type === 'Var') return fn.name;
  if (fn.type === 'Select') {
    const last = fn.path[fn.path.length - 1];
    return last ? attrNameText(last) : null;
  }
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

/**
 * The path a binding at `prefix` writes: the prefix, then its own names.
 * Made the one way, so that every path has one array map (paths made by
 * map() and by concat had two, and each reader of paths, here and in the
 * rules, was compiled again for the second) and exactly its length. Filled by
 * hand: concat is a call into the runtime, several times slower on a path of
 * a few names, and every binding of every file makes one.
 */
function pathOf(prefix: (string | null)[] | null, names: AttrName[]): (string | null)[] {
  const path = extended(prefix, names.length);
  const from = path.length - names.length;
  for (let i = 0; i < names.length; i++) path[from + i] = nameText(names[i]!);
  return path;
}

/** The path `inherit` binds one name at. */
function inheritedPath(prefix: (string | null)[] | null, name: string | null): (string | null)[] {
  const path = extended(prefix, 1);
  path[path.length - 1] = name;
  return path;
}

/** A copy of `prefix` with `more` slots after it, for the caller to fill. */
function extended(prefix: (string | null)[] | null, more: number): (string | null)[] {
  const from = prefix === null ? 0 : prefix.length;
  const path = new Array<string | null>(from + more);
  for (let i = 0; i < from; i++) path[i] = prefix![i]!;
  return path;
}

/** attrNameText, without decoding an identifier: Nix identifiers are ASCII. */
function nameText(name: AttrName): string | null {
  return name.type === 'Identifier' ? name.name : attrNameText(name);
}

/** A node whose visit waits (see Indexer.go). */
interface Frame {
  node: Node;
  builder: string | null;
  prefix: (string | null)[] | null;
  inName: boolean;
}

// Past this depth the walk stops recursing: far below the JS stack's limit.
const MAX_RECURSION = 500;

class Indexer {
  readonly bound: BoundPath[] = [];
  readonly strings: (Str | IndStr)[] = [];
  readonly pieces: PieceNode[] = [];
  readonly links: Link[] = [];
  readonly lets = new Map<string, Expr>();
  readonly snowfallSrc: Expr[] = [];
  readonly names = new Set<string>();
  // The walk recurses (the children of a node are arguments, not stack
  // frames: a third cheaper) down to MAX_RECURSION; deeper, a node's children
  // wait in `deferred` and an explicit stack takes them in order, so a deep
  // tree (a long `a ++ b ++ ...`, nested lets) cannot overflow.
  private depth = 0;
  private readonly deferred: Frame[] = [];

  go(node: Node, builder: string | null, prefix: (string | null)[] | null, inName: boolean): void {
    if (this.depth >= MAX_RECURSION) {
      this.deferred.push({ node, builder, prefix, inName });
      return;
    }
    const mark = this.deferred.length;
    this.depth++;
    this.visit(node, builder, prefix, inName);
    if (this.deferred.length > mark) this.drain(mark);
    this.depth--;
  }

  // Most attribute names are identifiers, whose visit only lists them: that
  // is done here, without a frame of the walk for each. Not past the depth
  // where go() defers its nodes: the pieces keep their source order.
  private goNames(names: AttrName[], builder: string | null, inName: boolean): void {
    const direct = this.depth < MAX_RECURSION;
    for (let i = 0; i < names.length; i++) {
      const name = names[i]!;
      if (direct && name.type === 'Identifier') this.pieces.push(name);
      else this.go(name, builder, null, inName);
    }
  }

  private goAll(nodes: Node[], builder: string | null, inName: boolean): void {
    for (let i = 0; i < nodes.length; i++) this.go(nodes[i]!, builder, null, inName);
  }

  /** Visits the frames deferred since `mark`, and theirs, depth first, in source order. */
  private drain(mark: number): void {
    const deferred = this.deferred;
    const work: Frame[] = [];
    const take = (from: number): void => {
      for (let i = deferred.length - 1; i >= from; i--) work.push(deferred[i]!);
      deferred.length = from;
    };
    take(mark);
    for (let f = work.pop(); f; f = work.pop()) {
      const before = deferred.length;
      this.visit(f.node, f.builder, f.prefix, f.inName);
      take(before);
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
        this.go(n.expr, builder, null, inName);
        this.goNames(n.path, builder, inName);
        if (n.default) this.go(n.default, builder, null, inName);
        break;
      case 'App':
        this.app(n, builder, inName);
        break;
      case 'Attrs':
        this.attrs(n, builder, prefix, inName);
        break;
      case 'Let':
        this.letIn(n, builder, inName);
        break;
      case 'LegacyLet':
        this.goBindings(n.bindings, builder, null, inName);
        break;
      case 'StringLiteral':
      case 'PathLiteral':
        this.pieces.push(n);
        break;
      case 'String':
      case 'IndentedString':
        this.strings.push(n);
        this.goAll(n.parts, builder, inName);
        break;
      case 'Formal':
        this.go(n.name, builder, null, inName);
        if (n.default) this.go(n.default, builder, null, inName);
        break;
      case 'List':
        this.goAll(n.items, builder, inName);
        break;
      case 'IndentedLiteral':
        if (!n.escape) this.pieces.push(n);
        break;
      case 'Path':
        this.goAll(n.parts, builder, inName);
        break;
      case 'Lambda': {
        // `x @ { ... }` names its argument first; `x:`, `{ ... }:` and
        // `{ ... } @ x` do not. Every field is read on every lambda: a read
        // only the rare `x @` form reached had no type feedback, and cost
        // an optimized walk when the first such file came.
        const { arg, formals, argFirst } = n;
        const first = argFirst ? arg : formals;
        const second = argFirst ? formals : arg;
        if (first) this.go(first, builder, null, inName);
        if (second) this.go(second, builder, null, inName);
        this.go(n.body, builder, null, inName);
        break;
      }
      case 'Formals':
        this.goAll(n.entries, builder, inName);
        break;
      case 'Interpolation':
        this.go(n.expr, builder, null, inName);
        break;
      case 'With':
        this.go(n.env, builder, null, inName);
        this.go(n.body, builder, null, inName);
        break;
      case 'Paren':
        // A binding's value in parentheses is still the set its bindings extend.
        this.go(n.expr, builder, prefix, inName);
        break;
      case 'Binary':
        this.go(n.left, builder, null, inName);
        this.go(n.right, builder, null, inName);
        break;
      case 'Inherit':
        this.inherit(n, builder, prefix, inName);
        break;
      case 'If':
        this.go(n.cond, builder, null, inName);
        this.go(n.then, builder, null, inName);
        this.go(n.else, builder, null, inName);
        break;
      case 'Unary':
        this.go(n.operand, builder, null, inName);
        break;
      case 'HasAttr':
        this.go(n.expr, builder, null, inName);
        this.goNames(n.path, builder, inName);
        break;
      case 'Assert':
        this.go(n.cond, builder, null, inName);
        this.go(n.body, builder, null, inName);
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
    const attrs = n.path;
    let path: (string | null)[] | null = null;
    let name: string | null = null;
    if (!inName) {
      path = pathOf(prefix, attrs);
      this.bound.push({ path, binding: n, value: n.value });
      this.addNames(path, path.length - attrs.length);
      if (attrs.length > 0) name = path[path.length - 1]!;
    } else if (attrs.length > 0) name = nameText(attrs[attrs.length - 1]!);
    // Two names in a thousand: the module lists stay out of this hot function.
    if (name === 'imports' || name === 'modules') this.moduleLinks(n.value, name, builder);
    else this.pathValueLink(n.value, builder);
    this.goNames(attrs, builder, true);
    this.go(n.value, builder, path, inName);
  }

  /** The names of `path` from `from` on: the rest are its prefix's, added before. */
  private addNames(path: (string | null)[], from: number): void {
    for (let i = from; i < path.length; i++) {
      const name = path[i]!;
      if (name !== null) this.names.add(name);
    }
  }

  /** The items of a module list; a value that is no list may still be a path. */
  private moduleLinks(value: Expr, site: 'imports' | 'modules', builder: string | null): void {
    const items = moduleListItems(value, this.lets);
    if (items.length === 0) return this.pathValueLink(value, builder);
    for (const item of items)
      this.links.push({ node: item, site, builder, callee: null, calleeIsVar: false });
  }

  private pathValueLink(value: Expr, builder: string | null): void {
    const node = unparen(value);
    if (node.type === 'Path')
      this.links.push({ node, site: 'path-value', builder, callee: null, calleeIsVar: false });
  }

  private inherit(
    n: Inherit,
    builder: string | null,
    prefix: (string | null)[] | null,
    inName: boolean,
  ): void {
    if (!inName)
      for (const name of n.names) {
        const text = nameText(name);
        if (text !== null) this.names.add(text);
        this.bound.push({ path: inheritedPath(prefix, text), binding: n, value: null });
      }
    if (n.from) this.go(n.from, builder, null, inName);
    this.goNames(n.names, builder, true);
  }

  // The Apps of one call `f a b c` (App(App(App(f, a), b), c), parentheses
  // allowed around the inner ones) share one callee. They are taken as one
  // chain: the callee is found once, not once per argument (quadratic in a
  // long chain), and no map per file remembers it. The order is the walk's:
  // each App's own link, outermost first, then `f`, then the arguments,
  // innermost first.
  // A stack of the chains being visited, never shortened (setting an
  // array's length lower gives its storage back, and the next push allocates).
  private readonly chain: App[] = [];
  private chainTop = 0;

  private app(n: App, builder: string | null, inName: boolean): void {
    const chain = this.chain;
    const base = this.chainTop;
    let top = base;
    let head: Expr = n;
    for (;;) {
      if (head.type === 'App') {
        chain[top++] = head;
        head = head.fn;
      } else if (head.type === 'Paren') head = head.expr;
      else break;
    }
    // Visiting the callee or an argument may use the stack above `top`.
    this.chainTop = top;
    const callee = calleeName(head);
    const inner = callee && SYSTEM_BUILDERS.has(callee) ? callee : builder;
    // The outermost App sits in the enclosing call; the others sit in this one.
    for (let i = base; i < top; i++) this.call(chain[i]!, callee, i === base ? builder : inner);
    this.go(head, inner, null, inName);
    for (let i = top - 1; i >= base; i--) this.go(chain[i]!.arg, inner, null, inName);
    this.chainTop = base;
  }

  /** What one App of a call chain links: a path argument, a snowfall-lib source. */
  private call(n: App, callee: string | null, builder: string | null): void {
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
  }

  // Sets, and lets apart: one kind of node at each site.
  private attrs(
    n: Attrs,
    builder: string | null,
    prefix: (string | null)[] | null,
    inName: boolean,
  ): void {
    this.goBindings(n.bindings, builder, inName ? null : prefix, inName);
  }

  private letIn(n: Let, builder: string | null, inName: boolean): void {
    // Recorded before the body is walked, which is where they are used.
    for (const b of n.bindings)
      if (b.type === 'Binding' && b.path.length === 1 && b.path[0]!.type === 'Identifier')
        this.lets.set(b.path[0]!.name, b.value);
    this.goBindings(n.bindings, builder, null, inName);
    this.go(n.body, builder, null, inName);
  }

  private goBindings(
    bindings: BindingLike[],
    builder: string | null,
    prefix: (string | null)[] | null,
    inName: boolean,
  ): void {
    for (let i = 0; i < bindings.length; i++) this.go(bindings[i]!, builder, prefix, inName);
  }
}

export function indexTree(root: Expr): TreeIndex {
  const ix = new Indexer();
  ix.go(root, null, null, false);
  const { bound, strings, pieces, links, lets, snowfallSrc, names } = ix;
  return { bound, strings, pieces, links, lets, snowfallSrc, names };
}
