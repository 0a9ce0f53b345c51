// Nix's own abstract syntax (the Expr classes of libexpr) that our syntax tree
// lowers to: parentheses gone, operators desugared to builtins calls, strings
// unescaped and de-indented, nested attribute paths merged into sets. This is
// what `nix-instantiate --parse` prints and what Nix checks variables on.

export interface NDef {
  e: NExpr;
  /** `inherit x;` (looked up outside a rec set / let). */
  inherited: boolean;
  at: number;
}
export interface NDyn {
  name: NExpr;
  value: NExpr;
  at: number;
}
export type NAttr = { name: string } | { expr: NExpr };

export interface NAttrs {
  k: 'attrs';
  rec: boolean;
  attrs: Map<string, NDef>;
  dyn: NDyn[];
}

export interface NFormal {
  name: string;
  def: NExpr | null;
}

export type NExpr =
  | { k: 'int'; text: string }
  | { k: 'float'; value: number }
  | { k: 'string'; s: string }
  | { k: 'path'; s: string }
  | { k: 'var'; name: string; at: number }
  | { k: 'pos' }
  | { k: 'select'; e: NExpr; path: NAttr[]; def: NExpr | null }
  | { k: 'hasattr'; e: NExpr; path: NAttr[] }
  | NAttrs
  | { k: 'list'; elems: NExpr[] }
  | {
      k: 'lambda';
      arg: string | null;
      formals: NFormal[] | null;
      ellipsis: boolean;
      body: NExpr;
    }
  | { k: 'call'; fn: NExpr; args: NExpr[] }
  | { k: 'let'; attrs: NAttrs; body: NExpr }
  | { k: 'with'; attrs: NExpr; body: NExpr }
  | { k: 'if'; c: NExpr; t: NExpr; e: NExpr }
  | { k: 'assert'; c: NExpr; body: NExpr }
  | { k: 'not'; e: NExpr }
  | { k: 'op'; op: '==' | '!=' | '&&' | '||' | '->' | '//' | '++'; l: NExpr; r: NExpr }
  | { k: 'concat'; parts: NExpr[] }
  | { k: 'error' };
