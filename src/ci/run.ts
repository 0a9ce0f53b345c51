// `crossflake ci run`: the steps of the generated ci.yml that apply to this
// host, run here in order from the same plan the generator writes (never
// re-read from YAML), each command an argument array, output streamed as it
// comes. Like a hosted job, it stops at the first failing step and exits
// with that step's exit code, naming the step.
import { StringDecoder } from 'node:string_decoder';
import { EXIT, UserError, type Io } from '../command.js';
import { run } from '../io/proc.js';
import { argvOf, shellText } from './commands.js';
import { ciPlan } from './github-ci.js';
import type { GenerateInput } from './model.js';
import { localJobs, nixSystemOf } from './run-plan.js';

function streamTo(out: Io['stdout']): { write(chunk: Buffer | string): void } {
  const decoder = new StringDecoder('utf8');
  return {
    write: (chunk) => out.write(typeof chunk === 'string' ? chunk : decoder.write(chunk)),
  };
}

export async function runLocally(
  input: GenerateInput,
  dir: string,
  only: string | undefined,
  io: Io,
): Promise<number> {
  const system = nixSystemOf(process.platform, process.arch);
  if (system === null) {
    throw new UserError(
      `no generated job runs on ${process.platform}/${process.arch}: ci run needs Linux or macOS`,
      EXIT.failed,
    );
  }
  const jobs = localJobs(ciPlan(input), system, only);
  let count = 0;
  for (const job of jobs) {
    if (job.skipped.length > 0) {
      io.stderr.write(
        `==> ${job.id}: on hosted runners only, skipped here: ${job.skipped.join(', ')}\n`,
      );
    }
    for (const step of job.steps) {
      io.stderr.write(`==> ${job.id}: ${step.name}\n`);
      for (const command of step.commands) {
        io.stderr.write(`$ ${shellText(command)}\n`);
        const [program, ...args] = argvOf(command);
        const result = await run(program!, args, {
          cwd: dir,
          env: io.env,
          echo: streamTo(io.stdout),
          timeoutMs: job.timeoutMinutes * 60_000,
        });
        if (result.code === 0) continue;
        if (result.code === null) {
          // Could not run is never a pass, and not the step's own failure either.
          throw new UserError(
            `step "${step.name}" of job ${job.id} could not run ${program}: ${result.failure ?? 'killed by a signal'}`,
            EXIT.failed,
          );
        }
        io.stderr.write(
          `crossflake ci: step "${step.name}" of job ${job.id} failed (exit ${result.code})\n`,
        );
        return result.code;
      }
      count++;
    }
  }
  io.stderr.write(
    `ci run: ${count} steps passed on ${system} (${jobs.map((j) => j.id).join(', ')})\n`,
  );
  return EXIT.ok;
}
