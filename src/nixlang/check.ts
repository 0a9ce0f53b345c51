// What Nix rejects right after parsing, found by one walk over the syntax
// tree: duplicate attributes (with Nix 2.8's merging of `a.b = ..; a = { .. };`),
// duplicate formals, dynamic attributes in `let` and `inherit`, and variables
// that nothing binds. It reports exactly what lowering the whole tree to Nix's
// AST (lower.ts) and binding that (scope.ts) reports, without building the
// AST: only attribute sets get a structure (their merged bindings decide the
// scope), every other node is checked where it stands.
//
// Nix drops some values while it builds a set (a duplicate, a merged set's
// dynamic attributes); it has already parsed them, so their own structural
// errors count, but their variables are never bound: such values are walked
// with no scope (`null`), which reports structure only.
import type { AttrName, BindingLike, Expr, Identifier, Inherit, Lambda } from './ast.js';
import type { RawDiagnostic } from './cursor.js';
import { Lowerer } from './lower.js';
import type { NExpr } from './nix-ast.js';
import { bindLowered, GLOBAL_ENV, lookup, type Env, type Names } from './scope.js';

/** `inherit (from) a b;`: one expression behind several bindings, bound once. */
interface From {
  expr: Expr;
  visited: boolean;
}

type DefKind = 'inherit' | 'from' | 'value';

/**
 * One name of a set or let: an inherited name, a name inherited from an
 * expression, or a value (with its own merged set when it is one). One class
 * for all three, so the walk sees one shape.
 */
class Def {
  constructor(
    readonly kind: DefKind,
    readonly name: string,
    readonly at: number,
    readonly from: From | null,
    readonly value: Expr | null,
    readonly set: AttrSet | null,
  ) {}
}

interface Dyn {
  name: NExpr;
  value: AttrSet | Expr;
  at: number;
}

/** Sets this small are searched by a scan; bigger ones get an index. */
const SCAN = 8;

/**
 * The names of a set or let in the order they were defined (Nix's order for
 * its checks). It is also the scope of a rec set or let: its own `has`.
 */
class AttrSet implements Names {
  readonly defs: Def[] = [];
  readonly dyn: Dyn[] = [];
  private index: Map<string, Def> | null = null;

  constructor(readonly rec: boolean) {}

  get(name: string): Def | undefined {
    if (this.index !== null) return this.index.get(name);
    const defs = this.defs;
    for (let i = 0; i < defs.length; i++) if (defs[i]!.name === name) return defs[i];
    return undefined;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /** Adds a name that is not in the set yet. */
  put(def: Def): void {
    this.defs.push(def);
    if (this.index !== null) this.index.set(def.name, def);
    else if (this.defs.length > SCAN) {
      this.index = new Map();
      for (const d of this.defs) this.index.set(d.name, d);
    }
  }
}

/** The scope of `x: body`: one name, no Set for it. */
class OneName implements Names {
  constructor(private readonly name: string) {}
  has(name: string): boolean {
    return name === this.name;
  }
}

/** A name that is static, or the lowered expression of a dynamic one. */
type Name = { name: string } | { expr: NExpr };

function unparen(e: Expr): Expr {
  while (e.type === 'Paren') e = e.expr;
  return e;
}

/** The path as Nix shows it in a duplicate's message. */
function shown(path: readonly Name[]): string {
  return path.map((a) => ('name' in a ? a.name : '"${..}"')).join('.');
}

function plainNames(path: AttrName[]): path is Identifier[] {
  for (let i = 0; i < path.length; i++) if (path[i]!.type !== 'Identifier') return false;
  return true;
}

export function checkTree(root: Expr, diagnostics: RawDiagnostic[]): void {
  const checker = new Checker(diagnostics);
  checker.expr(root, GLOBAL_ENV);
  checker.finish();
}

class Checker {
  // Names other than identifiers and plain strings are rare: the lowering
  // that Nix's printer uses decides them, so both agree on what is static.
  // Made for the first such name only.
  private lowerer: Lowerer | null = null;
  private readonly froms: From[] = [];

  constructor(private readonly d: RawDiagnostic[]) {}

  finish(): void {
    // An `inherit (e)` whose every name was dropped: Nix parsed e, never bound it.
    const froms = this.froms;
    for (let i = 0; i < froms.length; i++) if (!froms[i]!.visited) this.expr(froms[i]!.expr, null);
    if (this.lowerer) this.d.push(...this.lowerer.diagnostics);
  }

  private error(message: string, offset: number): void {
    this.d.push({ message, offset });
  }

  private name(n: AttrName): Name {
    if (n.type === 'Identifier') return n;
    if (n.type === 'String') {
      const parts = n.parts;
      if (parts.length === 0) return { name: '' };
      if (parts.length === 1 && parts[0]!.type === 'StringLiteral')
        return { name: parts[0]!.value };
    }
    this.lowerer ??= new Lowerer({ basePath: '/', home: '/' }, null);
    return this.lowerer.attrName(n);
  }

  private path(path: AttrName[], env: Env | null): void {
    for (let i = 0; i < path.length; i++) {
      const n = path[i]!;
      if (n.type === 'Identifier') continue;
      const a = this.name(n);
      if (env && 'expr' in a) bindLowered(a.expr, env, this.d);
    }
  }

  /** Checks `e`; a null env walks it for structural errors only. */
  expr(e: Expr, env: Env | null): void {
    switch (e.type) {
      case 'Var':
        if (env && e.name !== '__curPos' && !lookup(e.name, env))
          this.error(`undefined variable '${e.name}'`, e.start);
        return;
      case 'String':
      case 'IndentedString':
      case 'Path': {
        const parts = e.parts;
        for (let i = 0; i < parts.length; i++) {
          const p = parts[i]!;
          if (p.type === 'Interpolation') this.expr(p.expr, env);
        }
        return;
      }
      case 'Paren':
        return this.expr(e.expr, env);
      case 'Attrs':
        return this.bindSet(this.set(e.bindings, e.rec), env);
      case 'LegacyLet':
        return this.bindSet(this.set(e.bindings, true), env);
      case 'List': {
        const items = e.items;
        for (let i = 0; i < items.length; i++) this.expr(items[i]!, env);
        return;
      }
      case 'Lambda':
        return this.lambda(e, env);
      case 'Let':
        return this.let(e.bindings, e.body, env);
      case 'With':
        this.expr(e.env, env);
        return this.expr(e.body, env && { vars: null, up: env });
      case 'Assert':
        this.expr(e.cond, env);
        return this.expr(e.body, env);
      case 'If':
        this.expr(e.cond, env);
        this.expr(e.then, env);
        return this.expr(e.else, env);
      case 'Unary':
        return this.expr(e.operand, env);
      case 'Binary':
        this.expr(e.left, env);
        return this.expr(e.right, env);
      case 'HasAttr':
        this.expr(e.expr, env);
        return this.path(e.path, env);
      case 'Select':
        this.expr(e.expr, env);
        this.path(e.path, env);
        if (e.default) this.expr(e.default, env);
        return;
      case 'App':
        this.expr(e.fn, env);
        return this.expr(e.arg, env);
      default:
        return;
    }
  }

  private lambda(e: Lambda, env: Env | null): void {
    const formals = e.formals;
    let vars: Names;
    if (formals) {
      const names = new Set<string>();
      const entries = formals.entries;
      for (let i = 0; i < entries.length; i++) {
        const f = entries[i]!;
        if (names.has(f.name.name))
          this.error(`duplicate formal function argument '${f.name.name}'`, f.start);
        names.add(f.name.name);
      }
      if (e.arg) {
        if (names.has(e.arg.name))
          this.error(`duplicate formal function argument '${e.arg.name}'`, e.arg.start);
        names.add(e.arg.name);
      }
      vars = names;
    } else vars = e.arg ? new OneName(e.arg.name) : new Set<string>();
    const inner = env && { vars, up: env };
    if (formals) {
      const entries = formals.entries;
      for (let i = 0; i < entries.length; i++) {
        const def = entries[i]!.default;
        if (def) this.expr(def, inner);
      }
    }
    this.expr(e.body, inner);
  }

  private let(bindings: BindingLike[], body: Expr, env: Env | null): void {
    const set = this.set(bindings, false);
    if (set.dyn.length > 0) this.error('dynamic attributes not allowed in let', set.dyn[0]!.at);
    const inner = env && { vars: set, up: env };
    const defs = set.defs;
    for (let i = 0; i < defs.length; i++) {
      const def = defs[i]!;
      this.def(def, def.kind === 'inherit' ? env : inner);
    }
    // Nix never binds a let's dynamic attributes: it rejects them.
    for (let i = 0; i < set.dyn.length; i++) this.value(set.dyn[i]!.value, null);
    this.expr(body, inner);
  }

  private bindSet(set: AttrSet, env: Env | null): void {
    const inner = set.rec && env ? { vars: set, up: env } : env;
    const defs = set.defs;
    for (let i = 0; i < defs.length; i++) {
      const def = defs[i]!;
      this.def(def, def.kind === 'inherit' ? env : inner);
    }
    const dyn = set.dyn;
    for (let i = 0; i < dyn.length; i++) {
      if (inner) bindLowered(dyn[i]!.name, inner, this.d);
      this.value(dyn[i]!.value, inner);
    }
  }

  private def(def: Def, env: Env | null): void {
    switch (def.kind) {
      case 'inherit':
        if (env && !lookup(def.name, env)) this.error(`undefined variable '${def.name}'`, def.at);
        return;
      case 'from': {
        const from = def.from!;
        if (from.visited) return;
        from.visited = true;
        return this.expr(from.expr, env);
      }
      case 'value':
        return this.value(def.set ?? def.value!, env);
    }
  }

  private value(v: AttrSet | Expr, env: Env | null): void {
    if (v instanceof AttrSet) this.bindSet(v, env);
    else this.expr(v, env);
  }

  /** A dropped definition: Nix parsed it but binds none of its variables. */
  private drop(def: Def): void {
    if (def.kind === 'value') this.value(def.set ?? def.value!, null);
  }

  /** The bindings of a set or let, merged the way Nix's parser merges them. */
  private set(bindings: BindingLike[], rec: boolean): AttrSet {
    const set = new AttrSet(rec);
    for (let i = 0; i < bindings.length; i++) {
      const b = bindings[i]!;
      if (b.type === 'Inherit') {
        this.inherit(set, b);
        continue;
      }
      // Identifiers are names already (the common case): no array for them.
      const path: readonly Name[] = plainNames(b.path) ? b.path : this.names(b.path);
      const inner = unparen(b.value);
      const nested = inner.type === 'Attrs' ? this.set(inner.bindings, inner.rec) : null;
      this.addAttr(set, path, b.value, nested, b.start);
    }
    return set;
  }

  // The rarer cases have functions of their own: code a hot function has not
  // run yet makes V8 throw the function's compiled code away when it first does.
  private names(path: AttrName[]): Name[] {
    return path.map((n) => this.name(n));
  }

  private inherit(set: AttrSet, b: Inherit): void {
    const from = b.from ? { expr: b.from, visited: false } : null;
    if (from) this.froms.push(from);
    const names = b.names;
    for (let k = 0; k < names.length; k++) {
      const n = names[k]!;
      const a = this.name(n);
      if (!('name' in a)) {
        this.error('dynamic attributes not allowed in inherit', n.start);
        continue;
      }
      if (set.has(a.name)) {
        this.error(`attribute '${a.name}' already defined`, n.start);
        continue;
      }
      set.put(
        from
          ? new Def('from', a.name, n.start, from, null, null)
          : new Def('inherit', a.name, n.start, null, null, null),
      );
    }
  }

  /** Nix's addAttr: walk/create nested sets along the path, merge two plain sets. */
  private addAttr(
    top: AttrSet,
    path: readonly Name[],
    value: Expr,
    nested: AttrSet | null,
    at: number,
  ): void {
    const set = path.length === 1 ? top : this.walk(top, path, value, nested, at);
    if (set === null) return;
    const last = path[path.length - 1]!;
    if (!('name' in last)) {
      set.dyn.push({ name: last.expr, value: nested ?? value, at });
      return;
    }
    const j = set.get(last.name);
    if (!j) set.put(new Def('value', last.name, at, null, value, nested));
    else this.again(j, path, value, nested, at);
  }

  /** The set the path's last name goes in, made as needed; null (reported) if a name is taken. */
  private walk(
    top: AttrSet,
    path: readonly Name[],
    value: Expr,
    nested: AttrSet | null,
    at: number,
  ): AttrSet | null {
    let set = top;
    for (let i = 0; i < path.length - 1; i++) {
      const a = path[i]!;
      if ('name' in a) {
        const j = set.get(a.name);
        if (j) {
          if (j.kind !== 'value' || j.set === null) {
            this.error(`attribute '${shown(path)}' already defined`, at);
            this.value(nested ?? value, null);
            return null;
          }
          set = j.set;
        } else {
          const inner = new AttrSet(false);
          set.put(new Def('value', a.name, at, null, EMPTY, inner));
          set = inner;
        }
      } else {
        const inner = new AttrSet(false);
        set.dyn.push({ name: a.expr, value: inner, at });
        set = inner;
      }
    }
    return set;
  }

  /** A name defined again: two plain sets merge, anything else is a duplicate. */
  private again(
    j: Def,
    path: readonly Name[],
    value: Expr,
    nested: AttrSet | null,
    at: number,
  ): void {
    if (j.kind === 'value' && j.set && nested) {
      // Merged like Nix 2.8 does: only static attributes move over.
      const target = j.set;
      const moved = nested.defs;
      for (let i = 0; i < moved.length; i++) {
        const m = moved[i]!;
        if (target.has(m.name)) {
          this.error(`attribute '${shown(path)}.${m.name}' already defined`, m.at);
          this.drop(m);
        } else target.put(m);
      }
      for (let i = 0; i < nested.dyn.length; i++) this.value(nested.dyn[i]!.value, null);
      return;
    }
    this.error(`attribute '${shown(path)}' already defined`, at);
    this.value(nested ?? value, null);
  }
}

// The value of a set made for a path's inner name (`a` of `a.b = 1`): never walked.
const EMPTY: Expr = { type: 'Error', start: 0, end: 0 };
