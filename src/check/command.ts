// crossflake check: the testing strategy in one command. Runs each step that
// applies, says honestly which did not run and why, and fails if any that
// ran failed.
import { resolve } from 'node:path';
import { EXIT, UserError, type CommandModule } from '../command.js';
import { colors, wantsColor } from '../ui/color.js';
import { renderTable } from '../ui/table.js';
import type { StepOutcome } from './step.js';
import { checkSteps } from './steps/index.js';

interface Row extends StepOutcome {
  id: string;
  title: string;
}

const command: CommandModule = {
  commandNames: ['check'],
  help: () => `Usage: crossflake check [--dir DIR] [--only STEP ...] [--json]

Runs, in order: ${checkSteps.map((s) => s.id).join(', ')}.
A step that does not apply (no templates, no workflows, Nix inputs
unreachable) is reported as not run, with why. Exit 1 if a step that ran failed.

Options:
  --dir DIR     Repository root (default: current directory)
  --only STEP   Run only these steps (repeatable)
  --json        Machine-readable summary
`,
  cliOptionsTypes: () => ({
    dir: { type: 'string' },
    only: { type: 'string', multiple: true },
    json: { type: 'boolean' },
  }),
  async handler(opts, params, io) {
    if (params.length > 0) throw new UserError(`unexpected argument '${params[0]}'`);
    const dir = resolve(io.cwd, typeof opts.dir === 'string' ? opts.dir : '.');
    const only = (opts.only as string[] | undefined) ?? [];
    const unknown = only.find((o) => !checkSteps.some((s) => s.id === o));
    if (unknown)
      throw new UserError(
        `unknown step '${unknown}'; steps: ${checkSteps.map((s) => s.id).join(', ')}`,
      );
    const ctx = { dir, io };
    const rows: Row[] = [];
    for (const step of checkSteps.filter((s) => only.length === 0 || only.includes(s.id))) {
      if (!opts.json) io.stderr.write(`… ${step.title}\n`);
      const why = await step.skipReason(ctx);
      const outcome = why
        ? { status: 'not run' as const, detail: why, output: '' }
        : await step.run(ctx);
      rows.push({ id: step.id, title: step.title, ...outcome });
    }
    const failed = rows.filter((r) => r.status === 'fail');
    if (opts.json) {
      io.stdout.write(`${JSON.stringify({ ok: failed.length === 0, steps: rows }, null, 2)}\n`);
    } else {
      const c = colors(wantsColor(io.stdout, io.env));
      const mark = { pass: c.green('pass'), fail: c.red('FAIL'), 'not run': c.dim('not run') };
      for (const r of failed) io.stdout.write(`\n== ${r.title} ==\n${r.output.trimEnd()}\n`);
      io.stdout.write(
        `\n${renderTable(
          ['status', 'step', 'detail'],
          rows.map((r) => [mark[r.status], r.title, r.detail]),
        )}`,
      );
    }
    return failed.length === 0 ? EXIT.ok : EXIT.failed;
  },
};

export default command;
