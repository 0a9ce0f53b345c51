// Crash tests need a process killed at an exact moment (after the 250th file
// written, just before a rename). A timer racing a loaded CI machine cannot
// promise that; a named point in the code can. With
// CROSSFLAKE_TEST_KILL_AT=<point>:<n> the process SIGKILLs itself the n-th
// time it reaches <point>; without the variable a point costs one comparison.

const spec = /^([a-z-]+):(\d+)$/.exec(process.env.CROSSFLAKE_TEST_KILL_AT ?? '');
const target = spec?.[1];
let remaining = spec ? Number(spec[2]) : 0;

export function killPoint(point: string): void {
  if (point !== target) return;
  remaining -= 1;
  if (remaining === 0) process.kill(process.pid, 'SIGKILL');
}

/**
 * A byte boundary instead of a count: with CROSSFLAKE_TEST_KILL_AT=<point>:<bytes>,
 * the number of bytes at which <point> is to die; null without the variable.
 */
export function killByteAt(point: string): number | null {
  return point === target && spec ? Number(spec[2]) : null;
}

export function killNow(): void {
  process.kill(process.pid, 'SIGKILL');
}
