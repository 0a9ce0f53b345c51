// The Windows flow as a pure function of HostFacts and options: fetch and
// verify the team image, keep or replace an existing distro, import it the
// way this WSL release supports, then the first-boot steps inside the distro
// and the Terminal profile. Windows paths are built with path.win32 so the
// plan reads the same when reviewed from Linux (--dry-run --facts).
import { posix, win32 } from 'node:path';
import { WSL_FROM_FILE_VERSION } from '../doctor/checks/windows-wsl.js';
import { known, type HostFacts } from '../io/host/facts.js';
import { compareVersions } from '../io/nix.js';
import { matchRow } from '../platforms/index.js';
import type { Plan, Problem, Step } from './step.js';

const FLAKES = ['--extra-experimental-features', 'nix-command flakes'];

/** Where the cloned configuration lives inside the distro. */
export const CONFIG_DIR = '/etc/crossflake';

export interface WslPlanOptions {
  /** The --image argument as given (release URL, directory or file). */
  source: string;
  /** The artifact file picked from the release. */
  imageFile: string;
  /** The release publishes it in this many numbered parts (fetch joins them); null: whole. */
  imageParts?: number | null;
  /** A company CA the download trusts (--ca-file or the team config). */
  caFile?: string | null;
  /** Directory the verified image ends up in. */
  imageDir: string;
  name: string;
  location: string;
  backupDir: string;
  /** Fixed on the first run so a re-run reuses the same backup file name. */
  backupStamp: string;
  replace: boolean;
  insecure: boolean;
  /** --sha256 for a lone image file without SHA256SUMS (already checked against the release). */
  sha256: string | null;
  /** The release lists the image in SHA256SUMS. */
  listed: boolean;
  /** Git URL of the configuration to switch to; null keeps the image's own. */
  config: string | null;
  user: string;
  host: string;
  /** The state file says an earlier run of this onboarding imported the distro. */
  importedByUs: boolean;
}

/** Which import command this WSL release understands. */
export function usesInstallFromFile(wslVersion: string | null): boolean {
  return wslVersion !== null && compareVersions(wslVersion, WSL_FROM_FILE_VERSION) >= 0;
}

function problems(facts: HostFacts): Problem[] {
  if (facts.os.kernel !== 'windows') {
    return [
      {
        message: `these facts are from ${facts.os.kernel}, not Windows`,
        fix: 'Run `crossflake onboard wsl` in PowerShell or cmd on the Windows machine',
      },
    ];
  }
  const windows = known(facts.windows);
  if (!windows) {
    return [
      { message: 'wsl.exe could not be asked', fix: 'Run `wsl --status` to see what is wrong' },
    ];
  }
  const found: Problem[] = [];
  if (!windows.wslInstalled) {
    found.push({
      message: 'WSL is not installed',
      fix: 'In an administrator PowerShell: `wsl --install --no-distribution`, reboot, then run onboard again',
    });
  }
  if (windows.virtualization === false) {
    found.push({
      message: 'no hypervisor: WSL2 cannot start',
      fix: 'Enable virtualization in the firmware and the "Virtual Machine Platform" Windows feature',
    });
  }
  return found;
}

/**
 * NixOS's own PATH. `wsl --exec` starts a program without WSL's default
 * PATH for NixOS (which has no /usr/bin to speak of), so `env` sets it.
 */
export const NIXOS_PATH = 'PATH=/run/wrappers/bin:/run/current-system/sw/bin';
const ENV = '/run/current-system/sw/bin/env';

/**
 * A program run as root inside the distro. `--exec`, not `--`: after `--`
 * wsl.exe hands the rest to the distro's shell as one line, so quotes, `$`
 * and `;` in an argument would be shell syntax; --exec runs the program with
 * exactly these arguments.
 */
export function wslIn(name: string, ...command: string[]): string[] {
  return ['wsl', '-d', name, '-u', 'root', '--exec', ENV, NIXOS_PATH, ...command];
}

function importStep(facts: HostFacts, o: WslPlanOptions, image: string): Step {
  const windows = known(facts.windows);
  const fromFile = usesInstallFromFile(windows?.wslVersion ?? null);
  const needsV2 = windows?.defaultVersion !== 2;
  const command = fromFile
    ? [
        'wsl',
        '--install',
        '--from-file',
        image,
        '--name',
        o.name,
        '--location',
        o.location,
        '--no-launch',
        ...(needsV2 ? ['--version', '2'] : []),
      ]
    : ['wsl', '--import', o.name, o.location, image, '--version', '2'];
  return {
    id: 'import',
    what: `Import the image as WSL distro ${o.name} in ${o.location}`,
    why: fromFile
      ? `WSL ${windows?.wslVersion} (>= ${WSL_FROM_FILE_VERSION}) installs a .wsl image with --install --from-file`
      : `WSL ${windows?.wslVersion ?? '(inbox, no --version)'} predates ${WSL_FROM_FILE_VERSION}: --install --from-file is missing, so --import with --version 2`,
    command,
    doneWhen: { kind: 'distro-exists', name: o.name },
  };
}

function replaceSteps(o: WslPlanOptions, exists: boolean): Step[] {
  if (!exists || o.importedByUs || !o.replace) return [];
  const backup = win32.join(o.backupDir, `${o.name}-${o.backupStamp}.tar`);
  return [
    {
      id: 'backup-dir',
      what: `Create ${o.backupDir}`,
      why: 'wsl --export writes into an existing folder only',
      command: ['mkdir', o.backupDir],
      internal: { name: 'make-dir', path: o.backupDir },
      doneWhen: { kind: 'file-exists', path: o.backupDir },
    },
    {
      id: 'backup',
      what: `Back up the existing distro ${o.name} to ${backup}`,
      why: '--replace removes the old distro; its export is the way back (wsl --import it again)',
      command: ['wsl', '--export', o.name, backup],
      // A killed export leaves a partial file: only a finished run says it is whole.
      doneWhen: { kind: 'state' },
    },
    {
      id: 'unregister',
      what: `Remove the old distro ${o.name}`,
      why: `--replace: the name is needed for the new image; the backup is ${backup}`,
      command: ['wsl', '--unregister', o.name],
      doneWhen: { kind: 'distro-absent', name: o.name },
    },
  ];
}

/** git inside the distro: the image need not contain it, so it comes from nixpkgs (the system's registry pin). */
function gitIn(name: string, ...args: string[]): string[] {
  return wslIn(name, 'nix', ...FLAKES, 'shell', 'nixpkgs#git', '--command', 'git', ...args);
}

function firstBootSteps(o: WslPlanOptions): Step[] {
  if (o.config === null) return [];
  const flake = `${CONFIG_DIR}/flake.nix`;
  const setUser = [
    '-e',
    `s/^([[:space:]]*username[[:space:]]*=[[:space:]]*)"[^"]*";/\\1"${o.user}";/`,
    '-e',
    `s/^([[:space:]]*hostname[[:space:]]*=[[:space:]]*)"[^"]*";/\\1"${o.host}";/`,
  ];
  return [
    {
      id: 'clone-config',
      what: `Clone the team configuration into ${CONFIG_DIR} inside ${o.name}`,
      why: 'The machine is defined by the team flake, not by the image; the clone is what you edit and switch to',
      command: gitIn(o.name, 'clone', o.config, CONFIG_DIR),
      // A killed clone leaves .git behind; git writes the index only once the
      // checkout is complete, so a tracked flake.nix in it is the end state.
      doneWhen: {
        kind: 'command-succeeds',
        command: gitIn(o.name, '-C', CONFIG_DIR, 'ls-files', '--error-unmatch', 'flake.nix'),
      },
    },
    {
      id: 'set-user',
      what: `Set the user name ${o.user} and host name ${o.host} in ${flake}`,
      why: 'NixOS creates users from the configuration; renaming the shipped user with usermod is reverted at boot',
      command: wslIn(o.name, 'sed', '-i', '-E', ...setUser, flake),
      doneWhen: {
        kind: 'command-succeeds',
        command: wslIn(
          o.name,
          'grep',
          '-Eq',
          `^[[:space:]]*username[[:space:]]*=[[:space:]]*"${o.user}";`,
          flake,
        ),
      },
    },
    {
      id: 'rebuild',
      what: `Build ${CONFIG_DIR}#${o.host} as the next boot's system`,
      why: 'NixOS-WSL changes the default user on the next start, so the documented way is `nixos-rebuild boot` and a restart',
      command: wslIn(o.name, 'nixos-rebuild', 'boot', '--flake', `${CONFIG_DIR}#${o.host}`),
      doneWhen: { kind: 'state' },
    },
    {
      id: 'restart',
      what: `Stop ${o.name} so it starts with the new system`,
      why: 'The new system (and its user) takes effect at the next start',
      command: ['wsl', '--terminate', o.name],
      doneWhen: { kind: 'command-succeeds', command: wslIn(o.name, 'id', '-u', o.user) },
    },
    {
      id: 'first-start',
      what: `Start ${o.name} once as root to activate the new system, then stop it`,
      why: 'Activation creates the user; the following start logs in as that user',
      command: wslIn(o.name, 'true'),
      doneWhen: { kind: 'command-succeeds', command: wslIn(o.name, 'id', '-u', o.user) },
    },
    {
      id: 'switch',
      what: `Switch ${o.name} to ${CONFIG_DIR}#${o.host}`,
      why: 'Makes the running system the configured one and proves the configuration activates',
      command: wslIn(o.name, 'nixos-rebuild', 'switch', '--flake', `${CONFIG_DIR}#${o.host}`),
      doneWhen: { kind: 'state' },
    },
  ];
}

/** The Terminal steps alone (`onboard wsl --terminal-only`). */
export function terminalSteps(name: string): Step[] {
  const command = ['crossflake', 'onboard', 'wsl', '--terminal-only', '--name', name];
  return [
    {
      id: 'terminal-profile',
      what: `Write a Windows Terminal profile for ${name}`,
      why: 'wsl --import leaves Terminal with a broken or duplicate profile; a fragment with a stable GUID fixes it',
      command,
      internal: { name: 'terminal-fragment', distro: name },
      doneWhen: { kind: 'state' },
    },
    {
      id: 'terminal-orphans',
      what: 'Remove Terminal profiles crossflake wrote for distros that no longer exist',
      why: 'Unregistered distros otherwise leave dead entries in the Terminal menu',
      command,
      internal: { name: 'clean-terminal-orphans' },
      doneWhen: { kind: 'state' },
    },
  ];
}

export function planWsl(facts: HostFacts, o: WslPlanOptions): Plan {
  const match = matchRow(facts);
  const distros = known(facts.windows)?.distros ?? [];
  const exists = distros.some((d) => d.name === o.name);
  const found = problems(facts);
  if (exists && !o.replace && !o.importedByUs) {
    found.push({
      message: `a WSL distro named ${o.name} already exists`,
      fix: `Pick another --name, or pass --replace to back it up (wsl --export) and replace it`,
    });
  }
  // A release directory given as a POSIX path only happens in a review from Linux.
  const image = (o.imageDir.startsWith('/') ? posix : win32).join(o.imageDir, o.imageFile);
  const fetchCommand = [
    'crossflake',
    'images',
    'fetch',
    o.source,
    '--image',
    o.imageFile,
    '--to',
    o.imageDir,
  ];
  const inParts = o.imageParts ? ` (published in ${o.imageParts} parts, joined here)` : '';
  const steps: Step[] = [
    {
      id: 'fetch-image',
      what: o.insecure
        ? `Download ${o.imageFile}${inParts} without verifying it`
        : `Download ${o.imageFile}${inParts} and verify its SHA-256`,
      why: o.insecure
        ? '--insecure-skip-verify: the image is NOT checked against SHA256SUMS'
        : o.listed
          ? 'The release SHA256SUMS says which bytes the team built; anything else is refused'
          : `--sha256: the release has no SHA256SUMS entry, so the hash you gave decides`,
      command: [
        ...fetchCommand,
        ...(o.sha256 !== null ? ['--sha256', o.sha256] : []),
        ...(o.insecure ? ['--insecure-skip-verify'] : []),
        ...(o.caFile ? ['--ca-file', o.caFile] : []),
      ],
      internal: {
        name: 'fetch-image',
        source: o.source,
        image: o.imageFile,
        toDir: o.imageDir,
        insecure: o.insecure,
        sha256: o.sha256,
        caFile: o.caFile ?? null,
      },
      doneWhen: { kind: 'state' },
    },
    ...replaceSteps(o, exists),
    importStep(facts, o, image),
    ...firstBootSteps(o),
    ...terminalSteps(o.name),
  ];
  return {
    flow: 'wsl',
    row: match.row?.id ?? null,
    summary: `WSL distro ${o.name} from ${o.imageFile}`,
    problems: found,
    steps,
    afterwards: [
      ['wsl', '-d', o.name],
      ...(o.config
        ? [wslIn(o.name, 'nixos-rebuild', 'switch', '--flake', `${CONFIG_DIR}#${o.host}`)]
        : []),
    ],
  };
}
