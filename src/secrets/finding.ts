// What the secret detector returns: where a secret sits and which rule saw
// it, never the secret itself. Every consumer (extract's labels, check's leak
// scan, the release privacy gate, extract apply) prints only `masked`.

export interface SecretFinding {
  /** Rule id: a secretlint rule's short name (`openai`, `slack`) or one of ours (`stripe`, `entropy`). */
  rule: string;
  /** What was found, for people: `Stripe secret key`. */
  kind: string;
  /** Offsets into the scanned text (bytes when bytes were scanned). */
  start: number;
  end: number;
  /** 1-based line and column of `start`. */
  line: number;
  column: number;
  /** `<Stripe secret key, 32 chars, masked>`: safe to print. */
  masked: string;
}

/** One detector's raw hit, before positions and masking are added. */
export interface RawHit {
  rule: string;
  kind: string;
  start: number;
  end: number;
}

export function maskedText(kind: string, length: number): string {
  return `<${kind}, ${length} chars, masked>`;
}

/** 1-based line and column of each offset; offsets must be sorted ascending. */
export function positions(text: string, offsets: readonly number[]): [number, number][] {
  const out: [number, number][] = [];
  let line = 1;
  let lineStart = 0;
  // Line by line (indexOf), not character by character: a hot loop less.
  let next = text.indexOf('\n');
  for (const offset of offsets) {
    while (next !== -1 && next < offset) {
      line++;
      lineStart = next + 1;
      next = text.indexOf('\n', lineStart);
    }
    out.push([line, offset - lineStart + 1]);
  }
  return out;
}
