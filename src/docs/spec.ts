// What `crossflake docs --help` and option parsing need; the handler is
// in command.ts, loaded only when docs runs.
import type { CommandSpec } from '../command.js';

const help = `Usage: crossflake docs <generate|check|lint> [options] [paths...]

  generate   Print docs/PLATFORMS.md and docs/EXPORTS.md; --write writes them.
  check      Exit 1 with a diff when the committed generated docs are stale.
  lint       Check Markdown (default: README.md and docs/**/*.md) against the
             code: flake references, repository paths in backticks, and
             counts of exports stated in prose.

Options:
  --dir DIR   Repository root (default: current directory)
  --write     generate: write the files
  --force     generate: replace files that were not generated
  --json      Machine-readable output
`;

const spec: CommandSpec = {
  commandNames: ['docs'],
  help: () => help,
  subcommandOptions: {
    generate: ['dir', 'write', 'force', 'json'],
    check: ['dir', 'json'],
    lint: ['dir', 'json'],
  },
  cliOptionsTypes: () => ({
    dir: { type: 'string' },
    write: { type: 'boolean' },
    force: { type: 'boolean' },
    json: { type: 'boolean' },
  }),
};

export default spec;
