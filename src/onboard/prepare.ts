// From command-line options and HostFacts to a plan plus its state file:
// defaults, validation of every name and path that ends up in a command, and
// the release lookup for the WSL image. No step runs here.
import { posix, win32 } from 'node:path';
import { UserError, type Io, type ParsedOptions } from '../command.js';
import { netFromOptions, withGivenSha256, type ReleaseArtifact } from '../images/fetch.js';
import { chooseImage, markUnchecked } from './image-lookup.js';
import { known, type HostFacts } from '../io/host/facts.js';
import { matchRow } from '../platforms/index.js';
import { planUnix } from './plan-unix.js';
import { networkFrom } from './network.js';
import { planWsl, terminalSteps } from './plan-wsl.js';
import { emptyState, readState, type OnboardState } from './state.js';
import type { Plan } from './step.js';
import type { Shell } from '../ui/shell-quote.js';
import { namesProblems, validatePlan } from './validate-plan.js';

export interface Prepared {
  plan: Plan;
  statePath: string;
  state: OnboardState;
  /** The shell the plan's commands are shown for (default posix). */
  shell?: Shell;
}

const DISTRO_NAME = /^[A-Za-z0-9._-]{1,64}$/;
const POSIX_USER = /^[a-z_][a-z0-9_-]{0,31}$/;
const HOST_NAME = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const GIT_URL = /^(https:\/\/|ssh:\/\/|git@)[A-Za-z0-9@._:~/+-]+$/;
const FLAKE_REF = /^[A-Za-z0-9+]+:[A-Za-z0-9@._:~/?=&+-]+$/;

function str(opts: ParsedOptions, key: string): string | undefined {
  const v = opts[key];
  return typeof v === 'string' ? v : undefined;
}

function check(value: string, pattern: RegExp, what: string, rule: string): string {
  if (!pattern.test(value)) throw new UserError(`${what} '${value}' is not valid: ${rule}`);
  return value;
}

/** A default from the facts, made into a valid name (recorded facts are redacted: "<user>"). */
function sanitise(value: string, fallback: string, pattern: RegExp): string {
  const cleaned = value.toLowerCase().replace(/[^a-z0-9_-]/g, '');
  return pattern.test(cleaned) ? cleaned : fallback;
}

function userOf(opts: ParsedOptions, facts: HostFacts): string {
  const given = str(opts, 'user');
  if (given !== undefined) {
    return check(given, POSIX_USER, '--user', 'a POSIX user name (a-z, 0-9, _ and -), not root');
  }
  return sanitise(facts.user.name, 'nixos', POSIX_USER);
}

function hostOf(opts: ParsedOptions, fallback: string): string {
  const given = str(opts, 'host');
  if (given !== undefined) return check(given, HOST_NAME, '--host', 'letters, digits and -');
  return sanitise(fallback, 'nixos', HOST_NAME);
}

/** A path option: no NUL, no '..' segment (it would leave the directory the user named). */
function safePath(value: string, what: string): string {
  if (value.includes('\0') || value.split(/[\\/]/).includes('..')) {
    throw new UserError(`${what} '${value}' must not contain '..'`);
  }
  return value;
}

async function stateFor(path: string, flow: string, target: string): Promise<OnboardState> {
  const state = await readState(path);
  if (state && state.flow === flow && state.target === target && state.completedAt === null) {
    return state;
  }
  return emptyState(flow, target);
}

/** The system an artifact is for: the manifest's, else the one its name carries. */
function systemOf(a: ReleaseArtifact): string | null {
  return (
    a.system ?? /(?:^|-)((?:x86_64|aarch64)-(?:linux|darwin))(?:-|\.)/.exec(a.file)?.[1] ?? null
  );
}

function wantsWslImage(nixSystem: string | null): (a: ReleaseArtifact) => boolean {
  return (a) => {
    const isWsl = a.format === 'wsl' || a.file.endsWith('.wsl');
    const system = systemOf(a);
    return isWsl && (nixSystem === null || system === null || system === nixSystem);
  };
}

function stamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
}

export async function prepareWsl(
  opts: ParsedOptions,
  facts: HostFacts,
  io: Io,
  now: Date,
): Promise<Prepared> {
  const name = check(str(opts, 'name') ?? 'NixOS', DISTRO_NAME, '--name', 'letters, digits, . _ -');
  if (facts.os.kernel !== 'windows' && !opts['dry-run']) {
    throw new UserError(
      'onboard wsl runs on Windows (PowerShell or cmd, e.g. `npx crossflake onboard wsl ...`); to review the plan here use --dry-run --facts <recorded Windows facts>',
    );
  }
  const appData = io.env.LOCALAPPDATA ?? '%LOCALAPPDATA%';
  const home = win32.join(appData, 'crossflake');
  const statePath = safePath(
    str(opts, 'state') ?? win32.join(home, 'onboard', `wsl-${name}.json`),
    '--state',
  );
  if (opts['terminal-only']) {
    // Its own state file: a Terminal-only run must not touch the onboarding's.
    const terminalState = statePath.replace(/(\.json)?$/, '-terminal.json');
    const plan: Plan = {
      flow: 'wsl',
      row: matchRow(facts).row?.id ?? null,
      summary: `Windows Terminal profile for ${name}`,
      problems: [],
      steps: terminalSteps(name),
      afterwards: [],
    };
    return { plan, statePath: terminalState, state: emptyState('wsl-terminal', name) };
  }
  const state = await stateFor(statePath, 'wsl', name);
  const source =
    str(opts, 'image') ??
    (await (await import('../images/stores/fetch-source.js')).teamImageSource(io.cwd));
  if (source === undefined)
    throw new UserError(
      'onboard wsl needs --image <release URL | file> (or images.store in the team crossflake.json)',
    );
  const config = str(opts, 'config');
  if (config !== undefined) check(config, GIT_URL, '--config', 'an https://, ssh:// or git@ URL');
  const net = await netFromOptions(opts, io);
  const image = await chooseImage(
    source,
    str(opts, 'artifact'),
    wantsWslImage(matchRow(facts).row?.nixSystem ?? null),
    opts['dry-run'] === true,
    io,
    net,
  );
  const insecure = opts['insecure-skip-verify'] === true;
  const picked: ReleaseArtifact = {
    file: image.file,
    sha256: image.sha256,
    format: null,
    system: null,
  };
  const artifact = withGivenSha256(picked, str(opts, 'sha256'));
  // Decided now, not when the fetch step refuses it after the plan was accepted
  // (a dry-run that could not read the release cannot know: its plan says so).
  if (artifact.sha256 === null && !insecure && image.unchecked === null) {
    throw new UserError(
      `${picked.file} has no SHA256SUMS entry to verify it against: pass --sha256 <hex> (its published SHA-256), or --insecure-skip-verify to take it unverified`,
    );
  }
  state.meta.backupStamp ??= stamp(now);
  const user = userOf(opts, facts);
  const host = hostOf(opts, name);
  const planned = planWsl(facts, {
    source,
    imageFile: image.file,
    imageParts: image.parts,
    caFile: net.caFile,
    imageDir: image.local ? image.base : win32.join(home, 'images'),
    name,
    location: safePath(str(opts, 'location') ?? win32.join(home, 'wsl', name), '--location'),
    backupDir: win32.join(home, 'backups'),
    backupStamp: state.meta.backupStamp,
    replace: opts.replace === true,
    insecure,
    sha256: picked.sha256 === null ? artifact.sha256 : null,
    listed: picked.sha256 !== null || image.unchecked !== null,
    config: config ?? null,
    user,
    host,
    importedByUs: state.steps.import !== undefined,
  });
  const plan = markUnchecked(planned, image);
  plan.problems.push(...(await validatePlan(plan)));
  // The image's flake gets these names (set-user): the template's rules apply.
  if (config !== undefined)
    plan.problems.push(...(await namesProblems({ username: user, hostname: host })));
  return { plan, statePath, state };
}

export async function prepareUnix(
  flow: 'macos' | 'linux',
  opts: ParsedOptions,
  facts: HostFacts,
  io: Io,
): Promise<Prepared> {
  const home = facts.user.home.startsWith('/') ? facts.user.home : (io.env.HOME ?? '/home/user');
  const stateHome = io.env.XDG_STATE_HOME ?? posix.join(home, '.local', 'state');
  const dir = safePath(
    posix.resolve(io.cwd, str(opts, 'to') ?? posix.join(home, 'nix-config')),
    '--to',
  );
  const from = str(opts, 'flake');
  if (from !== undefined)
    check(from, FLAKE_REF, '--flake', 'a flake reference such as github:org/team-config');
  const statePath = safePath(
    str(opts, 'state') ?? posix.join(stateHome, 'crossflake', `onboard-${flow}.json`),
    '--state',
  );
  const net = await netFromOptions(opts, io);
  const dataHome = io.env.XDG_DATA_HOME ?? posix.join(home, '.local', 'share');
  const extraCa = io.env.NODE_EXTRA_CA_CERTS;
  const network = networkFrom(
    io.env,
    net.caFile ?? (extraCa ? posix.resolve(io.cwd, extraCa) : null),
    posix.join(dataHome, 'crossflake', 'ca-bundle.pem'),
  );
  const plan = planUnix(
    { ...facts, user: { ...facts.user, home } },
    {
      network,
      flow,
      homeOnly: opts['home-only'] === true,
      dir,
      user: userOf(opts, facts),
      host: hostOf(opts, known(facts.wsl)?.distroName ?? facts.user.hostname),
      from: from ?? null,
      installerPath: posix.join(stateHome, 'crossflake', 'nix-install.sh'),
    },
  );
  plan.problems.push(...(await validatePlan(plan)));
  return { plan, statePath, state: await stateFor(statePath, flow, dir) };
}
