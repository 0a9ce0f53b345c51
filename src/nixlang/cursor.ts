// Token cursor shared by the parser's parts: peeking, consuming, reporting
// syntax errors, and skipping to a recovery point after one.
import type { ErrorNode, Expr, Identifier } from './ast.js';
import type { TokenStream } from './lexer.js';
import { T, tokenName } from './tokens.js';

export interface RawDiagnostic {
  message: string;
  offset: number;
}

/** Deeper nesting than this is reported instead of risking the JS stack. */
export const MAX_DEPTH = 1000;

export abstract class Cursor {
  pos = 0;
  depth = 0;
  readonly diagnostics: RawDiagnostic[] = [];
  /** Set after a syntax error until the parser re-synchronises, to avoid cascades. */
  private panicking = false;
  /**
   * The lists being built (an attribute set's bindings, a string's parts ...),
   * innermost on top: each list becomes an array of exactly its size once it
   * is complete. A list grown by push from `[]` gets room for 17 elements at
   * its first push, and most of the tree's lists hold one or two.
   */
  private readonly scratch: unknown[] = [];
  private top = 0;
  // The token arrays, read straight from here (one property load less per
  // question than through `toks`).
  readonly kinds: Uint16Array;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  /** The index of the last token, EOF: `pos` never passes it. */
  readonly last: number;

  constructor(
    readonly src: string,
    readonly toks: TokenStream,
  ) {
    this.kinds = toks.kinds;
    this.starts = toks.starts;
    this.ends = toks.ends;
    this.last = toks.count - 1;
  }

  /**
   * A whole expression (the parser's). The grammar's parts call it as a
   * method: a closure per parser would be a new call target for every file.
   */
  abstract parseExpr(): Expr;

  /** The current token's kind. */
  kind(): number {
    return this.kinds[this.pos]!;
  }
  /** The kind of the token `ahead` places further on (EOF past the end). */
  peek(ahead: number): number {
    const i = this.pos + ahead;
    return i <= this.last ? this.kinds[i]! : T.EOF;
  }
  start(): number {
    return this.starts[this.pos]!;
  }
  end(): number {
    return this.ends[this.pos]!;
  }
  /** End offset of the last consumed token. */
  lastEnd(): number {
    return this.pos > 0 ? this.ends[this.pos - 1]! : 0;
  }
  /**
   * The end of the expression just parsed: the last token's end, read from
   * the tokens rather than from the node. Until a syntax error they are the
   * same (every node ends at its last token), and the node's own field would
   * be a property read over every node shape, which keeps the parser's
   * compiled code being thrown away while the JIT warms up. After an error,
   * an Error node ends where the next token starts: the node knows best.
   */
  endOf(e: Expr): number {
    return this.diagnostics.length === 0 ? this.lastEnd() : e.end;
  }
  text(): string {
    const i = this.pos;
    return this.src.slice(this.starts[i]!, this.ends[i]!);
  }
  at(kind: number): boolean {
    return this.kinds[this.pos] === kind;
  }
  next(): void {
    if (this.pos < this.last) this.pos++;
  }
  eat(kind: number): boolean {
    if (this.kind() !== kind) return false;
    this.next();
    return true;
  }

  /** Starts a list: `add` its elements, then `take(mark)` it. */
  mark(): number {
    return this.top;
  }
  add(element: unknown): void {
    this.scratch[this.top++] = element;
  }
  /** The elements added since `mark`, as an array. */
  take<E>(mark: number): E[] {
    const size = this.top - mark;
    this.top = mark;
    // Most lists are short: a literal is cheaper than a call to slice.
    if (size === 0) return [];
    if (size === 1) return [this.scratch[mark] as E];
    if (size === 2) return [this.scratch[mark] as E, this.scratch[mark + 1] as E];
    return this.scratch.slice(mark, mark + size) as E[];
  }

  /** Consume `kind` or report what was found instead. */
  expect(kind: number): boolean {
    if (this.eat(kind)) return true;
    this.syntaxError(`expecting ${tokenName(kind)}`);
    return false;
  }

  /** Report the current token as unexpected (once per error burst). */
  syntaxError(expecting?: string): void {
    if (this.panicking) return;
    this.panicking = true;
    const k = this.kind();
    const found = k === T.EOF ? 'end of file' : describe(k, this.text());
    this.error(
      `syntax error, unexpected ${found}${expecting ? `, ${expecting}` : ''}`,
      this.start(),
    );
  }

  error(message: string, offset: number): void {
    this.diagnostics.push({ message, offset });
  }

  /** A recovery point was reached: later errors are reported again. */
  recovered(): void {
    this.panicking = false;
  }

  /** Consume an identifier token as an Identifier node. */
  ident(): Identifier {
    const id: Identifier = {
      type: 'Identifier',
      start: this.start(),
      end: this.end(),
      name: this.text(),
    };
    this.next();
    return id;
  }

  errorNode(): ErrorNode {
    const s = this.start();
    return { type: 'Error', start: s, end: s };
  }

  /**
   * Skip tokens until one of `stops` at bracket depth 0 (not consumed) or EOF.
   * Brackets opened while skipping are skipped whole.
   */
  skipUntil(stops: readonly number[]): void {
    let depth = 0;
    while (!this.at(T.EOF)) {
      const k = this.kind();
      if (depth === 0 && stops.includes(k)) return;
      if (k === 123 || k === 40 || k === 91 || k === T.DOLLAR_CURLY) depth++;
      else if (k === 125 || k === 41 || k === 93) {
        if (depth === 0) return;
        depth--;
      }
      this.next();
    }
  }
}

function describe(kind: number, text: string): string {
  switch (kind) {
    case T.ID:
      return `identifier '${text}'`;
    case T.INT:
    case T.FLOAT:
      return `number '${text}'`;
    case T.STR:
    case T.IND_STR:
    case T.IND_ESC:
      return 'string content';
    default:
      return kind < 256 ? `'${text}'` : `'${text}' (${tokenName(kind)})`;
  }
}
