// How long each phase of `vm run` / `vm test` took, one line per phase under
// the global --verbose: where the seconds before the guest's first output go
// (Node's start, the host probe, Nix, set-up) is what a user asks when a boot
// feels slow. The clock is passed in, so the lines are testable.

export interface PhaseClock {
  /** Ends the current phase, naming it, and starts the next. */
  done(phase: string): void;
}

export interface ClockSource {
  /** Milliseconds since the process started (performance.now()). */
  now(): number;
}

export function phaseLine(phase: string, tookMs: number, atMs: number): string {
  const s = (ms: number) => (ms / 1000).toFixed(2);
  return `crossflake vm: ${phase.padEnd(28)} ${s(tookMs)} s  (at ${s(atMs)} s)\n`;
}

/**
 * A clock whose first phase starts when the process did, so Node's own start
 * and module loading show as the first line. `write` null: silent.
 */
export function phaseClock(
  source: ClockSource,
  write: ((line: string) => unknown) | null,
): PhaseClock {
  let last = 0;
  return {
    done(phase) {
      const at = source.now();
      write?.(phaseLine(phase, at - last, at));
      last = at;
    },
  };
}
