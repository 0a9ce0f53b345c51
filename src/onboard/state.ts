// The state file: which steps of an onboarding finished, so a re-run after a
// failure continues where it stopped. A step counts as finished only with the
// same command it ran with; a changed plan runs the changed steps again.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { UserError } from '../command.js';
import { writeFileAtomic } from '../io/files.js';
import type { Step } from './step.js';

export const STATE_SCHEMA = 'crossflake.onboard-state/1';

export interface OnboardState {
  schema: typeof STATE_SCHEMA;
  flow: string;
  /** What this onboarding is for: the distro name, or the config directory. */
  target: string;
  steps: Record<string, { finishedAt: string; hash: string }>;
  /** Values fixed on the first run that later runs reuse (e.g. the backup name). */
  meta: Record<string, string>;
  completedAt: string | null;
}

export function emptyState(flow: string, target: string): OnboardState {
  return { schema: STATE_SCHEMA, flow, target, steps: {}, meta: {}, completedAt: null };
}

export function stepHash(step: Step): string {
  const key = JSON.stringify([
    step.command,
    step.internal ?? null,
    step.input ?? null,
    step.stdoutTo ?? null,
    step.cwd ?? null,
  ]);
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

export function isRecorded(state: OnboardState, step: Step): boolean {
  return state.steps[step.id]?.hash === stepHash(step);
}

export async function readState(path: string): Promise<OnboardState | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    // Only a missing file means "nothing done yet"; anything else is refused
    // now, before a step runs, not when the first finished step is recorded.
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    throw new UserError(
      code === 'EISDIR'
        ? `--state ${path} is a directory; name a file, e.g. ${path}/onboard-state.json`
        : `cannot read the state file ${path} (${code ?? String(error)}); fix it or name another with --state`,
    );
  }
  try {
    const data = JSON.parse(text) as Partial<OnboardState>;
    if (data.schema !== STATE_SCHEMA || typeof data.steps !== 'object' || data.steps === null) {
      throw new Error(`not a ${STATE_SCHEMA} file`);
    }
    return { meta: {}, completedAt: null, ...data } as OnboardState;
  } catch (error) {
    throw new UserError(
      `${path}: ${(error as Error).message}; remove it to start the onboarding from the beginning`,
    );
  }
}

export async function writeState(path: string, state: OnboardState): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(state, null, 2)}\n`);
}
