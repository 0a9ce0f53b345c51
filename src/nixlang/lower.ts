// Lowers our syntax tree to Nix's AST (nix-ast.ts) the way Nix's parser
// actions build it, and reports the errors Nix raises while doing so:
// duplicate attributes (with its merging of `a.b = ..; a = { .. };`),
// duplicate formals, dynamic attributes in `let` and `inherit`.
import type { AttrName, BinaryOp, BindingLike, Expr, Lambda } from './ast.js';
import type { RawDiagnostic } from './cursor.js';
import type { NAttr, NAttrs, NExpr } from './nix-ast.js';
import { NIX_PRESYMBOLS } from './globals.js';
import { lowerIndString, lowerPath, type PathContext } from './strings.js';

const SUB: NExpr = { k: 'var', name: '__sub', at: -1 };
// What a literal lowers to when only variables are checked (shared, never printed;
// not a string, so `${1}` stays a dynamic name).
const CHECKED_LITERAL: NExpr = { k: 'int', text: '0' };

const PRE_RANK: ReadonlyMap<string, number> = new Map(NIX_PRESYMBOLS.map((n, i) => [n, i]));

/**
 * Nix 2.8 orders formals and let bindings by symbol, and symbols by where
 * their string was allocated: names Nix knows at start-up first, then names in
 * the order the parser's actions create them. We follow that order; it is what
 * Nix prints in the common case (allocation history can reorder big files).
 */
export class NixSymbols {
  private readonly created = new Map<string, number>();
  intern(name: string): void {
    if (!PRE_RANK.has(name) && !this.created.has(name)) this.created.set(name, this.created.size);
  }
  rank(name: string): number {
    return PRE_RANK.get(name) ?? PRE_RANK.size + (this.created.get(name) ?? this.created.size);
  }
}

export class Lowerer {
  readonly diagnostics: RawDiagnostic[] = [];
  constructor(
    private readonly ctx: PathContext,
    /** Shared across files that one nix process parses in turn; null when only checking. */
    private readonly symbols: NixSymbols | null = new NixSymbols(),
  ) {}

  lower = (node: Expr): NExpr => {
    // Only checking: a literal's value never matters (attribute names are
    // lowered exactly in attrName), only the variables inside it.
    if (this.symbols === null) {
      const quick = this.checkOnly(node);
      if (quick) return quick;
    }
    switch (node.type) {
      case 'Var':
        if (node.name === '__curPos') return { k: 'pos' };
        this.symbols?.intern(node.name);
        return { k: 'var', name: node.name, at: node.start };
      case 'Int':
        return { k: 'int', text: node.text.replace(/^0+(?=\d)/, '') };
      case 'Float':
        return { k: 'float', value: Number(node.text) };
      case 'String': {
        const parts = node.parts;
        if (parts.length === 0) return { k: 'string', s: '' };
        if (parts.length === 1 && parts[0]!.type === 'StringLiteral')
          return { k: 'string', s: parts[0]!.value };
        return {
          k: 'concat',
          parts: parts.map((p) =>
            p.type === 'StringLiteral' ? { k: 'string', s: p.value } : this.lower(p.expr),
          ),
        };
      }
      case 'IndentedString':
        return lowerIndString(node, this.lower);
      case 'Path':
        return lowerPath(node, this.ctx, this.lower);
      case 'SearchPath':
        return call({ k: 'var', name: '__findFile', at: -1 }, [
          { k: 'var', name: '__nixPath', at: -1 },
          { k: 'string', s: node.path },
        ]);
      case 'Uri':
        return { k: 'string', s: node.text };
      case 'Paren':
        return this.lower(node.expr);
      case 'Attrs':
        return this.attrs(node.bindings, node.rec);
      case 'LegacyLet': {
        const e = this.attrs(node.bindings, true);
        this.symbols?.intern('body');
        return { k: 'select', e, path: [{ name: 'body' }], def: null };
      }
      case 'List':
        return { k: 'list', elems: node.items.map(this.lower) };
      case 'Lambda':
        return this.lambda(node);
      case 'Let': {
        const attrs = this.attrs(node.bindings, false);
        if (attrs.dyn.length > 0)
          this.error('dynamic attributes not allowed in let', attrs.dyn[0]!.at);
        if (this.symbols) {
          attrs.attrs = new Map([...attrs.attrs].sort((a, b) => this.rank(a[0]) - this.rank(b[0])));
        }
        return { k: 'let', attrs, body: this.lower(node.body) };
      }
      case 'With':
        return { k: 'with', attrs: this.lower(node.env), body: this.lower(node.body) };
      case 'Assert':
        return { k: 'assert', c: this.lower(node.cond), body: this.lower(node.body) };
      case 'If':
        return {
          k: 'if',
          c: this.lower(node.cond),
          t: this.lower(node.then),
          e: this.lower(node.else),
        };
      case 'Unary': {
        const e = this.lower(node.operand);
        return node.op === '!' ? { k: 'not', e } : call(SUB, [{ k: 'int', text: '0' }, e]);
      }
      case 'Binary':
        return this.binary(node.op, this.lower(node.left), this.lower(node.right));
      case 'HasAttr':
        return { k: 'hasattr', e: this.lower(node.expr), path: node.path.map(this.attrName) };
      case 'Select': {
        const e = this.lower(node.expr);
        const path = node.path.map(this.attrName);
        return { k: 'select', e, path, def: node.default ? this.lower(node.default) : null };
      }
      case 'App': {
        // Nix appends to an existing call, so `(f a) b` is one call with two arguments.
        const fn = this.lower(node.fn);
        const arg = this.lower(node.arg);
        if (fn.k === 'call') {
          fn.args.push(arg);
          return fn;
        }
        return call(fn, [arg]);
      }
      case 'Error':
        return { k: 'error' };
    }
  };

  private binary(op: BinaryOp, l: NExpr, r: NExpr): NExpr {
    const builtin = (name: string, args: NExpr[]): NExpr => call({ k: 'var', name, at: -1 }, args);
    switch (op) {
      case '+':
        return { k: 'concat', parts: [l, r] };
      case '-':
        return builtin('__sub', [l, r]);
      case '*':
        return builtin('__mul', [l, r]);
      case '/':
        return builtin('__div', [l, r]);
      case '<':
        return builtin('__lessThan', [l, r]);
      case '>':
        return builtin('__lessThan', [r, l]);
      case '<=':
        return { k: 'not', e: builtin('__lessThan', [r, l]) };
      case '>=':
        return { k: 'not', e: builtin('__lessThan', [l, r]) };
      case '|>':
        return appendCall(r, l);
      case '<|':
        return appendCall(l, r);
      default:
        return { k: 'op', op, l, r };
    }
  }

  private lambda(node: Lambda): NExpr {
    const arg = node.arg ? node.arg.name : null;
    let formals = null;
    if (node.formals) {
      const seen = new Set<string>();
      formals = node.formals.entries.map((f) => {
        if (seen.has(f.name.name))
          this.error(`duplicate formal function argument '${f.name.name}'`, f.start);
        seen.add(f.name.name);
        // Nix creates a formal's name after parsing its default.
        const def = f.default ? this.lower(f.default) : null;
        this.symbols?.intern(f.name.name);
        return { name: f.name.name, def };
      });
      if (this.symbols) formals.sort((a, b) => this.rank(a.name) - this.rank(b.name));
      if (arg !== null && seen.has(arg))
        this.error(`duplicate formal function argument '${arg}'`, node.arg!.start);
    }
    const body = this.lower(node.body);
    // ... and the argument's name only after the body.
    if (arg !== null) this.symbols?.intern(arg);
    return { k: 'lambda', arg, formals, ellipsis: node.formals?.ellipsis ?? false, body };
  }

  /** Literals with their values dropped, for a check that only binds variables. */
  private checkOnly(node: Expr): NExpr | null {
    switch (node.type) {
      case 'Int':
      case 'Float':
        return CHECKED_LITERAL;
      case 'IndentedString':
      case 'Path': {
        const inner: NExpr[] = [];
        for (const p of node.parts) if (p.type === 'Interpolation') inner.push(this.lower(p.expr));
        return inner.length === 0 ? CHECKED_LITERAL : { k: 'concat', parts: inner };
      }
      default:
        return null;
    }
  }

  /** An attribute name: static when it lowers to a plain string. */
  attrName = (n: AttrName): NAttr => {
    if (n.type === 'Identifier') {
      this.symbols?.intern(n.name);
      return { name: n.name };
    }
    const inner = n.type === 'Interpolation' ? n.expr : n;
    // `${''name''}` is a static name too: its value must be exact.
    const e =
      inner.type === 'IndentedString' ? lowerIndString(inner, this.lower) : this.lower(inner);
    if (e.k !== 'string') return { expr: e };
    this.symbols?.intern(e.s);
    return { name: e.s };
  };

  private rank(name: string): number {
    return this.symbols?.rank(name) ?? 0;
  }

  attrs(bindings: BindingLike[], rec: boolean): NAttrs {
    const set: NAttrs = { k: 'attrs', rec, attrs: new Map(), dyn: [] };
    for (const b of bindings) {
      if (b.type === 'Inherit') {
        const from = b.from ? this.lower(b.from) : null;
        for (const n of b.names) {
          const a = this.attrName(n);
          if (!('name' in a)) {
            this.error('dynamic attributes not allowed in inherit', n.start);
            continue;
          }
          if (set.attrs.has(a.name)) {
            this.error(`attribute '${a.name}' already defined`, n.start);
            continue;
          }
          const e: NExpr = from
            ? { k: 'select', e: from, path: [{ name: a.name }], def: null }
            : { k: 'var', name: a.name, at: n.start };
          set.attrs.set(a.name, { e, inherited: from === null, at: n.start });
        }
      } else {
        const path = b.path.map(this.attrName);
        this.addAttr(set, path, this.lower(b.value), b.start);
      }
    }
    return set;
  }

  /** Nix's addAttr: walk/create nested sets along the path, merge two plain sets. */
  private addAttr(top: NAttrs, path: NAttr[], e: NExpr, at: number): void {
    let attrs = top;
    const shown = () => path.map((a) => ('name' in a ? a.name : '"${..}"')).join('.');
    for (let i = 0; i < path.length - 1; i++) {
      const a = path[i]!;
      if ('name' in a) {
        const j = attrs.attrs.get(a.name);
        if (j) {
          if (j.inherited || j.e.k !== 'attrs')
            return this.error(`attribute '${shown()}' already defined`, at);
          attrs = j.e;
        } else {
          const nested: NAttrs = { k: 'attrs', rec: false, attrs: new Map(), dyn: [] };
          attrs.attrs.set(a.name, { e: nested, inherited: false, at });
          attrs = nested;
        }
      } else {
        const nested: NAttrs = { k: 'attrs', rec: false, attrs: new Map(), dyn: [] };
        attrs.dyn.push({ name: a.expr, value: nested, at });
        attrs = nested;
      }
    }
    const last = path[path.length - 1]!;
    if (!('name' in last)) {
      attrs.dyn.push({ name: last.expr, value: e, at });
      return;
    }
    const j = attrs.attrs.get(last.name);
    if (!j) {
      attrs.attrs.set(last.name, { e, inherited: false, at });
      return;
    }
    if (!j.inherited && j.e.k === 'attrs' && e.k === 'attrs') {
      // Merged like Nix 2.8 does: only static attributes move over.
      const target = j.e;
      for (const [name, def] of e.attrs) {
        if (target.attrs.has(name))
          this.error(`attribute '${shown()}.${name}' already defined`, def.at);
        else target.attrs.set(name, def);
      }
      return;
    }
    this.error(`attribute '${shown()}' already defined`, at);
  }

  private error(message: string, offset: number): void {
    this.diagnostics.push({ message, offset });
  }
}

function call(fn: NExpr, args: NExpr[]): NExpr {
  return { k: 'call', fn, args };
}

function appendCall(fn: NExpr, arg: NExpr): NExpr {
  if (fn.k === 'call') {
    fn.args.push(arg);
    return fn;
  }
  return call(fn, [arg]);
}
