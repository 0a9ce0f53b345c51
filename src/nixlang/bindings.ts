// Bindings (`a.b = e;`, `inherit ...;`) and attribute paths, shared by
// attribute sets, `let` and the old `let { }` form.
import type { AttrName, BindingLike, Expr, Interpolation, Str } from './ast.js';
import type { Cursor } from './cursor.js';
import { parseString } from './literals.js';
import { T } from './tokens.js';

/** One attribute name, or null (and a diagnostic) if none is here. */
function attrName(p: Cursor): AttrName | null {
  const k = p.kind();
  if (k === T.ID || k === T.OR_KW) {
    const name: AttrName = { type: 'Identifier', start: p.start(), end: p.end(), name: p.text() };
    p.next();
    return name;
  }
  if (k === T.DQUOTE) return parseString(p) as Str;
  if (k === T.DOLLAR_CURLY) {
    const start = p.start();
    p.next();
    const e = p.parseExpr();
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
export function parseAttrPath(p: Cursor): AttrName[] {
  const mark = p.mark();
  while (true) {
    const name = attrName(p);
    if (!name) {
      p.syntaxError('expecting attribute name');
      break;
    }
    p.add(name);
    if (!p.at(46)) break;
    p.next();
  }
  return p.take(mark);
}

/** Bindings up to (not including) `close` (`}` or `in`). */
export function parseBindings(p: Cursor, close: number): BindingLike[] {
  const mark = p.mark();
  while (!p.at(close) && !p.at(T.EOF)) {
    const before = p.pos;
    const errors = p.diagnostics.length;
    const b = p.at(T.INHERIT) ? inherit(p) : binding(p);
    if (b) p.add(b);
    const cleanEnd = p.pos > 0 && p.kinds[p.pos - 1] === 59 && p.pos > before;
    if (!b || (p.diagnostics.length > errors && !cleanEnd)) {
      // Recover at the next binding: skip to `;` and past it.
      p.skipUntil([59, close]);
      p.eat(59);
      if (p.pos === before) p.next();
    }
    p.recovered();
  }
  return p.take(mark);
}

function binding(p: Cursor): BindingLike | null {
  const start = p.start();
  const path = parseAttrPath(p);
  if (path.length === 0) return null;
  if (!p.expect(61)) return null;
  const value = p.parseExpr();
  if (!p.expect(59)) return { type: 'Binding', start, end: value.end, path, value };
  return { type: 'Binding', start, end: p.lastEnd(), path, value };
}

function inherit(p: Cursor): BindingLike {
  const start = p.start();
  p.next();
  let from: Expr | null = null;
  if (p.eat(40)) {
    from = p.parseExpr();
    p.expect(41);
  }
  const mark = p.mark();
  while (!p.at(59) && !p.at(T.EOF)) {
    const name = attrName(p);
    if (!name) break;
    p.add(name);
  }
  const names = p.take<AttrName>(mark);
  p.expect(59);
  return { type: 'Inherit', start, end: p.lastEnd(), from, names };
}
