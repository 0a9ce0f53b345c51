// Variable resolution as Nix does it right after parsing (bindVars): every
// variable must be bound by a lambda, let, rec set or the global scope, unless
// some enclosing `with` may provide it.
import type { RawDiagnostic } from './cursor.js';
import { NIX_GLOBALS } from './globals.js';
import type { NAttrs, NExpr } from './nix-ast.js';

/** What a scope binds: a Set, or anything else that answers `has`. */
export interface Names {
  has(name: string): boolean;
}

export interface Env {
  vars: Names | null;
  up: Env | null;
}

export const GLOBAL_ENV: Env = { vars: NIX_GLOBALS, up: null };

/** Report each use of a variable that nothing binds. */
export function checkScopes(e: NExpr, diagnostics: RawDiagnostic[]): void {
  bind(e, GLOBAL_ENV, diagnostics);
}

export function lookup(name: string, env: Env): boolean {
  for (let cur: Env | null = env; cur; cur = cur.up) {
    if (cur.vars === null || cur.vars.has(name)) return true; // null: a `with`
  }
  return false;
}

/** Binds the variables of a lowered expression (a dynamic attribute name, for check.ts). */
export function bindLowered(e: NExpr, env: Env, d: RawDiagnostic[]): void {
  bind(e, env, d);
}

function bind(e: NExpr, env: Env, d: RawDiagnostic[]): void {
  switch (e.k) {
    case 'var':
      if (!lookup(e.name, env)) d.push({ message: `undefined variable '${e.name}'`, offset: e.at });
      return;
    case 'select':
      bind(e.e, env, d);
      for (const a of e.path) if ('expr' in a) bind(a.expr, env, d);
      if (e.def) bind(e.def, env, d);
      return;
    case 'hasattr':
      bind(e.e, env, d);
      for (const a of e.path) if ('expr' in a) bind(a.expr, env, d);
      return;
    case 'attrs':
      return bindAttrs(e, env, d);
    case 'list':
      for (const x of e.elems) bind(x, env, d);
      return;
    case 'lambda': {
      const vars = new Set<string>();
      if (e.arg !== null) vars.add(e.arg);
      for (const f of e.formals ?? []) vars.add(f.name);
      const inner: Env = { vars, up: env };
      for (const f of e.formals ?? []) if (f.def) bind(f.def, inner, d);
      bind(e.body, inner, d);
      return;
    }
    case 'call':
      bind(e.fn, env, d);
      for (const x of e.args) bind(x, env, d);
      return;
    case 'let': {
      const inner: Env = { vars: new Set(e.attrs.attrs.keys()), up: env };
      for (const def of e.attrs.attrs.values()) bind(def.e, def.inherited ? env : inner, d);
      bind(e.body, inner, d);
      return;
    }
    case 'with':
      bind(e.attrs, env, d);
      bind(e.body, { vars: null, up: env }, d);
      return;
    case 'if':
      bind(e.c, env, d);
      bind(e.t, env, d);
      bind(e.e, env, d);
      return;
    case 'assert':
      bind(e.c, env, d);
      bind(e.body, env, d);
      return;
    case 'not':
      bind(e.e, env, d);
      return;
    case 'op':
      bind(e.l, env, d);
      bind(e.r, env, d);
      return;
    case 'concat':
      for (const x of e.parts) bind(x, env, d);
      return;
    default:
      return;
  }
}

function bindAttrs(e: NAttrs, env: Env, d: RawDiagnostic[]): void {
  const inner: Env = e.rec ? { vars: new Set(e.attrs.keys()), up: env } : env;
  for (const def of e.attrs.values()) bind(def.e, def.inherited ? env : inner, d);
  for (const dyn of e.dyn) {
    bind(dyn.name, inner, d);
    bind(dyn.value, inner, d);
  }
}
