// Recursive-descent parser for the Nix grammar (Nix 2.x parser.y), with Nix's
// operator precedence done by precedence climbing. It never throws: a syntax
// error yields a diagnostic, an Error node, and a skip to the next binding
// (`;`) or list element.
import type { BinaryOp, BindingLike, Expr, Formals, Identifier, Lambda, List } from './ast.js';
import { Cursor, MAX_DEPTH } from './cursor.js';
import { parseBindings, parseAttrPath } from './bindings.js';
import { parseIndString, parsePath, parseString } from './literals.js';
import { looksLikeFormals, missingFormals, parseFormals } from './formals.js';
import type { TokenStream } from './lexer.js';
import { T } from './tokens.js';

interface OpInfo {
  prec: number;
  assoc: 'left' | 'right' | 'none';
  op: BinaryOp;
}

// Higher binds tighter. `!` sits at 7 and unary minus at 12 (prefix).
const BINARY: Record<number, OpInfo> = {
  [T.PIPE_FROM]: { prec: 0, assoc: 'right', op: '<|' },
  [T.PIPE_INTO]: { prec: 0, assoc: 'left', op: '|>' },
  [T.IMPL]: { prec: 1, assoc: 'right', op: '->' },
  [T.OR]: { prec: 2, assoc: 'left', op: '||' },
  [T.AND]: { prec: 3, assoc: 'left', op: '&&' },
  [T.EQ]: { prec: 4, assoc: 'none', op: '==' },
  [T.NEQ]: { prec: 4, assoc: 'none', op: '!=' },
  [60]: { prec: 5, assoc: 'none', op: '<' },
  [62]: { prec: 5, assoc: 'none', op: '>' },
  [T.LEQ]: { prec: 5, assoc: 'none', op: '<=' },
  [T.GEQ]: { prec: 5, assoc: 'none', op: '>=' },
  [T.UPDATE]: { prec: 6, assoc: 'right', op: '//' },
  [43]: { prec: 8, assoc: 'left', op: '+' },
  [45]: { prec: 8, assoc: 'left', op: '-' },
  [42]: { prec: 9, assoc: 'left', op: '*' },
  [47]: { prec: 9, assoc: 'left', op: '/' },
  [T.CONCAT]: { prec: 10, assoc: 'right', op: '++' },
};
const NOT_PREC = 7;
const HASATTR_PREC = 11;
const NEGATE_PREC = 12;

export class Parser extends Cursor {
  constructor(src: string, toks: TokenStream) {
    super(src, toks);
  }

  /** The whole file: one expression, then end of input. */
  parseFile(): Expr {
    const e = this.parseExpr();
    if (!this.at(T.EOF)) {
      this.syntaxError('expecting end of file');
      // Still look at what follows so its own errors show up too.
      while (!this.at(T.EOF)) {
        const before = this.pos;
        this.recovered();
        this.next();
        this.skipUntil([59]);
        if (this.pos === before) this.next();
      }
    }
    return e;
  }

  /** expr_function: lambdas, assert, with, let ... in, then if and operators. */
  parseExpr(): Expr {
    if (++this.depth > MAX_DEPTH) return this.tooDeep();
    const e = this.parseFunction();
    this.depth--;
    return e;
  }

  /**
   * Every nesting passes through parseExpr or parseSimple, so depth is bounded
   * there: past MAX_DEPTH the rest of the input is reported, not recursed into.
   * (No try/finally around the depth count and no closure per node: the only
   * exception that can pass through, a stack overflow, abandons the parse.)
   */
  private tooDeep(): Expr {
    this.depth--;
    this.error('expression is nested too deeply', this.start());
    const e = this.errorNode();
    this.pos = this.last;
    return e;
  }

  // Most expressions are none of the forms below: parseFunction and parseOp
  // stay small dispatchers, each rarer form has a function of its own. (A hot
  // function's compiled code is thrown away when code it has not run yet
  // first runs; the smaller the function, the cheaper compiling it again.)
  private parseFunction(): Expr {
    const k = this.kind();
    if (k === T.ID) {
      const k1 = this.peek(1);
      if (k1 === 58 || k1 === 64) return this.argLambda(k1 === 64);
    } else if (k === 123) {
      if (looksLikeFormals(this)) return this.formalsLambda();
    } else if (k === T.ASSERT || k === T.WITH || k === T.IF) return this.keywordExpr(k);
    else if (k === T.LET && this.peek(1) !== 123) return this.letIn();
    return this.parseOp(0);
  }

  /** `x: body` or `x @ { ... }: body`. */
  private argLambda(withFormals: boolean): Expr {
    const start = this.start();
    const arg = this.ident();
    this.next();
    if (!withFormals) return this.lambda(start, arg, null, false);
    const formals = this.at(123) ? parseFormals(this) : missingFormals(this);
    this.expect(58);
    return this.lambda(start, arg, formals, true);
  }

  /** `{ ... }: body` or `{ ... } @ x: body`. */
  private formalsLambda(): Expr {
    const start = this.start();
    const formals = parseFormals(this);
    let arg: Identifier | null = null;
    if (this.eat(64)) {
      if (this.at(T.ID)) arg = this.ident();
      else this.syntaxError('expecting identifier');
    }
    this.expect(58);
    return this.lambda(start, arg, formals, false);
  }

  /** `assert c; body`, `with e; body`, `if c then a else b`. */
  private keywordExpr(k: number): Expr {
    const start = this.start();
    this.next();
    const first = this.parseExpr();
    if (k === T.IF) {
      this.expect(T.THEN);
      const then = this.parseExpr();
      this.expect(T.ELSE);
      const els = this.parseExpr();
      return { type: 'If', start, end: this.endOf(els), cond: first, then, else: els };
    }
    this.expect(59);
    const body = this.parseExpr();
    return k === T.ASSERT
      ? { type: 'Assert', start, end: this.endOf(body), cond: first, body }
      : { type: 'With', start, end: this.endOf(body), env: first, body };
  }

  /** `let bindings in body`. */
  private letIn(): Expr {
    const start = this.start();
    this.next();
    const bindings = parseBindings(this, T.IN);
    this.expect(T.IN);
    const body = this.parseExpr();
    return { type: 'Let', start, end: this.endOf(body), bindings, body };
  }

  private lambda(
    start: number,
    arg: Identifier | null,
    formals: Formals | null,
    argFirst: boolean,
  ): Lambda {
    const body = this.parseExpr();
    return { type: 'Lambda', start, end: this.endOf(body), arg, formals, argFirst, body };
  }

  /** Binary and prefix operators at or above `minPrec`. */
  private parseOp(minPrec: number): Expr {
    const start = this.start();
    const k0 = this.kind();
    let left = k0 === 33 || k0 === 45 ? this.unary(start, k0) : this.parseApp();
    let lastNonAssoc = -1;
    while (true) {
      const k = this.kind();
      if (k === 63) {
        // `%nonassoc '?'` never triggers in Nix (its right side is an attribute
        // path, not an operand), so `a ? b ? c` chains to the left.
        if (HASATTR_PREC < minPrec) break;
        left = this.hasAttr(start, left);
        lastNonAssoc = -1;
        continue;
      }
      const info = BINARY[k];
      if (!info || info.prec < minPrec) break;
      if (info.assoc === 'none' && lastNonAssoc === info.prec) this.syntaxError();
      this.next();
      const right = this.parseOp(info.assoc === 'right' ? info.prec : info.prec + 1);
      // Only the pipes sit at precedence 0.
      if (info.prec === 0 && (isOtherPipe(left, info) || isOtherPipe(right, info))) {
        this.error('mixing |> and <| needs parentheses', right.start);
      }
      left = { type: 'Binary', start, end: this.endOf(right), op: info.op, left, right };
      lastNonAssoc = info.assoc === 'none' ? info.prec : -1;
    }
    return left;
  }

  /** `!e` or `-e`; the cursor is on the operator. */
  private unary(start: number, k: number): Expr {
    this.next();
    const operand = this.parseOp((k === 33 ? NOT_PREC : NEGATE_PREC) + 1);
    return { type: 'Unary', start, end: this.endOf(operand), op: k === 33 ? '!' : '-', operand };
  }

  /** `e ? a.b`; the cursor is on `?`. */
  private hasAttr(start: number, left: Expr): Expr {
    this.next();
    const path = parseAttrPath(this);
    return { type: 'HasAttr', start, end: this.lastEnd(), expr: left, path };
  }

  /** Application: a run of select expressions. */
  private parseApp(): Expr {
    // Every expression starts at the token it was parsed from: `start` is the
    // start of each App here without reading it from the node.
    const start = this.start();
    let e = this.parseSelect();
    while (this.startsSimple()) {
      const arg = this.parseSelect();
      e = { type: 'App', start, end: this.endOf(arg), fn: e, arg };
    }
    return e;
  }

  private startsSimple(): boolean {
    switch (this.kind()) {
      case T.ID:
      case T.INT:
      case T.FLOAT:
      case T.DQUOTE:
      case T.IND_OPEN:
      case T.PATH:
      case T.HPATH:
      case T.SPATH:
      case T.URI:
      case 40:
      case 91:
      case 123:
      case T.REC:
        return true;
      case T.LET:
        return this.peek(1) === 123;
      default:
        return false;
    }
  }

  private parseSelect(): Expr {
    const start = this.start();
    const e = this.parseSimple();
    if (this.at(46)) {
      this.next();
      const path = parseAttrPath(this);
      let def: Expr | null = null;
      if (this.eat(T.OR_KW)) def = this.parseSelect();
      return { type: 'Select', start, end: this.lastEnd(), expr: e, path, default: def };
    }
    if (this.at(T.OR_KW)) {
      // `f or`: Nix reads a bare `or` after a simple expression as a variable.
      const arg: Expr = { type: 'Var', start: this.start(), end: this.end(), name: 'or' };
      this.next();
      return { type: 'App', start, end: arg.end, fn: e, arg };
    }
    return e;
  }

  private parseSimple(): Expr {
    if (++this.depth > MAX_DEPTH) return this.tooDeep();
    const e = this.simple();
    this.depth--;
    return e;
  }

  private simple(): Expr {
    const start = this.start();
    switch (this.kind()) {
      case T.ID: {
        const name = this.text();
        this.next();
        return { type: 'Var', start, end: this.lastEnd(), name };
      }
      case T.INT:
        this.next();
        return {
          type: 'Int',
          start,
          end: this.lastEnd(),
          text: this.src.slice(start, this.lastEnd()),
        };
      case T.FLOAT:
        this.next();
        return {
          type: 'Float',
          start,
          end: this.lastEnd(),
          text: this.src.slice(start, this.lastEnd()),
        };
      case T.DQUOTE:
        return parseString(this);
      case T.IND_OPEN:
        return parseIndString(this);
      case T.PATH:
      case T.HPATH:
        return parsePath(this);
      case T.SPATH: {
        const text = this.text();
        this.next();
        return { type: 'SearchPath', start, end: this.lastEnd(), path: text.slice(1, -1) };
      }
      case T.URI: {
        const text = this.text();
        this.next();
        return { type: 'Uri', start, end: this.lastEnd(), text };
      }
      case 40: {
        this.next();
        const expr = this.parseExpr();
        this.closeWith(41, "')'");
        return { type: 'Paren', start, end: this.lastEnd(), expr };
      }
      case 91:
        return this.list();
      case T.REC:
      case 123: {
        const rec = this.eat(T.REC);
        const bindings = this.braceBindings();
        return { type: 'Attrs', start, end: this.lastEnd(), rec, bindings };
      }
      case T.LET:
        if (this.peek(1) === 123) {
          this.next();
          const bindings = this.braceBindings();
          return { type: 'LegacyLet', start, end: this.lastEnd(), bindings };
        }
        break;
    }
    this.syntaxError();
    return this.errorNode();
  }

  private braceBindings(): BindingLike[] {
    if (!this.at(123)) {
      this.syntaxError("expecting '{'");
      return [];
    }
    this.next();
    const bindings = parseBindings(this, 125);
    this.closeWith(125, "'}'");
    return bindings;
  }

  private closeWith(kind: number, name: string): void {
    if (this.eat(kind)) return;
    this.syntaxError(`expecting ${name}`);
    this.skipUntil([kind]);
    this.eat(kind);
  }

  private list(): List {
    const start = this.start();
    this.next(); // [
    const mark = this.mark();
    while (!this.at(93) && !this.at(T.EOF)) {
      if (this.startsSimple()) {
        this.add(this.parseSelect());
        this.recovered();
        continue;
      }
      // Recover at the next list element.
      this.syntaxError("expecting ']'");
      const before = this.pos;
      if (this.at(41) || this.at(125)) break;
      this.next();
      while (
        !this.startsSimple() &&
        !this.at(93) &&
        !this.at(T.EOF) &&
        !this.at(41) &&
        !this.at(125)
      ) {
        this.next();
      }
      if (this.pos === before) break;
    }
    const items = this.take<Expr>(mark);
    this.closeWith(93, "']'");
    return { type: 'List', start, end: this.lastEnd(), items };
  }
}

/** A pipe operand that is itself the other pipe, unparenthesised. */
function isOtherPipe(e: Expr, info: OpInfo): boolean {
  if (info.op !== '|>' && info.op !== '<|') return false;
  return e.type === 'Binary' && (e.op === '|>' || e.op === '<|') && e.op !== info.op;
}
