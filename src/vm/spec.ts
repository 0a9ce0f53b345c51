// What `crossflake vm --help` and option parsing need; the handler is
// in command.ts, loaded only when vm runs.
import type { CommandSpec } from '../command.js';
import { DEFAULT_MARKER } from './console.js';

const HELP = `Usage: crossflake vm <list|run|test> [options]

  crossflake vm list [--flake REF] [--json]
      The flake's NixOS configurations with a VM runner, the system each
      needs, and whether this host runs it natively, emulated or not at all.

  crossflake vm run <name> [--flake REF] [--gui] [--keep]
      Builds the VM and boots it with the serial console on this terminal,
      SSH forwarded to a free local port (printed). Ctrl-C powers it off.

  crossflake vm test <name> [--expect TEXT]... [--run CMD]... [--timeout S]
      Boots headless, waits for the boot marker (or each --expect text),
      runs each --run command in the guest's console shell and checks its
      exit status, powers off, and reports each step. Exit 1 on any failure.

Options:
  --flake REF              Flake with nixosConfigurations (default: .)
  --facts FILE             Decide for a recorded HostFacts file (list only)
  --gui                    Open QEMU's window instead of the serial console (run)
  --keep                   Keep the state folder (disk image, console log)
  --expect TEXT            Console text to wait for, in order (test; default: "${DEFAULT_MARKER}")
  --run CMD                Command to run in the guest (test; repeatable)
  --timeout S              Seconds for the boot and for each command (test; default: 600)
  --log FILE               Keep the whole console log here (test; default: in the state folder)
  --poweroff-timeout S     Seconds to wait for a clean power-off before stopping QEMU (default: 60)
  --json                   Machine-readable output (list, test)
`;

const spec: CommandSpec = {
  commandNames: ['vm'],
  help: () => HELP,
  subcommandOptions: {
    list: ['flake', 'facts', 'json'],
    run: ['flake', 'gui', 'keep', 'poweroff-timeout'],
    test: ['flake', 'keep', 'expect', 'run', 'timeout', 'log', 'poweroff-timeout', 'json'],
  },
  cliOptionsTypes: () => ({
    flake: { type: 'string' },
    facts: { type: 'string' },
    gui: { type: 'boolean' },
    keep: { type: 'boolean' },
    expect: { type: 'string', multiple: true },
    run: { type: 'string', multiple: true },
    timeout: { type: 'string' },
    log: { type: 'string' },
    'poweroff-timeout': { type: 'string' },
    json: { type: 'boolean' },
  }),
};

export default spec;
