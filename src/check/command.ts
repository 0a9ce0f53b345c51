// crossflake check: the testing strategy in one command. Runs each step that
// applies, says honestly which did not run and why, and fails if any that
// ran failed or any that should have run could not (unless allowed).
import { dirOption } from '../io/dir-option.js';
import { listValues } from '../args.js';
import { EXIT, UserError, type CommandModule } from '../command.js';
import { colorsFor } from '../ui/color.js';
import { tableWidth } from '../ui/table-width.js';
import { summarize, type Row, type Summary } from './summary.js';
import { checkSteps } from './steps/index.js';
import { vmStep } from './steps/vm.js';
import { writeEnvelope } from '../ui/json.js';
import spec, { STEP_IDS } from './spec.js';

const ids: readonly string[] = STEP_IDS;

const command: CommandModule = {
  ...spec,
  async handler(opts, _params, io) {
    const dir = await dirOption(opts, io.cwd);
    const only = stepList(opts.only, '--only');
    const allowSkip = stepList(opts['allow-skip'], '--allow-skip');
    const ctx = { dir, io };
    const rows: Row[] = [];
    const vms = listValues(opts.vm).map(vmStep);
    const chosen = checkSteps.filter((s) => only.length === 0 || only.includes(s.id));
    for (const step of [...chosen, ...vms]) {
      if (!opts.json) io.stderr.write(`… ${step.title}\n`);
      const skip = await step.skipReason(ctx);
      const outcome = skip ? { ...skip, output: '' } : await step.run(ctx);
      rows.push({ id: step.id, title: step.title, ...outcome });
    }
    const summary = summarize(rows, allowSkip);
    if (opts.json) {
      writeEnvelope(io, 'check', summary, summary.ok ? undefined : checkFailure(summary));
    } else {
      const c = colorsFor(io);
      for (const r of summary.steps.filter((s) => s.status === 'fail'))
        io.stdout.write(`\n== ${r.title} ==\n${r.output.trimEnd()}\n`);
      const mark = (r: (typeof summary.steps)[number]): string =>
        r.status === 'pass'
          ? c.green('pass')
          : r.status === 'fail'
            ? c.red('FAIL')
            : r.status === 'not applicable'
              ? c.dim('n/a')
              : r.allowedSkip
                ? c.dim('not run (allowed)')
                : c.red('NOT RUN');
      // The table module loads only when a table is printed (ui/table-width.ts).
      const { renderTable } = await import('../ui/table.js');
      io.stdout.write(
        `\n${renderTable(
          ['status', 'step', 'detail'],
          summary.steps.map((r) => [mark(r), r.title, r.detail]),
          { width: tableWidth(io) },
        )}`,
      );
      if (summary.notRun.length > 0)
        io.stdout.write(
          `\n${summary.notRun.length} step(s) could not run (${summary.notRun.join(', ')}): fix the reason shown, or pass --allow-skip ${summary.notRun.join(',')}\n`,
        );
    }
    return summary.ok ? EXIT.ok : EXIT.failed;
  },
};

function checkFailure(summary: Summary): { code: string; message: string } {
  const failed = summary.steps.filter((s) => s.status === 'fail').map((s) => s.id);
  const parts = [
    ...(failed.length > 0 ? [`failed: ${failed.join(', ')}`] : []),
    ...(summary.notRun.length > 0 ? [`could not run: ${summary.notRun.join(', ')}`] : []),
  ];
  return { code: failed.length > 0 ? 'check-failed' : 'not-run', message: parts.join('; ') };
}

function stepList(value: unknown, flag: string): string[] {
  const list = listValues(value);
  const unknown = list.find((o) => !ids.includes(o));
  if (unknown) throw new UserError(`${flag}: unknown step '${unknown}'; steps: ${ids.join(', ')}`);
  return list;
}

export default command;
