// The concrete syntax tree. Every node carries the byte range [start, end) of
// the source it covers; whitespace and comments between tokens are not nodes
// but stay recoverable from those ranges (see trivia.ts), so a printer can
// replace one node and copy every other byte verbatim.
//
// Offsets are byte offsets into the file. Text fields (names, string values)
// are "byte strings": one JS char per byte (see source.ts); use `decode()`
// from source.ts to turn one into ordinary Unicode text.

export interface Span {
  start: number;
  end: number;
}

export interface Identifier extends Span {
  type: 'Identifier';
  name: string;
}

/** `${ expr }` inside a string, a path or an attribute path. */
export interface Interpolation extends Span {
  type: 'Interpolation';
  expr: Expr;
}

/** A literal run of a "..." string; `value` has its escapes resolved. */
export interface StringLiteral extends Span {
  type: 'StringLiteral';
  value: string;
}

/**
 * A piece of an ''indented string''. Literal text is subject to indentation
 * stripping; escapes (`''$`, `'''`, `''\x`) and lone `$`/`'` are not.
 */
export interface IndentedLiteral extends Span {
  type: 'IndentedLiteral';
  escape: boolean;
  value: string;
}

/** A literal run of a path (the first segment, or text after an interpolation). */
export interface PathLiteral extends Span {
  type: 'PathLiteral';
  value: string;
}

export interface Var extends Span {
  type: 'Var';
  name: string;
}
export interface Int extends Span {
  type: 'Int';
  text: string;
}
export interface Float extends Span {
  type: 'Float';
  text: string;
}
export interface Str extends Span {
  type: 'String';
  parts: (StringLiteral | Interpolation)[];
}
export interface IndStr extends Span {
  type: 'IndentedString';
  parts: (IndentedLiteral | Interpolation)[];
}
/** ./a, /a, a/b, ~/a, with optional interpolations after the first segment. */
export interface Path extends Span {
  type: 'Path';
  home: boolean;
  parts: (PathLiteral | Interpolation)[];
}
/** <nixpkgs/lib>; `path` is the text between the brackets. */
export interface SearchPath extends Span {
  type: 'SearchPath';
  path: string;
}
export interface Uri extends Span {
  type: 'Uri';
  text: string;
}
export interface Paren extends Span {
  type: 'Paren';
  expr: Expr;
}

/** An attribute name: `a`, `"a"`, `"a${b}"` or `${b}`. */
export type AttrName = Identifier | Str | Interpolation;

/** `a.b.c = value;` */
export interface Binding extends Span {
  type: 'Binding';
  path: AttrName[];
  value: Expr;
}
/** `inherit a b;` or `inherit (from) a b;` */
export interface Inherit extends Span {
  type: 'Inherit';
  from: Expr | null;
  names: AttrName[];
}
export type BindingLike = Binding | Inherit;

export interface Attrs extends Span {
  type: 'Attrs';
  rec: boolean;
  bindings: BindingLike[];
}
/** The old `let { ...; body = e; }` form. */
export interface LegacyLet extends Span {
  type: 'LegacyLet';
  bindings: BindingLike[];
}
export interface List extends Span {
  type: 'List';
  items: Expr[];
}

export interface Formal extends Span {
  type: 'Formal';
  name: Identifier;
  default: Expr | null;
}
export interface Formals extends Span {
  type: 'Formals';
  entries: Formal[];
  ellipsis: boolean;
}
/** `x: body`, `{ a, b ? 1, ... }: body`, `{ ... } @ x: body`, `x @ { ... }: body`. */
export interface Lambda extends Span {
  type: 'Lambda';
  arg: Identifier | null;
  formals: Formals | null;
  /** True for `x @ { ... }`, false for `{ ... } @ x`. */
  argFirst: boolean;
  body: Expr;
}

export interface Let extends Span {
  type: 'Let';
  bindings: BindingLike[];
  body: Expr;
}
export interface With extends Span {
  type: 'With';
  env: Expr;
  body: Expr;
}
export interface Assert extends Span {
  type: 'Assert';
  cond: Expr;
  body: Expr;
}
export interface If extends Span {
  type: 'If';
  cond: Expr;
  then: Expr;
  else: Expr;
}
export interface Unary extends Span {
  type: 'Unary';
  op: '!' | '-';
  operand: Expr;
}

export type BinaryOp =
  | '=='
  | '!='
  | '<'
  | '>'
  | '<='
  | '>='
  | '&&'
  | '||'
  | '->'
  | '//'
  | '++'
  | '+'
  | '-'
  | '*'
  | '/'
  | '|>'
  | '<|';

export interface Binary extends Span {
  type: 'Binary';
  op: BinaryOp;
  left: Expr;
  right: Expr;
}
/** `e ? a.b` */
export interface HasAttr extends Span {
  type: 'HasAttr';
  expr: Expr;
  path: AttrName[];
}
/** `e.a.b` or `e.a.b or default` */
export interface Select extends Span {
  type: 'Select';
  expr: Expr;
  path: AttrName[];
  default: Expr | null;
}
/** Function application, one argument per node (`f a b` is App(App(f, a), b)). */
export interface App extends Span {
  type: 'App';
  fn: Expr;
  arg: Expr;
}
/** Placeholder where the parser found no valid expression. */
export interface ErrorNode extends Span {
  type: 'Error';
}

export type Expr =
  | Var
  | Int
  | Float
  | Str
  | IndStr
  | Path
  | SearchPath
  | Uri
  | Paren
  | Attrs
  | LegacyLet
  | List
  | Lambda
  | Let
  | With
  | Assert
  | If
  | Unary
  | Binary
  | HasAttr
  | Select
  | App
  | ErrorNode;

export type Node =
  | Expr
  | Identifier
  | Interpolation
  | StringLiteral
  | IndentedLiteral
  | PathLiteral
  | Binding
  | Inherit
  | Formal
  | Formals;

export interface Diagnostic {
  message: string;
  /** Byte offset of the problem. */
  offset: number;
  /** 1-based line. */
  line: number;
  /** 1-based column, counted in bytes like Nix does. */
  column: number;
}

export interface SyntaxTree {
  /** The source as a byte string (one char per byte). */
  source: string;
  root: Expr;
  diagnostics: Diagnostic[];
}
