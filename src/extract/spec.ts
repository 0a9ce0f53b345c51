// What `crossflake extract --help` and option parsing need; the handler is
// in command.ts, loaded only when extract runs.
import type { CommandSpec } from '../command.js';

const help = `Usage: crossflake extract <analyze|plan|apply> <repo> [options]

Finds what is shareable in a personal Nix configuration and moves it, one
module at a time, into a shared flake.

  analyze <repo>   Classify every .nix file: shareable-base, platform-adapter
                   (wsl/darwin/linux), host-specific, personal or secret, with
                   evidence (rule, file:line:column, matched text; secrets masked)
  plan <repo>      An ordered migration plan, leaves first, with a Mermaid
                   diagram of layers and imports
  apply <repo>     Carry out one step of the plan on new git branches

Options:
  --json               Machine-readable output (analyze, plan, apply)
  --md                 Markdown (analyze, plan)
  --mermaid            analyze: only the Mermaid diagram of files and imports
  --identifier X       A personal identifier to look for (repeatable), on top
                       of the user and host names learned from the repo
  --no-cache           Analyse every file again instead of reusing the last
                       analysis of an unchanged repository (kept in the
                       user's cache directory; CROSSFLAKE_CACHE_DIR moves it)
  --input NAME         Name of the shared flake input (default: shared)
  --step N             apply: the step number from \`plan\`
  --shared DIR         apply: the shared flake's git repository
  --shared-url URL     apply: the input URL written into the personal flake
                       (default: git+file:<absolute DIR>)
  --no-verify          apply: commit without proving that every nixos,
                       darwin and home configuration keeps its drvPath
                       (the proof evaluates them before and after the step)
`;

const spec: CommandSpec = {
  commandNames: ['extract'],
  help: () => help,
  subcommandOptions: {
    analyze: ['json', 'md', 'mermaid', 'identifier', 'no-cache'],
    plan: ['json', 'md', 'identifier', 'no-cache', 'input'],
    apply: ['json', 'identifier', 'no-cache', 'input', 'step', 'shared', 'shared-url'],
  },
  cliOptionsTypes: () => ({
    json: { type: 'boolean' },
    md: { type: 'boolean' },
    mermaid: { type: 'boolean' },
    identifier: { type: 'string', multiple: true },
    'no-cache': { type: 'boolean' },
    input: { type: 'string' },
    step: { type: 'string' },
    shared: { type: 'string' },
    'shared-url': { type: 'string' },
    'no-verify': { type: 'boolean' },
  }),
};

export default spec;
