// Scanners for the lexer's string and path start conditions: "..." strings,
// ''indented strings'' and the rest of a path after its first segment.
import { PATH_CHAR } from './chars.js';
import { T } from './tokens.js';
import { DEFAULT, INPATH, INPATH_SLASH, emit, pathLength, type LexState } from './lexer.js';

export function lexString(L: LexState, i: number): number {
  const { src, n, stack } = L;
  if (i >= n) return -1;
  const c = src.charCodeAt(i);
  if (c === 34) {
    stack.pop();
    return emit(L, T.DQUOTE, i, 1);
  }
  if (c === 36 && src.charCodeAt(i + 1) === 123) {
    stack.push(DEFAULT);
    return emit(L, T.DOLLAR_CURLY, i, 2);
  }
  let j = i;
  while (j < n) {
    const d = src.charCodeAt(j);
    if (d === 34) break;
    if (d === 92) {
      if (j + 1 >= n) break;
      j += 2;
    } else if (d === 36) {
      const e = src.charCodeAt(j + 1);
      if (e === 92 && j + 2 < n) j += 3;
      else if (j + 1 < n && e !== 123 && e !== 34 && e !== 92) j += 2;
      else break;
    } else j++;
  }
  // `...\$/\"`: a `$` right before the closing quote belongs to the literal.
  if (j < n && src.charCodeAt(j) === 36 && src.charCodeAt(j + 1) === 34) j++;
  if (j === i) {
    // Only at end of input: a lone `$`, `\` or `$\` (the parser then reports EOF).
    j = src.charCodeAt(i) === 36 && src.charCodeAt(i + 1) === 92 ? i + 2 : i + 1;
  }
  L.push(T.STR, i, j);
  return j;
}

export function lexIndString(L: LexState, i: number): number {
  const { src, n, stack } = L;
  if (i >= n) return -1;
  const c = src.charCodeAt(i);
  const c1 = src.charCodeAt(i + 1);
  if (c === 39 && c1 === 39) {
    // `''$`, `'''` and `''\x` are escapes, any other `''` closes the string.
    // Every close asks all of these questions, so the rare escapes find the
    // comparisons compiled, not code without type feedback that would throw
    // this function's compiled code away the first time one appears.
    const c2 = src.charCodeAt(i + 2);
    const more = i + 3 < n;
    const len = c2 === 36 || c2 === 39 ? 3 : c2 === 92 && more ? 4 : 2;
    if (len === 2) stack.pop();
    return emit(L, len === 2 ? T.IND_CLOSE : T.IND_ESC, i, len);
  }
  if (c === 36 && c1 === 123) {
    stack.push(DEFAULT);
    return emit(L, T.DOLLAR_CURLY, i, 2);
  }
  let j = i;
  while (j < n) {
    const d = src.charCodeAt(j);
    if (d === 36) {
      const e = src.charCodeAt(j + 1);
      if (j + 1 < n && e !== 123 && e !== 39) j += 2;
      else break;
    } else if (d === 39) {
      const e = src.charCodeAt(j + 1);
      if (j + 1 < n && e !== 39 && e !== 36) j += 2;
      else break;
    } else j++;
  }
  if (j > i) return emit(L, T.IND_STR, i, j - i);
  // A lone `$` or `'` that cannot start anything longer.
  return emit(L, T.IND_ESC, i, 1);
}

export function lexInPath(L: LexState, i: number): number {
  const { src, n, stack, runs } = L;
  const mode = stack.pop()!;
  if (src.charCodeAt(i) === 36 && src.charCodeAt(i + 1) === 123) {
    stack.push(INPATH, DEFAULT);
    return emit(L, T.DOLLAR_CURLY, i, 2);
  }
  const j = runs.end(PATH_CHAR, i);
  let len = j - i;
  if (src.charCodeAt(j) === 47) len = j + 1 - i;
  const p = pathLength(src, i, n, runs);
  if (p > len) len = p;
  if (len > 0) {
    stack.push(src.charCodeAt(i + len - 1) === 47 ? INPATH_SLASH : INPATH);
    return emit(L, T.PATH_STR, i, len);
  }
  if (mode === INPATH_SLASH) L.errors.push({ message: 'path has a trailing slash', offset: i });
  L.push(T.PATH_END, i, i);
  return i;
}
