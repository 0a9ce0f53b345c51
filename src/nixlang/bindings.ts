// Bindings (`a.b = e;`, `inherit ...;`) and attribute paths, shared by
// attribute sets, `let` and the old `let { }` form.
import type { AttrName, BindingLike, Expr, Interpolation, Str } from './ast.js';
import type { Cursor } from './cursor.js';
import { parseString } from './literals.js';
import { T } from './tokens.js';

type ExprParser = () => Expr;

/** One attribute name, or null (and a diagnostic) if none is here. */
function attrName(p: Cursor, expr: ExprParser): AttrName | null {
  const k = p.kind();
  if (k === T.ID || k === T.OR_KW) {
    const name: AttrName = { type: 'Identifier', start: p.start(), end: p.end(), name: p.text() };
    p.next();
    return name;
  }
  if (k === T.DQUOTE) return parseString(p, expr) as Str;
  if (k === T.DOLLAR_CURLY) {
    const start = p.start();
    p.next();
    const e = expr();
    if (!p.eat(125)) {
      p.syntaxError("expecting '}'");
      p.skipUntil([125]);
      p.eat(125);
    }
    const interp: Interpolation = { type: 'Interpolation', start, end: p.lastEnd(), expr: e };
    return interp;
  }
  return null;
}

/** `a.b."c".${d}` */
export function parseAttrPath(p: Cursor, expr: ExprParser): AttrName[] {
  const path: AttrName[] = [];
  while (true) {
    const name = attrName(p, expr);
    if (!name) {
      p.syntaxError('expecting attribute name');
      break;
    }
    path.push(name);
    if (!p.at(46)) break;
    p.next();
  }
  return path;
}

/** Bindings up to (not including) `close` (`}` or `in`). */
export function parseBindings(p: Cursor, close: number, expr: ExprParser): BindingLike[] {
  const out: BindingLike[] = [];
  while (!p.at(close) && !p.at(T.EOF)) {
    const before = p.pos;
    const errors = p.diagnostics.length;
    const b = p.at(T.INHERIT) ? inherit(p, expr) : binding(p, expr);
    if (b) out.push(b);
    const cleanEnd = p.pos > 0 && p.toks.kinds[p.pos - 1] === 59 && p.pos > before;
    if (!b || (p.diagnostics.length > errors && !cleanEnd)) {
      // Recover at the next binding: skip to `;` and past it.
      p.skipUntil([59, close]);
      p.eat(59);
      if (p.pos === before) p.next();
    }
    p.recovered();
  }
  return out;
}

function binding(p: Cursor, expr: ExprParser): BindingLike | null {
  const start = p.start();
  const path = parseAttrPath(p, expr);
  if (path.length === 0) return null;
  if (!p.expect(61)) return null;
  const value = expr();
  if (!p.expect(59)) return { type: 'Binding', start, end: value.end, path, value };
  return { type: 'Binding', start, end: p.lastEnd(), path, value };
}

function inherit(p: Cursor, expr: ExprParser): BindingLike {
  const start = p.start();
  p.next();
  let from: Expr | null = null;
  if (p.eat(40)) {
    from = expr();
    p.expect(41);
  }
  const names: AttrName[] = [];
  while (!p.at(59) && !p.at(T.EOF)) {
    const name = attrName(p, expr);
    if (!name) break;
    names.push(name);
  }
  p.expect(59);
  return { type: 'Inherit', start, end: p.lastEnd(), from, names };
}
