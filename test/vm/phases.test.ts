// The --verbose timing lines of vm run / vm test, on a clock the test drives.
import { describe, expect, it } from 'vitest';
import { phaseClock, phaseLine } from '../../src/vm/phases.js';

describe('phase timings', () => {
  it('each phase runs from the end of the last one, the first from process start', () => {
    let now = 0;
    const lines: string[] = [];
    const clock = phaseClock({ now: () => now }, (l) => lines.push(l));
    now = 250;
    clock.done('start-up (Node, modules)');
    now = 1250;
    clock.done('evaluate tiny');
    expect(lines).toEqual([
      phaseLine('start-up (Node, modules)', 250, 250),
      phaseLine('evaluate tiny', 1000, 1250),
    ]);
    expect(lines[1]).toMatch(/^crossflake vm: evaluate tiny +1\.00 s {2}\(at 1\.25 s\)\n$/);
  });

  it('writes nothing without --verbose', () => {
    const clock = phaseClock({ now: () => 5 }, null);
    expect(() => clock.done('x')).not.toThrow();
  });
});
