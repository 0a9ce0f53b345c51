// What `crossflake advise --help` and option parsing need; the handler is
// in command.ts, loaded only when advise runs.
import type { CommandSpec } from '../command.js';
import { NEEDS } from './needs.js';

const needList = Object.entries(NEEDS)
  .map(([k, v]) => `  ${k.padEnd(17)} ${v}`)
  .join('\n');

const spec: CommandSpec = {
  commandNames: ['advise'],
  help: () =>
    `Usage: crossflake advise [--need NEED ...] [--vm-system SYSTEM] [--flake REF] [--shell NAME] [--json]

Recommends a dev shell or a NixOS VM for your job, from what you need and
what this host can do. On a terminal with no --need it asks.

Needs:
${needList}

Options:
  --need NEED        What you need (repeat, or comma-separate)
  --vm-system SYS    Guest system for a VM (default: this host's native one)
  --flake REF        Flake with the dev shells and generic VMs (default: .)
  --shell NAME       Dev shell to enter (default: default)
  --facts FILE       Decide for a recorded HostFacts file
  --json             Print the recommendation as JSON
`,
  cliOptionsTypes: () => ({
    need: { type: 'string', multiple: true },
    'vm-system': { type: 'string' },
    flake: { type: 'string' },
    shell: { type: 'string' },
    facts: { type: 'string' },
    json: { type: 'boolean' },
  }),
};

export default spec;
