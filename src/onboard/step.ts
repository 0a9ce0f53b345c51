// A plan is a list of typed steps: what happens, why, the exact argument
// array that does it, and how to tell it is already done. Plans are plain
// data, so they print, serialise to --json, and resume from a state file.

/** How the runner can tell, before running a step, that it is already done. */
export type DoneCheck =
  /** Only the state file knows (the step leaves nothing cheap to test). */
  | { kind: 'state' }
  /** The facts the plan was made from already say so (e.g. Nix is installed). */
  | { kind: 'known'; reason: string }
  | { kind: 'distro-exists'; name: string }
  | { kind: 'distro-absent'; name: string }
  | { kind: 'command-succeeds'; command: string[] }
  /** `<nix> --version` runs and reports at least this version. */
  | { kind: 'nix-at-least'; nix: string; version: string }
  | { kind: 'file-exists'; path: string };

/** Work crossflake does itself rather than through another program. */
export type InternalAction =
  | {
      name: 'fetch-image';
      source: string;
      image: string | null;
      toDir: string;
      insecure: boolean;
      /** --sha256: the expected hash of a lone image file that has no SHA256SUMS. */
      sha256: string | null;
      /** A company CA to trust (absent in state files from before it existed). */
      caFile?: string | null;
    }
  | { name: 'terminal-fragment'; distro: string }
  | { name: 'clean-terminal-orphans' }
  | { name: 'make-dir'; path: string }
  /** Node's root CAs plus these PEM files, written to `path` (for Nix's ssl-cert-file). */
  | { name: 'ca-bundle'; path: string; sources: string[] };

export interface Step {
  /** Stable id: the state file records finished steps by it. */
  id: string;
  what: string;
  why: string;
  /**
   * The argument array that does the step. For internal steps it is the
   * equivalent crossflake command line, shown so a human can run it by hand.
   */
  command: string[];
  internal?: InternalAction;
  /** Text fed to the program's stdin (e.g. a line for `tee -a`). */
  input?: string;
  /** Variables added to the program's environment (the proxy and CA for the Nix installer). */
  env?: Record<string, string>;
  /** Directory to run in. */
  cwd?: string;
  /** Write the program's stdout to this file (atomically) instead of the terminal. */
  stdoutTo?: string;
  /** stdoutTo must lie below this directory, reached through no symbolic link. */
  stdoutWithin?: string;
  doneWhen: DoneCheck;
}

export interface Problem {
  message: string;
  fix: string;
}

export interface Plan {
  flow: 'wsl' | 'macos' | 'linux';
  /** The platform row the host matched, e.g. "darwin-aarch64". */
  row: string | null;
  summary: string;
  /** Blockers: with any of these the plan must not run. */
  problems: Problem[];
  steps: Step[];
  /** Commands for later, once this plan has run (updates, re-activation). */
  afterwards: string[][];
  /** What the plan hands on of the proxy and company CA, and what it leaves to the user. */
  network?: { set: string[]; notes: string[] };
}

/** How a command is shown: quoted for the user's shell (see ui/shell-quote). */
export type ShowCommand = (command: readonly string[]) => string;

export function describeDone(
  check: DoneCheck,
  show: ShowCommand = (command) => command.join(' '),
): string {
  switch (check.kind) {
    case 'state':
      return 'recorded in the state file';
    case 'known':
      return `already true when planned: ${check.reason}`;
    case 'distro-exists':
      return `WSL lists a distro named ${check.name}`;
    case 'distro-absent':
      return `WSL no longer lists ${check.name}`;
    case 'command-succeeds':
      return `\`${show(check.command)}\` succeeds`;
    case 'file-exists':
      return `${check.path} exists`;
    case 'nix-at-least':
      return `\`${show([check.nix, '--version'])}\` reports ${check.version} or newer`;
  }
}
