// crossflake doctor: where this machine stands, what is missing, how to fix it.
import { existsSync, statSync } from 'node:fs';
import { EXIT, UserError, type CommandModule } from '../command.js';
import { loadFacts } from '../io/host/load.js';
import { redactFacts } from '../io/host/redact.js';
import { writeFileAtomic } from '../io/files.js';
import { colors, wantsColor } from '../ui/color.js';
import { checks } from './checks/index.js';
import { renderReport, runDoctor } from './report.js';

const doctor: CommandModule = {
  commandNames: ['doctor'],
  help: () =>
    `Usage: crossflake doctor [--json] [--facts FILE] [--save-facts FILE [--force]]

Finds this machine's row of the support matrix and checks what Nix,
WSL/macOS and the hardware need. Works before Nix is installed.

Options:
  --json             Print the report (and the facts) as JSON
  --facts FILE       Check a recorded HostFacts file instead of this machine
  --save-facts FILE  Write this machine's facts, with user and host names redacted
  --force            Let --save-facts replace an existing file

Exit codes: 0 ready (warnings allowed), 1 a required check failed, 2 bad input.
`,
  cliOptionsTypes: () => ({
    json: { type: 'boolean' },
    facts: { type: 'string' },
    'save-facts': { type: 'string' },
    force: { type: 'boolean' },
  }),
  async handler(opts, params, io) {
    if (params.length > 0) throw new UserError(`unexpected argument '${params[0]}'`);
    const factsFile = opts.facts as string | undefined;
    const saveTo = opts['save-facts'] as string | undefined;
    if (saveTo && statSync(saveTo, { throwIfNoEntry: false })?.isDirectory()) {
      throw new UserError(
        `--save-facts ${saveTo} is a directory; name a file, e.g. ${saveTo}/facts.json`,
      );
    }
    if (saveTo && existsSync(saveTo) && !opts.force) {
      throw new UserError(`${saveTo} exists; pass --force to replace it`);
    }
    const facts = await loadFacts(factsFile, io.env);
    if (saveTo) {
      await writeFileAtomic(saveTo, `${JSON.stringify(redactFacts(facts), null, 2)}\n`);
      io.stderr.write(`Saved facts to ${saveTo} (user, home and host names redacted).\n`);
    }
    const report = runDoctor(facts, checks);
    if (opts.json) {
      const { row, match, checks: outcomes, exitCode } = report;
      const out = {
        row: row?.id ?? null,
        rowName: row?.name ?? null,
        hostKey: match.key,
        noRowReason: match.reason,
        checks: outcomes,
        exitCode,
        facts,
      };
      io.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    } else {
      io.stdout.write(renderReport(report, colors(wantsColor(io.stdout, io.env))));
    }
    return report.exitCode === 0 ? EXIT.ok : EXIT.failed;
  },
};

export default doctor;
