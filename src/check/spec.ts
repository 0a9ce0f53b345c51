// What `crossflake check --help` and option parsing need; the handler is
// in command.ts, loaded only when check runs.
import type { CommandSpec } from '../command.js';

/**
 * The ids of steps/index.ts's checkSteps, in order, written out so that help
 * and completion need not load the steps (test/check/spec.test.ts keeps them equal).
 */
export const STEP_IDS = ['flake', 'templates', 'docs-check', 'docs-lint', 'ci', 'leaks'] as const;
const ids: readonly string[] = STEP_IDS;

const spec: CommandSpec = {
  commandNames: ['check'],
  help: () => `Usage: crossflake check [--dir DIR] [--only STEP ...] [--allow-skip STEP ...] [--vm NAME ...] [--json]

Runs, in order: ${ids.join(', ')}.
A step that could not run (no flake.nix, nix missing, Nix inputs unreachable)
is reported as not run, with why, and fails the check unless --allow-skip
names it. A step with nothing to do here by design (no templates, no
workflows, no generated docs) is reported as not applicable.
Exit 1 if a step that ran failed or a step could not run.

Options:
  --dir DIR          Repository root (default: current directory)
  --only STEP        Run only these steps (repeat, or comma-separate)
  --allow-skip STEP  These steps may be not run without failing (repeat, or comma-separate)
  --vm NAME          Also boot this VM and smoke-test it (crossflake vm test; never by default)
  --json             Machine-readable summary
`,
  cliOptionsTypes: () => ({
    dir: { type: 'string' },
    only: { type: 'string', multiple: true },
    'allow-skip': { type: 'string', multiple: true },
    vm: { type: 'string', multiple: true },
    json: { type: 'boolean' },
  }),
};

export default spec;
