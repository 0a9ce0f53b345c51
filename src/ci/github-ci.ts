// .github/workflows/ci.yml: one matrix job over the platform rows (dev shells,
// `nix flake check`, template tests), plus a VM-test job only when the team
// opts in, and then only on runners with KVM.
import { UserError } from '../command.js';
import { selectRows, type CiRow } from './matrix.js';
import {
  crossflakeCli,
  flakeCheckCommands,
  shellsFor,
  type GenerateInput,
  type Job,
  type Step,
  type Workflow,
} from './model.js';
import { assertSafeAttr, oneOf } from './names.js';
import { cache, checkout, extraSteps, installNix } from './steps.js';

export function buildCiWorkflow(input: GenerateInput): Workflow {
  const rows = selectRows(input.platformRows, input.outputs, input.config.ci);
  if (rows.length === 0) {
    throw new UserError('no platform row left to run CI on: check ci.rows in crossflake.json');
  }
  const jobs: Record<string, Job> = { check: checkJob(input, rows) };
  const vm = vmJob(input, rows);
  if (vm) jobs['vm-tests'] = vm;
  return {
    name: 'ci',
    on: { push: null, pull_request: null },
    permissions: { contents: 'read' },
    concurrency: { group: 'ci-${{ github.ref }}', 'cancel-in-progress': true },
    jobs,
  };
}

function matrixOf(rows: readonly CiRow[]) {
  return {
    'fail-fast': false,
    matrix: { include: rows.map((r) => ({ row: r.id, system: r.system, runner: r.runner })) },
  };
}

function checkJob(input: GenerateInput, rows: readonly CiRow[]): Job {
  const steps: Step[] = [
    checkout(),
    installNix(),
    ...cache(input.config),
    ...extraSteps(input.config, 'before-check', 'matrix.system'),
    ...flakeCheckSteps(input, rows),
    ...devShellSteps(input, rows),
  ];
  if (input.outputs.templates.length > 0) {
    steps.push({
      name: 'Templates',
      run: `${crossflakeCli(input, 'github')} init --test`,
    });
  }
  steps.push(...extraSteps(input.config, 'after-check', 'matrix.system'));
  return {
    name: 'check (${{ matrix.row }})',
    'runs-on': '${{ matrix.runner }}',
    'timeout-minutes': 60,
    strategy: matrixOf(rows),
    steps,
  };
}

// The same command on every row unless VM checks must be left out of the
// build, which makes the command depend on the row's system.
function flakeCheckSteps(input: GenerateInput, rows: readonly CiRow[]): Step[] {
  const perRow = rows.map((row) => ({ row, commands: flakeCheckCommands(input, row.system) }));
  const first = perRow[0]!.commands.join('\n');
  if (perRow.every((p) => p.commands.join('\n') === first)) {
    return [{ name: 'nix flake check', run: first }];
  }
  return perRow.map(({ row, commands }) => ({
    name: `nix flake check (${row.system})`,
    if: oneOf('matrix.system', [row.system]),
    run: commands.join('\n'),
  }));
}

// One step per (system, shell): each shows up on its own in the run log, and
// a broken shell names itself.
function devShellSteps(input: GenerateInput, rows: readonly CiRow[]): Step[] {
  return rows.flatMap((row) =>
    shellsFor(input, row.system).map(({ shell, smoke }) => ({
      name: `dev shell ${assertSafeAttr(shell, 'dev shell')} (${row.system})`,
      if: oneOf('matrix.system', [row.system]),
      run: `nix develop .#${shell} --command ${smoke}`,
    })),
  );
}

function vmJob(input: GenerateInput, rows: readonly CiRow[]): Job | null {
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
  return {
    name: 'vm tests (${{ matrix.row }})',
    'runs-on': '${{ matrix.runner }}',
    'timeout-minutes': 90,
    strategy: matrixOf(usedRows),
    steps: [
      checkout(),
      {
        // Hosted Linux runners have /dev/kvm, but only root may open it.
        name: 'Enable KVM',
        run: [
          'echo \'KERNEL=="kvm", GROUP="kvm", MODE="0666", OPTIONS+="static_node=kvm"\' | sudo tee /etc/udev/rules.d/99-kvm4all.rules',
          'sudo udevadm control --reload-rules',
          'sudo udevadm trigger --name-match=kvm',
        ].join('\n'),
      },
      installNix({ kvm: true }),
      ...cache(input.config),
      ...runs.map(({ row, check }) => ({
        name: `vm test ${assertSafeAttr(check, 'check')} (${row.system})`,
        if: oneOf('matrix.system', [row.system]),
        run: `nix build --print-build-logs .#checks.${row.system}.${check}`,
      })),
    ],
  };
}
