// The steps of `vm test`, in order: wait for each expected console text, then
// get the shell's attention and run each command, reading its exit status.
// Stops at the first failure: later steps would only wait out their timeouts.
import { commandInput, exitPattern, READY_ANSWER, READY_PROBE } from './console.js';

export interface Console {
  waitFor(pattern: RegExp, timeoutMs: number, from?: number): Promise<RegExpExecArray | null>;
  mark(): number;
  send(text: string): void;
  /** False once QEMU has exited: nothing more will come. */
  alive(): boolean;
}

export interface StepResult {
  kind: 'expect' | 'shell' | 'run';
  text: string;
  ok: boolean;
  exitCode?: number;
  detail?: string;
  seconds: number;
}

export interface SmokePlan {
  expects: string[];
  commands: string[];
  timeoutMs: number;
}

function literal(text: string): RegExp {
  return new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
}

// How often the shell is asked whether it reads input yet: a getty may still
// be starting when the marker shows.
const PROBE_EVERY_MS = 3000;

export async function smokeTest(
  vm: Console,
  plan: SmokePlan,
  onStep?: (step: StepResult) => void,
): Promise<StepResult[]> {
  const steps: StepResult[] = [];
  const record = (step: StepResult) => {
    steps.push(step);
    onStep?.(step);
    return step.ok;
  };
  let from = 0;
  for (const text of plan.expects) {
    const started = Date.now();
    const match = await vm.waitFor(literal(text), plan.timeoutMs, from);
    const ok = match !== null;
    if (match) from += match.index + match[0].length;
    if (
      !record({
        kind: 'expect',
        text,
        ok,
        seconds: since(started),
        ...(ok ? {} : { detail: `not seen within ${plan.timeoutMs / 1000} s` }),
      })
    )
      return steps;
  }
  // Always: a console that boots but gives no shell is a broken VM (the
  // generic VMs log root in there), and the shell powers it off cleanly.
  if (!record(await shellReady(vm, plan.timeoutMs))) return steps;
  for (const [i, command] of plan.commands.entries()) {
    const started = Date.now();
    const mark = vm.mark();
    vm.send(commandInput(i + 1, command));
    const match = await vm.waitFor(exitPattern(i + 1), plan.timeoutMs, mark);
    const exitCode = match ? Number(match[1]) : undefined;
    const ok = exitCode === 0;
    const detail = match
      ? ok
        ? undefined
        : `exit ${exitCode}`
      : `no answer within ${plan.timeoutMs / 1000} s`;
    if (
      !record({
        kind: 'run',
        text: command,
        ok,
        seconds: since(started),
        ...(exitCode === undefined ? {} : { exitCode }),
        ...(detail ? { detail } : {}),
      })
    )
      return steps;
  }
  return steps;
}

async function shellReady(vm: Console, timeoutMs: number): Promise<StepResult> {
  const started = Date.now();
  const mark = vm.mark();
  while (vm.alive() && Date.now() - started < timeoutMs) {
    vm.send(READY_PROBE);
    const wait = Math.min(PROBE_EVERY_MS, timeoutMs - (Date.now() - started));
    if (await vm.waitFor(READY_ANSWER, Math.max(wait, 1), mark)) {
      return { kind: 'shell', text: 'console shell answers', ok: true, seconds: since(started) };
    }
  }
  return {
    kind: 'shell',
    text: 'console shell answers',
    ok: false,
    detail: `no shell on the console within ${timeoutMs / 1000} s`,
    seconds: since(started),
  };
}

function since(started: number): number {
  return Math.round((Date.now() - started) / 100) / 10;
}
