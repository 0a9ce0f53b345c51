// What `crossflake ci --help` and option parsing need; the handler is
// in command.ts, loaded only when ci runs.
import type { CommandSpec } from '../command.js';

const help = `Usage: crossflake ci <generate|check|run> [options]

Generates CI for the team repository from data/platforms.json, the flake's
outputs (dev shells, checks, templates, crossflake.images, NixOS, nix-darwin
and home-manager configurations), flake.lock and crossflake.json.

  generate   Print the workflow files; with --write, write them.
  check      Exit 1 with a unified diff when the committed files differ from
             what generate would write.
  run        Run, on this host, the steps of ci.yml's jobs that apply to its
             system, in order, with the same commands; exit as the job would.

Options:
  --provider github|gitlab  Only this provider (default: ci.providers in
                            crossflake.json, else github)
  --dir DIR                 Repository root (default: current directory)
  --flake REF               Flake to read outputs from (default: DIR)
  --write                   generate: write the files (atomically)
  --force                   generate: overwrite files that were not generated
  --job NAME                run: only this job of ci.yml (check, flake-lock,
                            configurations-<system>, vm-tests)
  --json                    Machine-readable output
`;

const spec: CommandSpec = {
  commandNames: ['ci'],
  help: () => help,
  subcommandOptions: {
    generate: ['provider', 'dir', 'flake', 'write', 'force', 'json'],
    check: ['provider', 'dir', 'flake', 'json'],
    run: ['dir', 'flake', 'job'],
  },
  cliOptionsTypes: () => ({
    provider: { type: 'string' },
    dir: { type: 'string' },
    flake: { type: 'string' },
    write: { type: 'boolean' },
    force: { type: 'boolean' },
    job: { type: 'string' },
    json: { type: 'boolean' },
  }),
};

export default spec;
