// Hand-written scanner that reproduces Nix's flex lexer (longest match, ties to
// the earlier rule, with its start-condition stack for strings and paths). It
// works over a "byte string" (one char per byte, see source.ts), indexes it by
// char code and records tokens in typed arrays, so lexing allocates no strings.
import { ID_CHAR, ID_START, LETTER, PATH_CHAR, SCHEME_CHAR, URI_CHAR, isDigit } from './chars.js';
import { T } from './tokens.js';
import { lexInPath, lexIndString, lexString } from './lexer-modes.js';
import { Runs } from './runs.js';

const INITIAL = 0;
export const DEFAULT = 1;
const STRING = 2;
const IND = 3;
export const INPATH = 4;
export const INPATH_SLASH = 5;

export interface LexError {
  message: string;
  offset: number;
}

export interface TokenStream {
  count: number;
  kinds: Uint16Array;
  starts: Int32Array;
  ends: Int32Array;
  errors: LexError[];
}

export interface LexOptions {
  /** Lex `|>` and `<|` (pipe operators, newer than Nix 2.8). */
  pipes?: boolean;
  /**
   * Record the tokens in arrays shared by every call that says so: the
   * stream is only valid until the next such call. parseNix, which drops the
   * tokens before it returns, spares thousands of files an allocation each.
   */
  scratch?: boolean;
}

// A file larger than any before needs larger arrays, now and then: made here,
// out of lex, where the first time would throw lex's compiled code away.
function tokenArrays(cap: number) {
  return { kinds: new Uint16Array(cap), starts: new Int32Array(cap), ends: new Int32Array(cap) };
}

// The shared arrays of `scratch` lexing, grown to the largest file seen.
let shared = tokenArrays(0);

/**
 * The state of one lexing run, handed to every scanner. A method on one class
 * rather than a closure made per call: a call site that sees a new closure for
 * every file is deoptimised again and again while the JIT warms up.
 */
export class LexState {
  count = 0;
  readonly errors: LexError[] = [];
  readonly stack: number[] = [INITIAL];
  readonly n: number;
  readonly runs: Runs;

  constructor(
    readonly src: string,
    readonly pipes: boolean,
    public kinds: Uint16Array<ArrayBuffer>,
    public starts: Int32Array<ArrayBuffer>,
    public ends: Int32Array<ArrayBuffer>,
  ) {
    this.n = src.length;
    this.runs = new Runs(src);
  }

  push(kind: number, start: number, end: number): void {
    const at = this.count;
    if (at === this.kinds.length) this.grow();
    this.kinds[at] = kind;
    this.starts[at] = start;
    this.ends[at] = end;
    this.count = at + 1;
  }

  private grow(): void {
    const cap = this.kinds.length * 2;
    const k = new Uint16Array(cap);
    k.set(this.kinds);
    this.kinds = k;
    const s = new Int32Array(cap);
    s.set(this.starts);
    this.starts = s;
    const e = new Int32Array(cap);
    e.set(this.ends);
    this.ends = e;
  }
}

/** Tokenise a whole file. Never throws; problems go to `errors`. */
export function lex(src: string, options: LexOptions = {}): TokenStream {
  const n = src.length;
  const cap = Math.max(16, (n >> 2) + 16);
  const scratch = options.scratch === true;
  if (scratch && shared.kinds.length < cap) shared = tokenArrays(cap);
  const L = scratch
    ? new LexState(src, options.pipes === true, shared.kinds, shared.starts, shared.ends)
    : new LexState(
        src,
        options.pipes === true,
        new Uint16Array(cap),
        new Int32Array(cap),
        new Int32Array(cap),
      );
  const stack = L.stack;
  let i = 0;
  let end = n;
  while (true) {
    const mode = stack[stack.length - 1]!;
    if (mode === DEFAULT || mode === INITIAL) {
      if (i >= n) break;
      // Outside strings Nix's lexer takes a NUL byte for the end of its input.
      if (src.charCodeAt(i) === 0) {
        end = i;
        break;
      }
      i = lexDefault(L, i);
    } else if (mode === STRING) {
      i = lexString(L, i);
      if (i < 0) break;
    } else if (mode === IND) {
      i = lexIndString(L, i);
      if (i < 0) break;
    } else i = lexInPath(L, i);
  }
  L.push(T.EOF, end, end);
  if (scratch && L.kinds !== shared.kinds)
    shared = { kinds: L.kinds, starts: L.starts, ends: L.ends };
  return { count: L.count, kinds: L.kinds, starts: L.starts, ends: L.ends, errors: L.errors };
}

/** Length of `{PATH_CHAR}*(\/{PATH_CHAR}+)+\/?` at i (0 if none). */
export function pathLength(src: string, i: number, n: number, runs: Runs): number {
  let j = runs.end(PATH_CHAR, i);
  let segs = 0;
  // Segments are scanned directly: when there is one, the token reaches past
  // this run, so the lexer never asks from inside it again.
  while (j + 1 < n && src.charCodeAt(j) === 47 && PATH_CHAR[src.charCodeAt(j + 1)]) {
    j += 2;
    while (j < n && PATH_CHAR[src.charCodeAt(j)]) j++;
    segs++;
  }
  if (segs === 0) return 0;
  if (j < n && src.charCodeAt(j) === 47) j++;
  return j - i;
}

/** Length of `(([1-9][0-9]*\.[0-9]*)|(0?\.[0-9]+))([Ee][+-]?[0-9]+)?` at i. */
function floatLength(src: string, i: number, n: number): number {
  let j = i;
  const c = src.charCodeAt(j);
  if (c >= 49 && c <= 57) {
    while (j < n && isDigit(src.charCodeAt(j))) j++;
    if (src.charCodeAt(j) !== 46) return 0;
    j++;
    while (j < n && isDigit(src.charCodeAt(j))) j++;
  } else {
    if (c === 48) j++;
    if (src.charCodeAt(j) !== 46 || !isDigit(src.charCodeAt(j + 1))) return 0;
    j += 2;
    while (j < n && isDigit(src.charCodeAt(j))) j++;
  }
  const e = src.charCodeAt(j);
  if (e === 69 || e === 101) {
    let k = j + 1;
    const sign = src.charCodeAt(k);
    if (sign === 43 || sign === 45) k++;
    if (isDigit(src.charCodeAt(k))) {
      while (k < n && isDigit(src.charCodeAt(k))) k++;
      j = k;
    }
  }
  return j - i;
}

/** Length of a URI at i (0 if none). */
function uriLength(src: string, i: number, n: number, runs: Runs): number {
  if (!LETTER[src.charCodeAt(i)]) return 0;
  let j = runs.end(SCHEME_CHAR, i + 1);
  if (src.charCodeAt(j) !== 58) return 0;
  const bodyStart = ++j;
  while (j < n && URI_CHAR[src.charCodeAt(j)]) j++;
  return j > bodyStart ? j - i : 0;
}

function lexDefault(L: LexState, i: number): number {
  const { src, n } = L;
  let c = src.charCodeAt(i);
  // Blanks and `#` comments first: nothing else can start with these. All of
  // them before the token, in one call (a `/*` comment: see lexFixed).
  while (c === 32 || c === 9 || c === 10 || c === 13 || c === 35) {
    if (c === 35) {
      // A comment runs to the end of the line.
      while (++i < n) {
        const d = src.charCodeAt(i);
        if (d === 10 || d === 13) break;
      }
    } else i++;
    if (i >= n) return i;
    c = src.charCodeAt(i);
  }
  // A NUL byte is left to lex, which ends the input there.
  if (c === 0) return i;
  if (ID_START[c]) {
    let j = i + 1;
    while (j < n && ID_CHAR[src.charCodeAt(j)]) j++;
    // Fast path: only `.`, `+`, `/` or `:` after an identifier can extend it
    // into a path or a URI.
    const d = src.charCodeAt(j);
    if (d !== 46 && d !== 43 && d !== 47 && d !== 58) {
      L.push(keyword(src, i, j - i), i, j);
      return j;
    }
  }
  // The rest in two functions of their own, each called for many tokens of
  // every file: a kind of token first seen late (a float, a URI, `->`) then
  // throws away only that function's compiled code, not this one's.
  if (LONG_START[c]) {
    const j = lexLong(L, i, c);
    if (j > i) return j;
  }
  return lexFixed(L, i, c);
}

/** PATH_CHAR, `/`, `~` and `<`: what an identifier, number, path or URI can start with. */
const LONG_START = PATH_CHAR.map((v, c) => (v || c === 47 || c === 126 || c === 60 ? 1 : 0));

/**
 * The longest of an identifier, number, path or URI at i, pushed; i itself
 * if none matches (a fixed token is then the longest match).
 */
function lexLong(L: LexState, i: number, c: number): number {
  const { src, n } = L;
  const c1 = src.charCodeAt(i + 1);
  let best = 0;
  let kind = 0;
  if (ID_START[c]) {
    let j = i + 1;
    while (j < n && ID_CHAR[src.charCodeAt(j)]) j++;
    best = j - i;
    kind = T.ID;
  } else if (isDigit(c)) {
    let j = i + 1;
    while (j < n && isDigit(src.charCodeAt(j))) j++;
    best = j - i;
    kind = T.INT;
  }
  // A float starts with a digit or with `.` and a digit: `a.b`'s dots never
  // ask, which keeps floatLength cold (and its rare branches from throwing
  // its compiled code away whenever one of them first runs).
  if (isDigit(c) || (c === 46 && isDigit(c1))) {
    const f = floatLength(src, i, n);
    if (f > best) {
      best = f;
      kind = T.FLOAT;
    }
  }
  let pathStart = false;
  // Both kinds of path need a `/` right after the run of path characters:
  // `a.b.c` never asks for more (pathLength stays cold, as below uriLength).
  if ((PATH_CHAR[c] || c === 47) && src.charCodeAt(L.runs.end(PATH_CHAR, i)) === 47) {
    // `{PATH_SEG}\$\{`: a first segment directly followed by an interpolation.
    const j = L.runs.end(PATH_CHAR, i);
    if (src.charCodeAt(j + 1) === 36 && src.charCodeAt(j + 2) === 123) {
      if (j + 3 - i > best) {
        best = j + 3 - i;
        kind = T.PATH;
        pathStart = true;
      }
    }
    const p = pathLength(src, i, n, L.runs);
    if (p > best) {
      best = p;
      kind = T.PATH;
      pathStart = false;
    }
  }
  if (c === 126 && c1 === 47) {
    if (src.charCodeAt(i + 2) === 36 && src.charCodeAt(i + 3) === 123 && best < 4) {
      best = 4;
      kind = T.HPATH;
      pathStart = true;
    } else {
      const p = pathLength(src, i + 1, n, L.runs);
      if (p > 0 && p + 1 > best) {
        best = p + 1;
        kind = T.HPATH;
        pathStart = false;
      }
    }
  }
  if (c === 60) {
    const s = searchPathLength(src, i, n);
    if (s > best) {
      best = s;
      kind = T.SPATH;
    }
  }
  // A URI's scheme ends at `:`.
  if (LETTER[c] && src.charCodeAt(L.runs.end(SCHEME_CHAR, i + 1)) === 58) {
    const u = uriLength(src, i, n, L.runs);
    if (u > best) {
      best = u;
      kind = T.URI;
    }
  }
  // No fixed token is longer than these matches, except `...` (3) against
  // nothing longer: `.` alone or `..` start neither a number nor a path.
  return best > 0 ? emitLong(L, i, best, kind, pathStart) : i;
}

/** Length of `<{PATH_CHAR}+(\/{PATH_CHAR}+)*>` at i, where src[i] is `<` (0 if none). */
function searchPathLength(src: string, i: number, n: number): number {
  let j = i + 1;
  if (!PATH_CHAR[src.charCodeAt(j)]) return 0;
  while (j < n && PATH_CHAR[src.charCodeAt(j)]) j++;
  while (src.charCodeAt(j) === 47 && PATH_CHAR[src.charCodeAt(j + 1)]) {
    j += 2;
    while (j < n && PATH_CHAR[src.charCodeAt(j)]) j++;
  }
  return src.charCodeAt(j) === 62 ? j + 1 - i : 0;
}

// Two-character operators by their first character: the kind, and the
// second character (`->` under `-`). One lookup for all of them, instead of
// a branch each that stays without type feedback until its operator appears.
const PAIR_KIND = new Uint16Array(256);
const PAIR_SECOND = new Uint8Array(256);
for (const [op, kind] of [
  ['==', T.EQ],
  ['!=', T.NEQ],
  ['<=', T.LEQ],
  ['>=', T.GEQ],
  ['&&', T.AND],
  ['||', T.OR],
  ['->', T.IMPL],
  ['//', T.UPDATE],
  ['++', T.CONCAT],
] as const) {
  PAIR_KIND[op.charCodeAt(0)] = kind;
  PAIR_SECOND[op.charCodeAt(0)] = op.charCodeAt(1);
}

/**
 * A fixed token (an operator, a bracket, a quote) at i, or a `/*` comment
 * (skipped: no path starts with `/*`, so here is early enough for it).
 */
function lexFixed(L: LexState, i: number, c: number): number {
  const { src, pipes } = L;
  const c1 = src.charCodeAt(i + 1);
  const pair = PAIR_KIND[c]!;
  if (pair !== 0 && c1 === PAIR_SECOND[c]) return emit(L, pair, i, 2);
  switch (c) {
    case 47:
      if (c1 === 42) {
        const close = L.runs.commentClose(i + 2);
        if (close >= 0) return close + 2;
      }
      break;
    case 46:
      if (c1 === 46 && src.charCodeAt(i + 2) === 46) return emit(L, T.ELLIPSIS, i, 3);
      break;
    // `pipes` is read above, for every token: read here, the first `<` or `|`
    // of a run would be a load the compiled code has no feedback for.
    case 60:
      if (pipes && c1 === 124) return emit(L, T.PIPE_FROM, i, 2);
      break;
    case 124:
      if (pipes && c1 === 62) return emit(L, T.PIPE_INTO, i, 2);
      break;
    case 36:
      if (c1 === 123) {
        L.stack.push(DEFAULT);
        return emit(L, T.DOLLAR_CURLY, i, 2);
      }
      break;
    case 125:
      // INITIAL only ever sits at the bottom of the stack and is never popped.
      if (L.stack.length > 1) L.stack.pop();
      return emit(L, 125, i, 1);
    case 123:
      L.stack.push(DEFAULT);
      return emit(L, 123, i, 1);
    case 34:
      L.stack.push(STRING);
      return emit(L, T.DQUOTE, i, 1);
    case 39:
      if (c1 === 39) {
        // `''(\ *\n)?`: spaces then a newline right after the opener belong to it.
        let j = i + 2;
        while (src.charCodeAt(j) === 32) j++;
        L.stack.push(IND);
        return emit(L, T.IND_OPEN, i, src.charCodeAt(j) === 10 ? j + 1 - i : 2);
      }
      break;
  }
  return emit(L, c > 255 ? 255 : c, i, 1);
}

export function emit(L: LexState, kind: number, i: number, len: number): number {
  L.push(kind, i, i + len);
  return i + len;
}

function emitLong(L: LexState, i: number, len: number, kind: number, pathStart: boolean): number {
  const src = L.src;
  if (kind === T.ID) {
    L.push(keyword(src, i, len), i, i + len);
    return i + len;
  }
  if (kind === T.PATH || kind === T.HPATH) {
    // A path-start match ends in `${`, which is lexed again in INPATH state.
    const end = pathStart ? i + len - 2 : i + len;
    L.push(kind, i, end);
    L.stack.push(src.charCodeAt(end - 1) === 47 ? INPATH_SLASH : INPATH);
    return end;
  }
  // A number is one long token in forty or so: the call stays a call when
  // this is compiled into lexLong, and a first number too large to fit
  // throws away only checkNumber's compiled code.
  if (kind === T.INT || kind === T.FLOAT) checkNumber(L, i, len, kind);
  L.push(kind, i, i + len);
  return i + len;
}

/** Reports a number Nix cannot represent. */
function checkNumber(L: LexState, i: number, len: number, kind: number): void {
  const text = L.src.slice(i, i + len);
  if (kind === T.INT ? len > 18 && !intFits(text) : !floatFits(text)) {
    L.errors.push({
      message: `invalid ${kind === T.INT ? 'integer' : 'float'} '${text}'`,
      offset: i,
    });
  }
}

/** Whether the identifier at i (its first char already matched) is `word`. */
function isWord(src: string, i: number, word: string): boolean {
  for (let k = 1; k < word.length; k++)
    if (src.charCodeAt(i + k) !== word.charCodeAt(k)) return false;
  return true;
}

/** Keyword kind, by char codes: slicing every identifier would allocate (so would a closure). */
function keyword(src: string, i: number, len: number): number {
  const c = src.charCodeAt(i);
  switch (len) {
    case 2:
      if (c === 105)
        return src.charCodeAt(i + 1) === 102 ? T.IF : src.charCodeAt(i + 1) === 110 ? T.IN : T.ID;
      if (c === 111 && src.charCodeAt(i + 1) === 114) return T.OR_KW;
      return T.ID;
    case 3:
      if (c === 108 && isWord(src, i, 'let')) return T.LET;
      if (c === 114 && isWord(src, i, 'rec')) return T.REC;
      return T.ID;
    case 4:
      if (c === 116 && isWord(src, i, 'then')) return T.THEN;
      if (c === 101 && isWord(src, i, 'else')) return T.ELSE;
      if (c === 119 && isWord(src, i, 'with')) return T.WITH;
      return T.ID;
    case 6:
      return c === 97 && isWord(src, i, 'assert') ? T.ASSERT : T.ID;
    case 7:
      return c === 105 && isWord(src, i, 'inherit') ? T.INHERIT : T.ID;
    default:
      return T.ID;
  }
}

const INT64_MAX = 9223372036854775807n;
function intFits(text: string): boolean {
  return BigInt(text) <= INT64_MAX;
}

/** strtod reports ERANGE on overflow and on results too small to be normal. */
function floatFits(text: string): boolean {
  const v = Number(text);
  if (!Number.isFinite(v)) return false;
  if (v !== 0 && v < 2.2250738585072014e-308) return false;
  if (v === 0 && /[1-9]/.test(text.replace(/[eE].*$/, ''))) return false;
  return true;
}
