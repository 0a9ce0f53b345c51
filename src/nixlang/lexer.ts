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

// The shared arrays of `scratch` lexing, grown to the largest file seen.
let shared = { kinds: new Uint16Array(0), starts: new Int32Array(0), ends: new Int32Array(0) };

/** Tokenise a whole file. Never throws; problems go to `errors`. */
export function lex(src: string, options: LexOptions = {}): TokenStream {
  const n = src.length;
  let cap = Math.max(16, (n >> 2) + 16);
  if (options.scratch && shared.kinds.length < cap)
    shared = {
      kinds: new Uint16Array(cap),
      starts: new Int32Array(cap),
      ends: new Int32Array(cap),
    };
  let kinds = options.scratch ? shared.kinds : new Uint16Array(cap);
  let starts = options.scratch ? shared.starts : new Int32Array(cap);
  let ends = options.scratch ? shared.ends : new Int32Array(cap);
  if (options.scratch) cap = kinds.length;
  let count = 0;
  const errors: LexError[] = [];
  const stack: number[] = [INITIAL];
  const pipes = options.pipes === true;
  const runs = new Runs(src);

  const push = (kind: number, start: number, end: number): void => {
    if (count === cap) {
      cap *= 2;
      const k = new Uint16Array(cap);
      k.set(kinds);
      kinds = k;
      const s = new Int32Array(cap);
      s.set(starts);
      starts = s;
      const e = new Int32Array(cap);
      e.set(ends);
      ends = e;
    }
    kinds[count] = kind;
    starts[count] = start;
    ends[count] = end;
    count++;
  };

  let i = 0;
  let end = n;
  while (true) {
    const mode = stack[stack.length - 1]!;
    if (mode === STRING) {
      i = lexString(src, i, n, stack, push);
      if (i < 0) break;
      continue;
    }
    if (mode === IND) {
      i = lexIndString(src, i, n, stack, push);
      if (i < 0) break;
      continue;
    }
    if (mode === INPATH || mode === INPATH_SLASH) {
      i = lexInPath(src, i, n, stack, push, errors, runs);
      continue;
    }
    if (i >= n) break;
    // Outside strings Nix's lexer takes a NUL byte for the end of its input.
    if (src.charCodeAt(i) === 0) {
      end = i;
      break;
    }
    i = lexDefault(src, i, n, stack, push, errors, pipes, runs);
  }
  push(T.EOF, end, end);
  if (options.scratch) shared = { kinds, starts, ends };
  return { count, kinds, starts, ends, errors };
}

export type Push = (kind: number, start: number, end: number) => void;

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

function lexDefault(
  src: string,
  i: number,
  n: number,
  stack: number[],
  push: Push,
  errors: LexError[],
  pipes: boolean,
  runs: Runs,
): number {
  const c = src.charCodeAt(i);
  // Trivia first: nothing else can start with these (a comment's `/*` is not a path).
  if (c === 32 || c === 9 || c === 10 || c === 13) {
    let j = i + 1;
    while (j < n) {
      const d = src.charCodeAt(j);
      if (d !== 32 && d !== 9 && d !== 10 && d !== 13) break;
      j++;
    }
    return j;
  }
  if (c === 35) {
    let j = i + 1;
    while (j < n) {
      const d = src.charCodeAt(j);
      if (d === 10 || d === 13) break;
      j++;
    }
    return j;
  }
  if (c === 47 && src.charCodeAt(i + 1) === 42) {
    const close = runs.commentClose(i + 2);
    if (close >= 0) return close + 2;
  }
  const c1 = src.charCodeAt(i + 1);

  // Candidates that can be long: identifiers, numbers, paths, URIs.
  let best = 0;
  let kind = 0;
  if (ID_START[c]) {
    let j = i + 1;
    while (j < n && ID_CHAR[src.charCodeAt(j)]) j++;
    // Fast path: only `.`, `+`, `/` or `:` after an identifier can extend it
    // into a path or a URI.
    const d = src.charCodeAt(j);
    if (d !== 46 && d !== 43 && d !== 47 && d !== 58) {
      push(keyword(src, i, j - i), i, j);
      return j;
    }
    best = j - i;
    kind = T.ID;
  } else if (isDigit(c)) {
    let j = i + 1;
    while (j < n && isDigit(src.charCodeAt(j))) j++;
    best = j - i;
    kind = T.INT;
  }
  if (isDigit(c) || c === 46) {
    const f = floatLength(src, i, n);
    if (f > best) {
      best = f;
      kind = T.FLOAT;
    }
  }
  let pathStart = false;
  if (PATH_CHAR[c] || c === 47) {
    // `{PATH_SEG}\$\{`: a first segment directly followed by an interpolation.
    const j = runs.end(PATH_CHAR, i);
    if (src.charCodeAt(j) === 47 && src.charCodeAt(j + 1) === 36 && src.charCodeAt(j + 2) === 123) {
      if (j + 3 - i > best) {
        best = j + 3 - i;
        kind = T.PATH;
        pathStart = true;
      }
    }
    const p = pathLength(src, i, n, runs);
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
      const p = pathLength(src, i + 1, n, runs);
      if (p > 0 && p + 1 > best) {
        best = p + 1;
        kind = T.HPATH;
        pathStart = false;
      }
    }
  }
  if (c === 60) {
    let j = i + 1;
    if (PATH_CHAR[src.charCodeAt(j)]) {
      while (j < n && PATH_CHAR[src.charCodeAt(j)]) j++;
      while (src.charCodeAt(j) === 47 && PATH_CHAR[src.charCodeAt(j + 1)]) {
        j += 2;
        while (j < n && PATH_CHAR[src.charCodeAt(j)]) j++;
      }
      if (src.charCodeAt(j) === 62 && j + 1 - i > best) {
        best = j + 1 - i;
        kind = T.SPATH;
      }
    }
  }
  if (LETTER[c]) {
    const u = uriLength(src, i, n, runs);
    if (u > best) {
      best = u;
      kind = T.URI;
    }
  }

  // No fixed token is longer than these matches, except `...` (3) against
  // nothing longer: `.` alone or `..` start neither a number nor a path.
  if (best > 0) return emitLong(src, i, best, kind, pathStart, stack, push, errors);

  // Fixed tokens.
  switch (c) {
    case 46:
      if (c1 === 46 && src.charCodeAt(i + 2) === 46) return emit(push, T.ELLIPSIS, i, 3);
      break;
    case 61:
      if (c1 === 61) return emit(push, T.EQ, i, 2);
      break;
    case 33:
      if (c1 === 61) return emit(push, T.NEQ, i, 2);
      break;
    case 60:
      if (c1 === 61) return emit(push, T.LEQ, i, 2);
      if (pipes && c1 === 124) return emit(push, T.PIPE_FROM, i, 2);
      break;
    case 62:
      if (c1 === 61) return emit(push, T.GEQ, i, 2);
      break;
    case 38:
      if (c1 === 38) return emit(push, T.AND, i, 2);
      break;
    case 124:
      if (c1 === 124) return emit(push, T.OR, i, 2);
      if (pipes && c1 === 62) return emit(push, T.PIPE_INTO, i, 2);
      break;
    case 45:
      if (c1 === 62) return emit(push, T.IMPL, i, 2);
      break;
    case 47:
      if (c1 === 47) return emit(push, T.UPDATE, i, 2);
      break;
    case 43:
      if (c1 === 43) return emit(push, T.CONCAT, i, 2);
      break;
    case 36:
      if (c1 === 123) {
        stack.push(DEFAULT);
        return emit(push, T.DOLLAR_CURLY, i, 2);
      }
      break;
    case 125:
      // INITIAL only ever sits at the bottom of the stack and is never popped.
      if (stack.length > 1) stack.pop();
      return emit(push, 125, i, 1);
    case 123:
      stack.push(DEFAULT);
      return emit(push, 123, i, 1);
    case 34:
      stack.push(STRING);
      return emit(push, T.DQUOTE, i, 1);
    case 39:
      if (c1 === 39) {
        // `''(\ *\n)?`: spaces then a newline right after the opener belong to it.
        let j = i + 2;
        while (src.charCodeAt(j) === 32) j++;
        stack.push(IND);
        return emit(push, T.IND_OPEN, i, src.charCodeAt(j) === 10 ? j + 1 - i : 2);
      }
      break;
  }
  return emit(push, c > 255 ? 255 : c, i, 1);
}

export function emit(push: Push, kind: number, i: number, len: number): number {
  push(kind, i, i + len);
  return i + len;
}

function emitLong(
  src: string,
  i: number,
  len: number,
  kind: number,
  pathStart: boolean,
  stack: number[],
  push: Push,
  errors: LexError[],
): number {
  if (kind === T.ID) {
    push(keyword(src, i, len), i, i + len);
    return i + len;
  }
  if (kind === T.PATH || kind === T.HPATH) {
    // A path-start match ends in `${`, which is lexed again in INPATH state.
    const end = pathStart ? i + len - 2 : i + len;
    push(kind, i, end);
    stack.push(src.charCodeAt(end - 1) === 47 ? INPATH_SLASH : INPATH);
    return end;
  }
  if (kind === T.INT && len > 18 && !intFits(src, i, len)) {
    errors.push({ message: `invalid integer '${src.slice(i, i + len)}'`, offset: i });
  }
  if (kind === T.FLOAT && !floatFits(src.slice(i, i + len))) {
    errors.push({ message: `invalid float '${src.slice(i, i + len)}'`, offset: i });
  }
  push(kind, i, i + len);
  return i + len;
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
function intFits(src: string, i: number, len: number): boolean {
  return BigInt(src.slice(i, i + len)) <= INT64_MAX;
}

/** strtod reports ERANGE on overflow and on results too small to be normal. */
function floatFits(text: string): boolean {
  const v = Number(text);
  if (!Number.isFinite(v)) return false;
  if (v !== 0 && v < 2.2250738585072014e-308) return false;
  if (v === 0 && /[1-9]/.test(text.replace(/[eE].*$/, ''))) return false;
  return true;
}
