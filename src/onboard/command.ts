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

const FLOWS = ['wsl', 'macos', 'linux'] as const;
type Flow = (typeof FLOWS)[number];

/** Options each flow accepts (beyond the shared ones). */
const ACCEPTS: Record<Flow, readonly string[]> = {
  wsl: [
    'image',
    'artifact',
    'name',
    'location',
    'replace',
    'insecure-skip-verify',
    'sha256',
    'config',
    'terminal-only',
  ],
  macos: ['to', 'flake'],
  linux: ['to', 'flake', 'home-only'],
};
const SHARED = ['dry-run', 'json', 'facts', 'state', 'yes', 'user', 'host', 'shell', 'ca-file'];

function help(): string {
  return `Usage: crossflake onboard wsl --image <release-url | dir | file> [options]
       crossflake onboard macos [options]
       crossflake onboard linux [--home-only] [options]

From a fresh machine to a working configuration. Shows the plan (each step
with what, why, the exact command and how a re-run knows it is done), asks,
then runs it. A state file records finished steps: after a failure, run the
same command again and it continues where it stopped.

wsl (on Windows, in PowerShell or cmd):
  --image SRC             The team's release (URL or directory) or a .wsl file;
                          verified against the release's SHA256SUMS
  --artifact NAME         Which artifact of the release (default: the .wsl
                          image for this machine's system)
  --name N                Distro name (default: NixOS)
  --location DIR          Where the distro's disk lives
                          (default: %LOCALAPPDATA%\\crossflake\\wsl\\<N>)
  --replace               Replace an existing distro N, after exporting a backup
  --config GIT-URL        Clone this configuration inside the distro and switch to it
  --sha256 HEX            The SHA-256 of a lone .wsl file that has no SHA256SUMS
  --insecure-skip-verify  Accept an image that SHA256SUMS does not list
  --terminal-only         Only (re)write the Windows Terminal profile and remove orphans

macos, linux:
  --to DIR                Where the configuration is created (default: ~/nix-config;
                          was --dir)
  --flake REF             Build on your team's flake (crossflake init --flake; was --from)
  --home-only             linux: only home-manager, leave the system alone

Shared:
  --user NAME             Your user name in the configuration (default: yours)
  --host NAME             Host name / configuration name (default: this machine's)
  --dry-run               Print the plan and change nothing
  --facts FILE            Plan for a recorded HostFacts file (with --dry-run; any OS)
  --state FILE            State file (default: under %LOCALAPPDATA% or ~/.local/state)
  --yes                   Do not ask before running
  --json                  Machine-readable plan and result
  --shell SHELL           Show commands for powershell, cmd or posix (default: on
                          Windows the shell crossflake was started from)
  --ca-file PEM           A company CA to trust (default: network.caFile of the nearest
                          crossflake.json): for the image download, and handed to Nix
                          (ssl-cert-file, the installer, the daemon) on macos and linux

Proxies: HTTPS_PROXY, HTTP_PROXY and NO_PROXY are honoured by the download and
handed to the Nix installer and the Nix daemon; the plan says what it sets.
`;
}

function cliOptionsTypes() {
  return {
    image: { type: 'string' },
    artifact: { type: 'string' },
    name: { type: 'string' },
    location: { type: 'string' },
    replace: { type: 'boolean' },
    'insecure-skip-verify': { type: 'boolean' },
    sha256: { type: 'string' },
    config: { type: 'string' },
    'terminal-only': { type: 'boolean' },
    to: { type: 'string' },
    flake: { type: 'string' },
    'home-only': { type: 'boolean' },
    user: { type: 'string' },
    host: { type: 'string' },
    'dry-run': { type: 'boolean' },
    facts: { type: 'string' },
    state: { type: 'string' },
    yes: { type: 'boolean' },
    json: { type: 'boolean' },
    shell: { type: 'string' },
    'ca-file': { type: 'string' },
  } as const;
}

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
  commandNames: ['onboard'],
  help,
  renamedOptions: { from: 'flake', dir: 'to' },
  subcommandOptions: Object.fromEntries(FLOWS.map((f) => [f, [...ACCEPTS[f], ...SHARED]])),
  cliOptionsTypes,
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
