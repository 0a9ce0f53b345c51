// Strings, indented strings and paths: their token sequences and the escape
// rules Nix applies to them (unescapeStr in Nix's lexer).
import type { IndStr, IndentedLiteral, Interpolation, Path, PathLiteral, Str } from './ast.js';
import type { Cursor } from './cursor.js';
import { T } from './tokens.js';

/**
 * Resolve escapes like Nix: \n \r \t, any other `\x` is x; a raw CR or CRLF
 * becomes LF. A raw NUL byte ends the text (Nix reads it as a C string), but
 * an escaped one is kept: Nix's unescapeStr copies the byte after a backslash
 * before it tests for the end.
 */
export function unescape(raw: string): string {
  if (raw.indexOf('\\') < 0 && raw.indexOf('\r') < 0 && raw.indexOf('\0') < 0) return raw;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    let c = raw[i]!;
    if (c === '\0') break;
    if (c === '\\') {
      c = raw[++i] ?? '';
      if (c === '') break;
      out += c === 'n' ? '\n' : c === 'r' ? '\r' : c === 't' ? '\t' : c;
    } else if (c === '\r') {
      out += '\n';
      if (raw[i + 1] === '\n') i++;
    } else out += c;
  }
  return out;
}

function interpolation(p: Cursor): Interpolation {
  const start = p.start();
  p.next(); // ${
  const e = p.parseExpr();
  if (!p.at(125)) {
    p.syntaxError("expecting '}'");
    p.skipUntil([125]);
  }
  p.eat(125);
  return { type: 'Interpolation', start, end: p.lastEnd(), expr: e };
}

/** `"..."`; the cursor is on the opening quote. */
export function parseString(p: Cursor): Str {
  const start = p.start();
  p.next();
  const mark = p.mark();
  while (true) {
    const k = p.kind();
    if (k === T.STR) {
      const raw = p.text();
      p.add({ type: 'StringLiteral', start: p.start(), end: p.end(), value: unescape(raw) });
      p.next();
    } else if (k === T.DOLLAR_CURLY) p.add(interpolation(p));
    else break;
  }
  const parts = p.take<Str['parts'][number]>(mark);
  p.expect(T.DQUOTE);
  return { type: 'String', start, end: p.lastEnd(), parts };
}

/** `''...''`; the cursor is on the opener. */
export function parseIndString(p: Cursor): IndStr {
  const start = p.start();
  p.next();
  const mark = p.mark();
  while (true) {
    const k = p.kind();
    if (k === T.IND_STR || k === T.IND_ESC) p.add(indLiteral(p, k === T.IND_ESC));
    else if (k === T.DOLLAR_CURLY) p.add(interpolation(p));
    else break;
  }
  const parts = p.take<IndStr['parts'][number]>(mark);
  p.expect(T.IND_CLOSE);
  return { type: 'IndentedString', start, end: p.lastEnd(), parts };
}

// One place makes both kinds of piece: less for the compiler to copy into
// parseIndString, and an escape met first late in a run is no new code there.
function indLiteral(p: Cursor, escape: boolean): IndentedLiteral {
  const text = p.text();
  const piece: IndentedLiteral = {
    type: 'IndentedLiteral',
    start: p.start(),
    end: p.end(),
    escape,
    value: escape ? indEscape(text) : text,
  };
  p.next();
  return piece;
}

function indEscape(text: string): string {
  if (text === "''$") return '$';
  if (text === "'''") return "''";
  if (text.length === 4) return unescape(text.slice(2));
  return text; // a lone $ or '
}

/** A path: first segment, then literal runs and interpolations until PATH_END. */
export function parsePath(p: Cursor): Path {
  const start = p.start();
  const home = p.at(T.HPATH);
  const mark = p.mark();
  p.add(lit(p));
  p.next();
  let interpolated = false;
  while (true) {
    const k = p.kind();
    if (k === T.PATH_STR) {
      p.add(lit(p));
      p.next();
    } else if (k === T.DOLLAR_CURLY) {
      interpolated = true;
      p.add(interpolation(p));
    } else break;
  }
  const parts = p.take<Path['parts'][number]>(mark);
  // Nix's grammar only allows literal runs after the first segment when an
  // interpolation is among them (`./a//b` lexes that way and is an error).
  const second = parts[2];
  if (parts.length > 1 && !interpolated)
    p.error('syntax error, unexpected path segment', parts[1]!.start);
  else if (parts[1]?.type === 'PathLiteral' && second?.type === 'PathLiteral') {
    p.error('syntax error, unexpected path segment', second.start);
  }
  p.expect(T.PATH_END);
  return { type: 'Path', start, end: p.lastEnd(), home, parts };
}

function lit(p: Cursor): PathLiteral {
  return { type: 'PathLiteral', start: p.start(), end: p.end(), value: p.text() };
}
