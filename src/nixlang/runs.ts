// Remembered scans for the lexer. Every position inside a run of one
// character class has the same run end, and a chain like `a.b.b.b...` or
// `----1` asks for it again at every token (is this the start of a path, a
// URI?): without the memo each token rescans the rest of the chain, which is
// quadratic in its length. Same for an unclosed `/*` asked again and again.
export class Runs {
  private readonly memo = new Map<Uint8Array, { from: number; end: number }>();
  /** No `*\/` exists at or after this offset (Infinity: not known yet). */
  private noCommentClose = Infinity;

  constructor(private readonly src: string) {}

  /** The end of the run of `table` characters that starts at i (i itself if none). */
  end(table: Uint8Array, i: number): number {
    const known = this.memo.get(table);
    // Everything from known.from to known.end is in the class, so a run
    // starting anywhere in between ends at known.end too.
    if (known && i >= known.from && i <= known.end) return known.end;
    const { src } = this;
    let j = i;
    while (j < src.length && table[src.charCodeAt(j)]) j++;
    this.memo.set(table, { from: i, end: j });
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
