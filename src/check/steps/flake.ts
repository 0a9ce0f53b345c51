// `nix flake check --no-build`: evaluates every output, including the checks
// that evaluate each module against nixpkgs. Needs the inputs; where they
// cannot be fetched (offline, no network in CI) it is reported as not run.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { nix, NixError } from '../../io/nix.js';
import { which } from '../../io/proc.js';
import { cannotRun, type CheckStep } from '../step.js';
import { UNREACHABLE } from '../capture.js';

export const flakeCheck: CheckStep = {
  id: 'flake',
  title: 'Flake evaluation (nix flake check --no-build)',
  async skipReason({ dir, io }) {
    if (!existsSync(join(dir, 'flake.nix'))) return cannotRun('no flake.nix here');
    if (!which('nix', io.env)) return cannotRun('nix is not installed');
    return null;
  },
  async run({ dir, io }) {
    try {
      const res = await nix(['flake', 'check', '--no-build', dir], {
        env: io.env,
        timeoutMs: 1_800_000,
      });
      return {
        status: 'pass',
        detail: 'every output evaluates',
        output: res.stderr.toString('utf8'),
      };
    } catch (error) {
      if (!(error instanceof NixError)) throw error;
      const last =
        error.stderr
          .trim()
          .split('\n')
          .filter((l) => l.startsWith('error:'))
          .at(-1) ?? error.message;
      if (UNREACHABLE.test(error.stderr)) {
        return {
          status: 'not run',
          detail: `inputs unreachable: ${last.replace(/^error:\s*/, '')}`,
          output: error.stderr,
        };
      }
      return { status: 'fail', detail: last, output: error.stderr };
    }
  },
};
