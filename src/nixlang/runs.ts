// Remembered scans for the lexer. Every position inside a run of one
// character class has the same run end, and a chain like `a.b.b.b...` or
// `----1` asks for it again at every token (is this the start of a path, a
// URI?): without the memo each token rescans the rest of the chain, which is
// quadratic in its length. Same for an unclosed `/*` asked again and again.
//
// The lexer asks about two classes only, so the memo is two slots of plain
// numbers (no object per question); a third class would share the second
// slot, still correct, only forgetful.
export class Runs {
  private table0: Uint8Array | null = null;
  private from0 = 0;
  private end0 = 0;
  private table1: Uint8Array | null = null;
  private from1 = 0;
  private end1 = 0;
  /** No `*\/` exists at or after this offset (Infinity: not known yet). */
  private noCommentClose = Infinity;

  constructor(private readonly src: string) {}

  /** The end of the run of `table` characters that starts at i (i itself if none). */
  end(table: Uint8Array, i: number): number {
    // Everything from a slot's from to its end is in the class, so a run
    // starting anywhere in between ends at that end too.
    const first = this.table0 === null || this.table0 === table;
    if (first) {
      if (this.table0 === table && i >= this.from0 && i <= this.end0) return this.end0;
    } else if (this.table1 === table && i >= this.from1 && i <= this.end1) return this.end1;
    const { src } = this;
    let j = i;
    while (j < src.length && table[src.charCodeAt(j)]) j++;
    if (first) {
      this.table0 = table;
      this.from0 = i;
      this.end0 = j;
    } else {
      this.table1 = table;
      this.from1 = i;
      this.end1 = j;
    }
    return j;
  }

  /** Offset of the next `*\/` at or after i, or -1. */
  commentClose(i: number): number {
    if (i >= this.noCommentClose) return -1;
    const close = this.src.indexOf('*/', i);
    if (close < 0) this.noCommentClose = Math.min(this.noCommentClose, i);
    return close;
  }
}
