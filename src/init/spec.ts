// What `crossflake init --help` and option parsing need; the handler is
// in command.ts, loaded only when init runs.
import type { CommandSpec } from '../command.js';

const commandNames = ['init'] as const;

function help(): string {
  return `Usage: crossflake init <template> [dir] [options]
       crossflake init --list [--json]
       crossflake init --test [--json]

Make a configuration from a template. Parameters not given as flags are asked
for on a terminal, or take their defaults (from this machine: user name, host
name, Nix system; from git config: name and e-mail). sharedFlake has no
default: give --flake, or set templates.sharedFlake in the team's
crossflake.json (the nearest one above this directory), or answer the prompt;
without a terminal a missing one is an error. The directory (default:
./<template>) is written atomically and must be empty unless --force.

Options:
  -p, --param key=value   Set a parameter (repeatable); see --list for names
      --flake <ref>       The flake to build on (sets sharedFlake), e.g. your
                          team's flake (was --from)
      --non-interactive   Never ask; use flags and defaults
      --force             Write into a non-empty directory (files the template
                          has are replaced, others are kept)
      --git               git init the directory and make the first commit
      --list              List the templates and their parameters
      --test              Instantiate every template with its sample
                          parameters and check the result (needs nix-instantiate)
      --templates-dir <d> Use the templates in <d> instead of the built-in ones
      --json              Machine-readable output
  -h, --help              Show this help
`;
}

function cliOptionsTypes() {
  return {
    param: { type: 'string', short: 'p', multiple: true },
    flake: { type: 'string' },
    'non-interactive': { type: 'boolean' },
    force: { type: 'boolean' },
    git: { type: 'boolean' },
    list: { type: 'boolean' },
    test: { type: 'boolean' },
    'templates-dir': { type: 'string' },
    json: { type: 'boolean' },
  } as const;
}

const spec: CommandSpec = {
  commandNames,
  help,
  cliOptionsTypes,
  renamedOptions: { from: 'flake' },
};

export default spec;
