// `crossflake onboard wsl|macos|linux`: from a fresh machine to a working
// configuration. The plan comes from HostFacts (this machine's, or a recorded
// file with --facts --dry-run), is printed, confirmed, and run step by step
// with a state file, so a re-run continues where a failure stopped it.
import { EXIT, UserError, type CommandModule, type Io, type ParsedOptions } from '../command.js';
import { loadFacts } from '../io/host/load.js';
import { colorsFor } from '../ui/color.js';
import { ask } from '../ui/prompt.js';
import { liveContext } from './live.js';
import { prepareUnix, prepareWsl, type Prepared } from './prepare.js';
import { renderPlan } from './render.js';
import { SHELLS, type Shell } from '../ui/shell-quote.js';
import { runPlan, type RunContext } from './runner.js';
import { redactProxies } from './network.js';
import { writeEnvelope } from '../ui/json.js';
import spec, { ACCEPTS, FLOWS, SHARED, type Flow } from './spec.js';

function checkOptions(flow: Flow, opts: ParsedOptions): void {
  for (const [key, value] of Object.entries(opts)) {
    if (value === undefined || key === 'help') continue;
    if (!SHARED.includes(key) && !ACCEPTS[flow].includes(key)) {
      throw new UserError(`--${key} does not apply to onboard ${flow}`);
    }
  }
  if (opts.facts !== undefined && !opts['dry-run']) {
    throw new UserError('--facts describes another machine: use it with --dry-run');
  }
}

/**
 * --shell, else the shell this process was started from on Windows; a plan
 * for Windows reviewed elsewhere (--facts) shows PowerShell, Windows 11's
 * default; macOS and Linux plans are for a POSIX shell.
 */
async function shellFor(flow: Flow, opts: ParsedOptions, io: Io): Promise<Shell> {
  const given = opts.shell;
  if (typeof given === 'string') {
    if (!(SHELLS as readonly string[]).includes(given)) {
      throw new UserError(`--shell '${given}' is not one of ${SHELLS.join(', ')}`);
    }
    return given as Shell;
  }
  if (flow !== 'wsl') return 'posix';
  if (opts.facts !== undefined || process.platform !== 'win32') return 'powershell';
  const { detectShell } = await import('../io/host/shell.js');
  return detectShell(io.env);
}

async function confirm(io: Io, steps: number): Promise<boolean> {
  if (!io.stdin.isTTY || !io.stdout.isTTY) {
    throw new UserError('no terminal to confirm on: pass --yes to run, or --dry-run to only print');
  }
  const answer = await ask(io, `Run these ${steps} steps? [y/N] `);
  return /^y(es)?$/i.test(answer);
}

/** Runs a prepared plan; `makeContext` is the seam tests use to replay wsl.exe. */
export async function execute(
  prepared: Prepared,
  opts: ParsedOptions,
  io: Io,
  makeContext: () => RunContext,
): Promise<number> {
  const { plan, statePath, state } = prepared;
  const shell = prepared.shell ?? 'posix';
  const c = colorsFor(io);
  const json = opts.json === true;
  // Proxy credentials go to the programs that need them, never to the screen.
  const write = (text: string) => io.stdout.write(redactProxies(text, io.env));
  const redacted = { stdout: { write } };
  if (opts['dry-run'] || plan.problems.length > 0) {
    const failure = {
      code: 'plan-problems',
      message: plan.problems.map((p) => p.message).join('; '),
    };
    const data = { dryRun: opts['dry-run'] === true, statePath, shell, plan };
    if (json)
      writeEnvelope(redacted, 'onboard', data, plan.problems.length > 0 ? failure : undefined);
    else write(renderPlan(plan, statePath, c, shell));
    return plan.problems.length > 0 ? EXIT.failed : EXIT.ok;
  }
  if (!json) write(renderPlan(plan, statePath, c, shell));
  if (!opts.yes && !(await confirm(io, plan.steps.length))) {
    io.stderr.write('Nothing was changed.\n');
    return EXIT.failed;
  }
  const result = await runPlan(plan, statePath, makeContext(), state);
  if (json) {
    const failure = {
      code: 'step-failed',
      message: `stopped at step '${result.failed?.step}': ${result.failed?.message}; fix it and run the same command again`,
    };
    const data = { statePath, plan, result: { ...result, state: undefined } };
    writeEnvelope(redacted, 'onboard', data, result.ok ? undefined : failure);
  } else if (result.ok) {
    io.stdout.write(c.green(`Onboarding finished: ${plan.summary}\n`));
  } else {
    io.stdout.write(
      c.red(`Stopped at step '${result.failed?.step}'.`) +
        ` Fix the cause above, then run the same command again: finished steps are skipped (${statePath}).\n`,
    );
  }
  return result.ok ? EXIT.ok : EXIT.failed;
}

const command: CommandModule = {
  ...spec,
  async handler(opts, params, io) {
    const [flow, extra] = params;
    if (!FLOWS.includes(flow as Flow)) {
      throw new UserError(`onboard needs one of: ${FLOWS.join(', ')}`);
    }
    if (extra !== undefined) throw new UserError(`unexpected argument '${extra}'`);
    checkOptions(flow as Flow, opts);
    const facts = await loadFacts(opts.facts as string | undefined, io.env);
    const shell = await shellFor(flow as Flow, opts, io);
    const prepared = {
      ...(flow === 'wsl'
        ? await prepareWsl(opts, facts, io, new Date())
        : await prepareUnix(flow as 'macos' | 'linux', opts, facts, io)),
      shell,
    };
    return execute(prepared, opts, io, () => liveContext(io, colorsFor(io, 'stderr')));
  },
};

export default command;
