// Token kinds of the Nix lexer. Single-character tokens ( ) [ ] ; : , @ . = ?
// ! + - * / < > and any other stray byte use their own char code as kind, the
// way Nix's flex lexer returns them; named kinds start above the byte range.
//
// An enum rather than an object: the bundler writes each kind into the code
// that uses it as a plain number. Read from an object, every `T.X` in a branch
// that has not run yet is a load without type feedback, and its first run
// throws the lexer's or parser's compiled code away.
export enum T {
  EOF = 256,
  ID = 257,
  INT = 258,
  FLOAT = 259,
  /** First segment of a path: ./a, /a, a/b (ends in INPATH state). */
  PATH = 260,
  /** First segment of a home path: ~/a. */
  HPATH = 261,
  /** <nixpkgs/lib> */
  SPATH = 262,
  URI = 263,
  /** A literal piece of a "..." string (raw text, escapes still in). */
  STR = 264,
  /** A literal piece of an indented string, subject to indentation stripping. */
  IND_STR = 265,
  /** An escape in an indented string (''$ ''' ''\x), exempt from stripping. */
  IND_ESC = 266,
  /** A literal piece of an interpolated path after its first segment. */
  PATH_STR = 267,
  /** Zero-width end of a path. */
  PATH_END = 268,
  DQUOTE = 269,
  IND_OPEN = 270,
  IND_CLOSE = 271,
  DOLLAR_CURLY = 272,
  IF = 273,
  THEN = 274,
  ELSE = 275,
  ASSERT = 276,
  WITH = 277,
  LET = 278,
  IN = 279,
  REC = 280,
  INHERIT = 281,
  OR_KW = 282,
  ELLIPSIS = 283,
  EQ = 284,
  NEQ = 285,
  LEQ = 286,
  GEQ = 287,
  AND = 288,
  OR = 289,
  IMPL = 290,
  UPDATE = 291,
  CONCAT = 292,
  PIPE_INTO = 293,
  PIPE_FROM = 294,
}

/** Human name of a token kind, as used in syntax error messages. */
export function tokenName(kind: number): string {
  if (kind < 256) return `'${String.fromCharCode(kind)}'`;
  return T[kind] ?? `token ${kind}`;
}
