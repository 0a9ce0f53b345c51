// Runs a plan step by step. Before each step it asks the state file, then the
// step's own done-check; a finished step is recorded at once, so a failure
// (or a kill) at any point leaves a state file the next run continues from.
// Every effect comes in through RunContext: tests inject recorded wsl.exe
// behaviour, the live context runs the real programs.
import { decodeWslOutput, parseWslList, saysNoDistributions } from '../io/host/wsl-exe.js';
import type { WslDistro } from '../io/host/facts.js';
import { compareVersions, parseNixVersion } from '../io/nix.js';
import { emptyState, isRecorded, stepHash, writeState, type OnboardState } from './state.js';
import type { DoneCheck, InternalAction, Plan, Step } from './step.js';
import { explainWslError } from './wsl-errors.js';

export interface ExecResult {
  code: number | null;
  stdout: Buffer;
  stderr: Buffer;
  failure?: string | null;
}

export interface ExecOptions {
  input?: string;
  cwd?: string;
  /** Keep the output (done-checks, stdoutTo); otherwise the user sees it live. */
  capture: boolean;
  /** Added to the environment the program runs with. */
  env?: Record<string, string>;
}

export interface RunContext {
  exec(command: readonly string[], options: ExecOptions): Promise<ExecResult>;
  internal(action: InternalAction, step: Step): Promise<void>;
  fileExists(path: string): Promise<boolean>;
  /** Atomic; with `within`, the path must lie below it through no link. */
  writeFile(path: string, data: Buffer, within?: string): Promise<void>;
  now(): Date;
  report(event: RunEvent): void;
}

export type RunEvent =
  | { type: 'skip'; step: Step; why: string }
  | { type: 'start'; step: Step; index: number; total: number }
  | { type: 'done'; step: Step }
  | { type: 'fail'; step: Step; message: string };

export interface RunResult {
  ok: boolean;
  ran: string[];
  skipped: string[];
  failed: { step: string; message: string } | null;
  state: OnboardState;
}

/** `wsl --list --verbose`, decoded and parsed the same way doctor's probe does. */
export async function listDistros(ctx: RunContext): Promise<WslDistro[]> {
  const res = await ctx.exec(['wsl', '--list', '--verbose'], { capture: true });
  const text = decodeWslOutput(Buffer.concat([res.stdout, res.stderr]));
  if (saysNoDistributions(text)) return [];
  if (res.code !== 0) throw new Error(`wsl --list --verbose failed: ${text.trim() || res.failure}`);
  return parseWslList(text);
}

async function isDone(check: DoneCheck, ctx: RunContext): Promise<boolean> {
  switch (check.kind) {
    case 'state':
      return false;
    case 'known':
      return true;
    case 'distro-exists':
      return (await listDistros(ctx)).some((d) => d.name === check.name);
    case 'distro-absent':
      return !(await listDistros(ctx)).some((d) => d.name === check.name);
    case 'command-succeeds':
      return (await ctx.exec(check.command, { capture: true })).code === 0;
    case 'file-exists':
      return ctx.fileExists(check.path);
    case 'nix-at-least': {
      const res = await ctx.exec([check.nix, '--version'], { capture: true });
      const version = res.code === 0 ? parseNixVersion(res.stdout.toString('utf8')) : null;
      return version !== null && compareVersions(version, check.version) >= 0;
    }
  }
}

function failureText(step: Step, res: ExecResult): string {
  const output = decodeWslOutput(Buffer.concat([res.stdout, res.stderr])).trim();
  const isWsl = step.command[0] === 'wsl';
  const at = step.command.indexOf('--name');
  const name = (at >= 0 ? step.command[at + 1] : step.command[2]) ?? '';
  const explained = isWsl ? explainWslError(output, name) : null;
  const status =
    res.failure === 'not-found'
      ? `${step.command[0]} was not found`
      : (res.failure ?? `exit ${res.code}`);
  const tail = output.split(/\r?\n/).slice(-5).join('\n');
  return [explained ?? status, explained ? status : '', tail].filter(Boolean).join('\n');
}

async function execute(step: Step, ctx: RunContext): Promise<string | null> {
  if (step.internal) {
    try {
      await ctx.internal(step.internal, step);
      return null;
    } catch (error) {
      return (error as Error).message;
    }
  }
  const res = await ctx.exec(step.command, {
    input: step.input,
    cwd: step.cwd,
    capture: step.stdoutTo !== undefined,
    ...(step.env ? { env: step.env } : {}),
  });
  if (res.code !== 0) return failureText(step, res);
  if (step.stdoutTo === undefined) return null;
  try {
    await ctx.writeFile(step.stdoutTo, res.stdout, step.stdoutWithin);
    return null;
  } catch (error) {
    return `writing ${step.stdoutTo}: ${(error as Error).message}`;
  }
}

export async function runPlan(
  plan: Plan,
  statePath: string,
  ctx: RunContext,
  state: OnboardState = emptyState(plan.flow, plan.summary),
): Promise<RunResult> {
  const ran: string[] = [];
  const skipped: string[] = [];
  const record = async (step: Step) => {
    state.steps[step.id] = { finishedAt: ctx.now().toISOString(), hash: stepHash(step) };
    await writeState(statePath, state);
  };
  for (const [index, step] of plan.steps.entries()) {
    if (isRecorded(state, step)) {
      skipped.push(step.id);
      ctx.report({ type: 'skip', step, why: 'finished on an earlier run' });
      continue;
    }
    if (await isDone(step.doneWhen, ctx).catch(() => false)) {
      skipped.push(step.id);
      await record(step);
      ctx.report({ type: 'skip', step, why: 'already done' });
      continue;
    }
    ctx.report({ type: 'start', step, index, total: plan.steps.length });
    const error = await execute(step, ctx);
    if (error !== null) {
      ctx.report({ type: 'fail', step, message: error });
      await writeState(statePath, state);
      return { ok: false, ran, skipped, failed: { step: step.id, message: error }, state };
    }
    ran.push(step.id);
    await record(step);
    ctx.report({ type: 'done', step });
  }
  state.completedAt = ctx.now().toISOString();
  await writeState(statePath, state);
  return { ok: true, ran, skipped, failed: null, state };
}
