// Function patterns: deciding that `{` opens one, and parsing
// `{ a, b ? default, ... }`.
import type { Expr, Formal, Formals } from './ast.js';
import type { Cursor } from './cursor.js';
import { T } from './tokens.js';

/** After `{`: a pattern `{ a, b ? x, ... }` rather than an attribute set? */
export function looksLikeFormals(p: Cursor): boolean {
  const k1 = p.peek(1);
  if (k1 === T.ELLIPSIS) return true;
  if (k1 === 125) {
    const k2 = p.peek(2);
    return k2 === 58 || k2 === 64;
  }
  if (k1 === T.ID) {
    const k2 = p.peek(2);
    return k2 === 44 || k2 === 63 || k2 === 125;
  }
  return false;
}

export function missingFormals(p: Cursor): Formals {
  p.syntaxError("expecting '{'");
  const s = p.start();
  return { type: 'Formals', start: s, end: s, entries: [], ellipsis: false };
}

/** `{ a, b ? default, ... }`; the cursor is on `{`. */
export function parseFormals(p: Cursor): Formals {
  const start = p.start();
  p.next(); // {
  const mark = p.mark();
  let ellipsis = false;
  while (!p.at(125) && !p.at(T.EOF)) {
    if (p.eat(T.ELLIPSIS)) {
      ellipsis = true;
      break;
    }
    if (!p.at(T.ID)) {
      p.syntaxError('expecting identifier');
      p.skipUntil([44, 125]);
      if (!p.eat(44)) break;
      continue;
    }
    const name = p.ident();
    let def: Expr | null = null;
    if (p.eat(63)) def = p.parseExpr();
    p.add({
      type: 'Formal',
      start: name.start,
      end: def ? p.endOf(def) : name.end,
      name,
      default: def,
    } satisfies Formal);
    if (!p.eat(44)) break;
  }
  const entries = p.take<Formal>(mark);
  if (!p.at(125)) {
    p.syntaxError("expecting '}'");
    p.skipUntil([125]);
  }
  p.eat(125);
  return { type: 'Formals', start, end: p.lastEnd(), entries, ellipsis };
}
