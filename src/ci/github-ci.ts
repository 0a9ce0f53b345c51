// .github/workflows/ci.yml: one matrix job over the platform rows (dev shells,
// `nix flake check`, template tests), a flake.lock in-sync check, one job per
// system that builds every NixOS, nix-darwin and home-manager configuration
// of that system on its native runner, plus a VM-test job only when the team
// opts in, and then only on runners with KVM. The jobs are built as data
// (PlanJob) first: `crossflake ci run` runs the same plan on this host.
import { UserError } from '../command.js';
import { shellText } from './commands.js';
import { configurationJobs } from './configurations.js';
import { selectRows, type CiRow } from './matrix.js';
import {
  crossflakeRun,
  flakeCheckCommands,
  runStep,
  shellsFor,
  type GenerateInput,
  type Job,
  type PlanJob,
  type PlanStep,
  type Step,
  type Workflow,
} from './model.js';
import { assertSafeAttr, oneOf } from './names.js';
import { checkout, extraSteps, installNix, onRunner as runner, setUp } from './steps.js';

/** The jobs of ci.yml, in file order. */
export function ciPlan(input: GenerateInput): PlanJob[] {
  const rows = selectRows(input.platformRows, input.outputs, input.config.ci);
  if (rows.length === 0) {
    throw new UserError('no platform row left to run CI on: check ci.rows in crossflake.json');
  }
  const jobs = [checkJob(input, rows), lockJob(), ...configurationJobs(input).jobs];
  const vm = vmJob(input, rows);
  if (vm) jobs.push(vm);
  return jobs;
}

export function buildCiWorkflow(input: GenerateInput): Workflow {
  return {
    name: 'ci',
    on: { push: null, pull_request: null },
    permissions: { contents: 'read' },
    concurrency: { group: 'ci-${{ github.ref }}', 'cancel-in-progress': true },
    jobs: Object.fromEntries(ciPlan(input).map((job) => [job.id, renderJob(job)])),
  };
}

function renderJob(job: PlanJob): Job {
  const steps = job.steps.map(renderStep);
  if (job.rows) {
    return {
      name: job.name,
      'runs-on': '${{ matrix.runner }}',
      'timeout-minutes': job.timeoutMinutes,
      strategy: {
        'fail-fast': false,
        matrix: {
          include: job.rows.map((r) => ({ row: r.id, system: r.system, runner: r.runner })),
        },
      },
      steps,
    };
  }
  return {
    name: job.name,
    'runs-on': job.runner!.label,
    'timeout-minutes': job.timeoutMinutes,
    steps,
  };
}

function renderStep(step: PlanStep): Step {
  if (step.kind === 'runner') return step.step;
  const out: Step = { name: step.name };
  if (step.systems) out.if = oneOf('matrix.system', step.systems);
  if (step.secrets.length > 0) {
    out.env = Object.fromEntries(step.secrets.map((n) => [n, `\${{ secrets.${n} }}`]));
  }
  out.run = step.commands.map(shellText).join('\n');
  return out;
}

function checkJob(input: GenerateInput, rows: readonly CiRow[]): PlanJob {
  const steps: PlanStep[] = [
    ...setUp(input.config),
    ...extraSteps(input.config, 'before-check'),
    ...flakeCheckSteps(input, rows),
    ...devShellSteps(input, rows),
  ];
  if (input.outputs.templates.length > 0) {
    steps.push(runStep('Templates', [crossflakeRun(input, ['init', '--test'])]));
  }
  steps.push(...extraSteps(input.config, 'after-check'));
  return {
    id: 'check',
    name: 'check (${{ matrix.row }})',
    timeoutMinutes: 60,
    rows,
    runner: null,
    steps,
  };
}

// `nix flake lock --no-update-lock-file` fails when flake.nix asks for an
// input the lock lacks, no longer has one the lock has, or changed an input's
// URL (each tried with the real Nix in test/ci/run.test.ts). One runner is
// enough: the lock is the same on every system.
function lockJob(): PlanJob {
  return {
    id: 'flake-lock',
    name: 'flake.lock is in sync with flake.nix',
    timeoutMinutes: 15,
    rows: null,
    runner: { label: 'ubuntu-24.04', system: null },
    steps: [
      runner(checkout()),
      runner(installNix()),
      runStep('flake.lock in sync', [{ argv: ['nix', 'flake', 'lock', '--no-update-lock-file'] }]),
    ],
  };
}

// The same command on every row unless VM checks must be left out of the
// build, which makes the command depend on the row's system.
function flakeCheckSteps(input: GenerateInput, rows: readonly CiRow[]): PlanStep[] {
  const perRow = rows.map((row) => ({ row, commands: flakeCheckCommands(input, row.system) }));
  const text = (c: (typeof perRow)[number]) => c.commands.map(shellText).join('\n');
  const first = text(perRow[0]!);
  if (perRow.every((p) => text(p) === first)) {
    return [runStep('nix flake check', perRow[0]!.commands)];
  }
  return perRow.map(({ row, commands }) =>
    runStep(`nix flake check (${row.system})`, commands, { systems: [row.system] }),
  );
}

// One step per (system, shell): each shows up on its own in the run log, and
// a broken shell names itself. The smoke command is the team's shell text.
function devShellSteps(input: GenerateInput, rows: readonly CiRow[]): PlanStep[] {
  return rows.flatMap((row) =>
    shellsFor(input, row.system).map(({ shell, smoke }) =>
      runStep(
        `dev shell ${assertSafeAttr(shell, 'dev shell')} (${row.system})`,
        [{ script: `nix develop .#${shell} --command ${smoke}` }],
        { systems: [row.system] },
      ),
    ),
  );
}

function vmJob(input: GenerateInput, rows: readonly CiRow[]): PlanJob | null {
  const { vm } = input.config.ci;
  if (!vm.enable) return null;
  const kvmRows = rows.filter((r) => r.kvm);
  const runs = kvmRows.flatMap((row) =>
    vm.checks
      .filter((c) => (input.outputs.checks[row.system] ?? []).includes(c))
      .map((c) => ({ row, check: c })),
  );
  if (runs.length === 0) {
    if (vm.checks.length === 0) {
      throw new UserError('ci.vm.enable is true but ci.vm.checks names no check');
    }
    return null;
  }
  const usedRows = kvmRows.filter((r) => runs.some((x) => x.row === r));
  const [checkoutStep, ...rest] = setUp(input.config, { kvm: true });
  return {
    id: 'vm-tests',
    name: 'vm tests (${{ matrix.row }})',
    timeoutMinutes: 90,
    rows: usedRows,
    runner: null,
    steps: [
      checkoutStep!,
      runner({
        // Hosted Linux runners have /dev/kvm, but only root may open it.
        name: 'Enable KVM',
        run: [
          'echo \'KERNEL=="kvm", GROUP="kvm", MODE="0666", OPTIONS+="static_node=kvm"\' | sudo tee /etc/udev/rules.d/99-kvm4all.rules',
          'sudo udevadm control --reload-rules',
          'sudo udevadm trigger --name-match=kvm',
        ].join('\n'),
      }),
      ...rest,
      ...runs.map(({ row, check }) =>
        runStep(
          `vm test ${assertSafeAttr(check, 'check')} (${row.system})`,
          [{ argv: ['nix', 'build', '--print-build-logs', `.#checks.${row.system}.${check}`] }],
          { systems: [row.system] },
        ),
      ),
    ],
  };
}
