// crossflake doctor: where this machine stands, what is missing, how to fix it.
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { EXIT, UserError, type CommandModule } from '../command.js';
import { loadFacts } from '../io/host/load.js';
import { redactFacts } from '../io/host/redact.js';
import { writeFileAtomic } from '../io/files.js';
import { colorsFor } from '../ui/color.js';
import { tableWidth } from '../ui/table-width.js';
import { checksFor } from './checks/index.js';
import type { TeamConfig } from '../teamconfig/types.js';
import { runDoctor } from './report.js';
import { writeEnvelope } from '../ui/json.js';
import spec from './spec.js';

/**
 * The team config whose `health` section adds checks: --policy FILE, else the
 * nearest crossflake.json upward from the current directory. Loaded lazily so
 * a plain doctor without a policy stays off the validator's start-up cost.
 */
async function loadPolicy(
  opts: Record<string, unknown>,
  cwd: string,
): Promise<(TeamConfig & { file: string }) | null> {
  if (opts['no-policy']) {
    if (opts.policy !== undefined) throw new UserError('give --policy or --no-policy, not both');
    return null;
  }
  const { findTeamConfig, loadTeamConfigFile } = await import('../teamconfig/load.js');
  const given = typeof opts.policy === 'string' ? resolve(cwd, opts.policy) : null;
  const file = given ?? findTeamConfig(cwd);
  if (file === null) return null;
  return { ...(await loadTeamConfigFile(file)), file };
}

const doctor: CommandModule = {
  ...spec,
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
    const policy = await loadPolicy(opts, io.cwd);
    const facts = await loadFacts(factsFile, io.env, policy?.health?.requiredTools ?? []);
    if (saveTo) {
      await writeFileAtomic(saveTo, `${JSON.stringify(redactFacts(facts), null, 2)}\n`);
      io.stderr.write(`Saved facts to ${saveTo} (user, home and host names redacted).\n`);
    }
    const health = policy?.health ?? null;
    const report = runDoctor(facts, checksFor(health), health);
    if (opts.json) {
      const { row, match, checks: outcomes } = report;
      const out = {
        row: row?.id ?? null,
        rowName: row?.name ?? null,
        hostKey: match.key,
        noRowReason: match.reason,
        policy: policy ? { file: policy.file, checks: health ? Object.keys(health) : [] } : null,
        checks: outcomes,
        facts,
      };
      writeEnvelope(io, 'doctor', out, report.exitCode === 0 ? undefined : doctorFailure(report));
    } else {
      if (policy) io.stdout.write(`Team policy: ${policy.file}\n`);
      // The table module loads only when a table is printed (ui/table-width.ts).
      const { renderReport } = await import('./render.js');
      io.stdout.write(renderReport(report, colorsFor(io), tableWidth(io)));
    }
    return report.exitCode === 0 ? EXIT.ok : EXIT.failed;
  },
};

/** The required checks that failed, as the --json error. */
function doctorFailure(report: ReturnType<typeof runDoctor>): { code: string; message: string } {
  const failed = report.checks.filter((c) => c.status === 'fail').map((c) => c.id);
  const what = failed.length > 0 ? failed.join(', ') : (report.match.reason ?? 'no platform row');
  return { code: 'check-failed', message: `required checks failed: ${what}` };
}

export default doctor;
