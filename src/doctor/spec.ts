// What `crossflake doctor --help` and option parsing need; the handler is
// in command.ts, loaded only when doctor runs.
import type { CommandSpec } from '../command.js';

const spec: CommandSpec = {
  commandNames: ['doctor'],
  help: () =>
    `Usage: crossflake doctor [--json] [--facts FILE] [--policy FILE | --no-policy] [--save-facts FILE [--force]]

Finds this machine's row of the support matrix and checks what Nix,
WSL/macOS and the hardware need. Works before Nix is installed. A team's
health policy (the \`health\` section of crossflake.json, found in the current
directory or above it) adds checks of its own, marked (team).

Options:
  --json             Print the report (and the facts) as JSON
  --facts FILE       Check a recorded HostFacts file instead of this machine
  --policy FILE      Take the team policy from FILE (default: the nearest crossflake.json)
  --no-policy        Run crossflake's own checks only
  --save-facts FILE  Write this machine's facts, with user and host names redacted
  --force            Let --save-facts replace an existing file

Exit codes: 0 ready (warnings allowed), 1 a required check failed, 2 bad input.
`,
  cliOptionsTypes: () => ({
    json: { type: 'boolean' },
    facts: { type: 'string' },
    policy: { type: 'string' },
    'no-policy': { type: 'boolean' },
    'save-facts': { type: 'string' },
    force: { type: 'boolean' },
  }),
};

export default spec;
