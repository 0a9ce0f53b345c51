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
import type { AttrName, BindingLike, Expr, Lambda } from './ast.js';
import type { RawDiagnostic } from './cursor.js';
import { Lowerer } from './lower.js';
import type { NExpr } from './nix-ast.js';
import { bindLowered, GLOBAL_ENV, lookup, type Env } from './scope.js';

/** `inherit (from) a b;`: one expression behind several bindings, bound once. */
interface From {
  expr: Expr;
  visited: boolean;
}

type Def =
  | { kind: 'inherit'; name: string; at: number }
  | { kind: 'from'; from: From; at: number }
  | { kind: 'value'; value: Expr; set: AttrSet | null; at: number };

interface Dyn {
  name: NExpr;
  value: AttrSet | Expr;
  at: number;
}

interface AttrSet {
  rec: boolean;
  defs: Map<string, Def>;
  dyn: Dyn[];
}

/** A name that is static, or the lowered expression of a dynamic one. */
type Name = { name: string } | { expr: NExpr };

function newSet(rec: boolean): AttrSet {
  return { rec, defs: new Map(), dyn: [] };
}

function unparen(e: Expr): Expr {
  while (e.type === 'Paren') e = e.expr;
  return e;
}

export function checkTree(root: Expr, diagnostics: RawDiagnostic[]): void {
  const checker = new Checker(diagnostics);
  checker.expr(root, GLOBAL_ENV);
  checker.finish();
}

class Checker {
  // Names other than identifiers and plain strings are rare: the lowering
  // that Nix's printer uses decides them, so both agree on what is static.
  private readonly lowerer = new Lowerer({ basePath: '/', home: '/' }, null);
  private readonly froms: From[] = [];

  constructor(private readonly d: RawDiagnostic[]) {}

  finish(): void {
    // An `inherit (e)` whose every name was dropped: Nix parsed e, never bound it.
    for (const f of this.froms) if (!f.visited) this.expr(f.expr, null);
    this.d.push(...this.lowerer.diagnostics);
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
    return this.lowerer.attrName(n);
  }

  private path(path: AttrName[], env: Env | null): void {
    for (const n of path) {
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
      case 'Path':
        for (const p of e.parts) if (p.type === 'Interpolation') this.expr(p.expr, env);
        return;
      case 'Paren':
        return this.expr(e.expr, env);
      case 'Attrs':
        return this.bindSet(this.set(e.bindings, e.rec), env);
      case 'LegacyLet':
        return this.bindSet(this.set(e.bindings, true), env);
      case 'List':
        for (const x of e.items) this.expr(x, env);
        return;
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
    const vars = new Set<string>();
    if (e.formals) {
      for (const f of e.formals.entries) {
        if (vars.has(f.name.name))
          this.error(`duplicate formal function argument '${f.name.name}'`, f.start);
        vars.add(f.name.name);
      }
      if (e.arg && vars.has(e.arg.name))
        this.error(`duplicate formal function argument '${e.arg.name}'`, e.arg.start);
    }
    if (e.arg) vars.add(e.arg.name);
    const inner = env && { vars, up: env };
    if (e.formals) for (const f of e.formals.entries) if (f.default) this.expr(f.default, inner);
    this.expr(e.body, inner);
  }

  private let(bindings: BindingLike[], body: Expr, env: Env | null): void {
    const set = this.set(bindings, false);
    if (set.dyn.length > 0) this.error('dynamic attributes not allowed in let', set.dyn[0]!.at);
    const inner = env && { vars: new Set(set.defs.keys()), up: env };
    for (const def of set.defs.values()) this.def(def, def.kind === 'inherit' ? env : inner);
    // Nix never binds a let's dynamic attributes: it rejects them.
    for (const dyn of set.dyn) this.value(dyn.value, null);
    this.expr(body, inner);
  }

  private bindSet(set: AttrSet, env: Env | null): void {
    const inner = set.rec && env ? { vars: new Set(set.defs.keys()), up: env } : env;
    for (const def of set.defs.values()) this.def(def, def.kind === 'inherit' ? env : inner);
    for (const dyn of set.dyn) {
      if (inner) bindLowered(dyn.name, inner, this.d);
      this.value(dyn.value, inner);
    }
  }

  private def(def: Def, env: Env | null): void {
    switch (def.kind) {
      case 'inherit':
        if (env && !lookup(def.name, env)) this.error(`undefined variable '${def.name}'`, def.at);
        return;
      case 'from':
        if (def.from.visited) return;
        def.from.visited = true;
        return this.expr(def.from.expr, env);
      case 'value':
        return this.value(def.set ?? def.value, env);
    }
  }

  private value(v: AttrSet | Expr, env: Env | null): void {
    if ('defs' in v) this.bindSet(v, env);
    else this.expr(v, env);
  }

  /** A dropped definition: Nix parsed it but binds none of its variables. */
  private drop(def: Def): void {
    if (def.kind === 'value') this.value(def.set ?? def.value, null);
  }

  /** The bindings of a set or let, merged the way Nix's parser merges them. */
  private set(bindings: BindingLike[], rec: boolean): AttrSet {
    const set = newSet(rec);
    for (const b of bindings) {
      if (b.type === 'Inherit') {
        const from = b.from ? { expr: b.from, visited: false } : null;
        if (from) this.froms.push(from);
        for (const n of b.names) {
          const a = this.name(n);
          if (!('name' in a)) {
            this.error('dynamic attributes not allowed in inherit', n.start);
            continue;
          }
          if (set.defs.has(a.name)) {
            this.error(`attribute '${a.name}' already defined`, n.start);
            continue;
          }
          set.defs.set(
            a.name,
            from
              ? { kind: 'from', from, at: n.start }
              : { kind: 'inherit', name: a.name, at: n.start },
          );
        }
      } else {
        const path = b.path.map((n) => this.name(n));
        const inner = unparen(b.value);
        const value: Def = {
          kind: 'value',
          value: b.value,
          set: inner.type === 'Attrs' ? this.set(inner.bindings, inner.rec) : null,
          at: b.start,
        };
        this.addAttr(set, path, value);
      }
    }
    return set;
  }

  /** Nix's addAttr: walk/create nested sets along the path, merge two plain sets. */
  private addAttr(top: AttrSet, path: Name[], def: Def & { kind: 'value' }): void {
    let set = top;
    const shown = () => path.map((a) => ('name' in a ? a.name : '"${..}"')).join('.');
    for (let i = 0; i < path.length - 1; i++) {
      const a = path[i]!;
      if ('name' in a) {
        const j = set.defs.get(a.name);
        if (j) {
          if (j.kind !== 'value' || j.set === null) {
            this.error(`attribute '${shown()}' already defined`, def.at);
            return this.drop(def);
          }
          set = j.set;
        } else {
          const nested = newSet(false);
          set.defs.set(a.name, { kind: 'value', value: EMPTY, set: nested, at: def.at });
          set = nested;
        }
      } else {
        const nested = newSet(false);
        set.dyn.push({ name: a.expr, value: nested, at: def.at });
        set = nested;
      }
    }
    const last = path[path.length - 1]!;
    if (!('name' in last)) {
      set.dyn.push({ name: last.expr, value: def.set ?? def.value, at: def.at });
      return;
    }
    const j = set.defs.get(last.name);
    if (!j) {
      set.defs.set(last.name, def);
      return;
    }
    if (j.kind === 'value' && j.set && def.set) {
      // Merged like Nix 2.8 does: only static attributes move over.
      const target = j.set;
      for (const [name, moved] of def.set.defs) {
        if (target.defs.has(name)) {
          this.error(`attribute '${shown()}.${name}' already defined`, moved.at);
          this.drop(moved);
        } else target.defs.set(name, moved);
      }
      for (const dyn of def.set.dyn) this.value(dyn.value, null);
      return;
    }
    this.error(`attribute '${shown()}' already defined`, def.at);
    this.drop(def);
  }
}

// The value of a set made for a path's inner name (`a` of `a.b = 1`): never walked.
const EMPTY: Expr = { type: 'Error', start: 0, end: 0 };
