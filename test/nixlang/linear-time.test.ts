// Quadratic parsing (issue: honest exits): a long chain of selectors
// (`a.b.b.b...`) or of leading minus signs (`----1`) made the lexer rescan the
// rest of the chain at every token, so 100,000 links took minutes. Here 10x
// the input must cost about 10x the time. The bound is a generous ratio
// (quadratic gives ~100x), never a number of seconds, so a slow or busy
// machine does not change the verdict.
import { describe, expect, it } from 'vitest';
import { parseNix } from '../../src/nixlang/index.js';

const SHAPES: Record<string, (n: number) => string> = {
  'chained selectors a.b.b.b...': (n) => `{ a }: a${'.b'.repeat(n)}`,
  'leading minus signs ----1': (n) => `${'-'.repeat(n)}1`,
  'a left-associative sum a+b+b+b...': (n) => `{ a, b }: a${'+b'.repeat(n)}`,
  'unclosed comment openers /* /* ...': (n) => `1 ${'/* '.repeat(n)}`,
  'dotted numbers 1.1.1.1...': (n) => `[ 1${'.1'.repeat(n)} ]`,
};

// CPU time of this process (microseconds), not wall time: other work on a
// shared machine then barely moves it. The best of a few runs drops GC pauses.
function bestOf(runs: number, work: () => void): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const before = process.cpuUsage();
    work();
    const used = process.cpuUsage(before);
    best = Math.min(best, used.user + used.system);
  }
  return best;
}

describe('the Nix parser is linear on long chains (10x input ~ 10x time)', () => {
  // Large enough that the small input takes tens of milliseconds: timer and
  // scheduler noise stay small against it.
  const small = 30_000;
  it.each(Object.entries(SHAPES))(
    '%s',
    (name, make) => {
      const a = make(small);
      const b = make(small * 10);
      // Warm up the JIT (and the heap's size) on both lengths of this shape.
      bestOf(2, () => parseNix(a));
      bestOf(1, () => parseNix(b));
      const ta = bestOf(5, () => parseNix(a));
      const tb = bestOf(5, () => parseNix(b));
      // A floor of 1 ms on the small side keeps timer noise out of the ratio.
      const ratio = tb / Math.max(ta, 1000);
      console.log(`${name}: 10x input took ${ratio.toFixed(1)}x the time`);
      // Quadratic is ~100x, linear ~10x to ~20x with the collector's share of a
      // 10x larger tree; 40x keeps a margin. (With 10,000 links the small run
      // took a few ms and Node 24's collector alone made it 29x.)
      expect(ratio, `10x input took ${ratio.toFixed(1)}x the time`).toBeLessThan(40);
    },
    120_000,
  );
});
