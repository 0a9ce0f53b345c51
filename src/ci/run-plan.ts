// Which steps of the generated ci.yml `crossflake ci run` takes on this host:
// the jobs that have steps for this system, and in each the `run` steps that
// apply to it, in file order. Steps only a hosted runner takes (checkout,
// installing Nix, caches) are named as skipped. Pure.
import { UserError } from '../command.js';
import type { Command } from './commands.js';
import type { PlanJob } from './model.js';

export interface LocalJob {
  id: string;
  timeoutMinutes: number;
  steps: { name: string; commands: Command[] }[];
  skipped: string[];
}

const SYSTEMS: Record<string, string> = {
  'linux/x64': 'x86_64-linux',
  'linux/arm64': 'aarch64-linux',
  'darwin/arm64': 'aarch64-darwin',
  'darwin/x64': 'x86_64-darwin',
};

/** The Nix system of this host, or null where no generated job runs. */
export function nixSystemOf(platform: string, arch: string): string | null {
  return SYSTEMS[`${platform}/${arch}`] ?? null;
}

function appliesTo(job: PlanJob, system: string): boolean {
  if (job.rows) return job.rows.some((r) => r.system === system);
  return job.runner?.system === null || job.runner?.system === system;
}

function localJob(job: PlanJob, system: string): LocalJob {
  const steps: LocalJob['steps'] = [];
  const skipped: string[] = [];
  for (const step of job.steps) {
    if (step.kind === 'runner') skipped.push(step.step.name);
    else if (step.systems === null || step.systems.includes(system))
      steps.push({ name: step.name, commands: step.commands });
  }
  return { id: job.id, timeoutMinutes: job.timeoutMinutes, steps, skipped };
}

/** The jobs to run here: the one named, or every job with steps for `system`. */
export function localJobs(plan: readonly PlanJob[], system: string, only?: string): LocalJob[] {
  if (only === undefined)
    return plan.filter((j) => appliesTo(j, system)).map((j) => localJob(j, system));
  const job = plan.find((j) => j.id === only);
  if (!job) {
    throw new UserError(
      `ci.yml has no job ${JSON.stringify(only)}: jobs are ${plan.map((j) => j.id).join(', ')}`,
    );
  }
  if (!appliesTo(job, system)) {
    throw new UserError(`job ${only} has no steps for ${system}, the system of this host`);
  }
  return [localJob(job, system)];
}
