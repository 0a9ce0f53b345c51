// What `crossflake onboard --help` and option parsing need; the handler is
// in command.ts, loaded only when onboard runs.
import type { CommandSpec } from '../command.js';

export const FLOWS = ['wsl', 'macos', 'linux'] as const;
export type Flow = (typeof FLOWS)[number];

/** Options each flow accepts (beyond the shared ones). */
export const ACCEPTS: Record<Flow, readonly string[]> = {
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
export const SHARED = [
  'dry-run',
  'json',
  'facts',
  'state',
  'yes',
  'user',
  'host',
  'shell',
  'ca-file',
];

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

const spec: CommandSpec = {
  commandNames: ['onboard'],
  help,
  renamedOptions: { from: 'flake', dir: 'to' },
  subcommandOptions: Object.fromEntries(FLOWS.map((f) => [f, [...ACCEPTS[f], ...SHARED]])),
  cliOptionsTypes,
};

export default spec;
