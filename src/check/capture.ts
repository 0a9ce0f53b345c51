// Runs another command's handler with its output captured, so check can
// compose `docs check`, `ci check` and `init --test` instead of re-doing them.
import { UserError, type CommandModule, type Io, type ParsedOptions } from '../command.js';
import type { StepOutcome } from './step.js';

export async function runCaptured(
  command: CommandModule,
  opts: ParsedOptions,
  params: string[],
  io: Io,
): Promise<{ code: number; output: string }> {
  let output = '';
  const sink = { write: (chunk: string) => ((output += chunk), true), isTTY: false };
  const captured: Io = { ...io, stdout: sink, stderr: sink, env: { ...io.env, NO_COLOR: '1' } };
  try {
    return { code: await command.handler(opts, params, captured), output };
  } catch (error) {
    if (error instanceof UserError)
      return { code: error.exitCode, output: `${output}${error.message}\n` };
    throw error;
  }
}

/** What nix says when an input cannot be fetched (offline, no network, host down). */
export const UNREACHABLE =
  /unable to download|Couldn't resolve host|cannot fetch|offline mode|Could not resolve|Connection refused|Couldn't connect|timed out/i;

/** The last non-empty line of some output: the summary most commands end with. */
export function lastLine(output: string): string {
  return (
    output
      .trim()
      .split('\n')
      .filter((l) => l.trim())
      .at(-1) ?? ''
  );
}

export function fromExit(code: number, output: string, passDetail?: string): StepOutcome {
  if (code === 0) return { status: 'pass', detail: passDetail ?? lastLine(output), output };
  // A step that needs the flake's outputs cannot judge anything when nix
  // could not even fetch the inputs: that is "not run", not a failure.
  const unreachable = output.split('\n').find((l) => l.startsWith('error:') && UNREACHABLE.test(l));
  if (unreachable)
    return { status: 'not run', detail: `inputs unreachable: ${unreachable.slice(7)}`, output };
  return { status: 'fail', detail: lastLine(output), output };
}
