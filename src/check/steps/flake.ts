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
    // The inputs first: when one cannot be fetched the evaluation is not run,
    // whatever error the evaluation would have met first (which depends on
    // the order Nix evaluates the outputs in).
    const fetched = await fetchInputs(dir, io.env);
    if (fetched) return fetched;
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
      const last = lastError(error);
      if (UNREACHABLE.test(error.stderr)) {
        return {
          status: 'not run',
          detail: `inputs unreachable: ${last.replace(/^error:\s*/, '')}`,
          output: error.stderr,
        };
      }
      return { status: 'fail', detail: `${last}${storeFileHint(last)}`, output: error.stderr };
    }
  },
};

/** `nix flake archive`: fetches every input (what the evaluation needs anyway); null when done. */
async function fetchInputs(dir: string, env: NodeJS.ProcessEnv) {
  try {
    await nix(['flake', 'archive', '--json', dir], { env, timeoutMs: 1_800_000 });
    return null;
  } catch (error) {
    if (!(error instanceof NixError) || !UNREACHABLE.test(error.stderr)) return null;
    return {
      status: 'not run' as const,
      detail: `inputs unreachable: ${lastError(error).replace(/^error:\s*/, '')}`,
      output: error.stderr,
    };
  }
}

/**
 * `nix flake check --no-build` evaluates in read-only mode: a file made during
 * evaluation (builtins.toFile, import from a derivation) is not written to
 * the store, so importing it fails with a message about the path, not about
 * the cause; and Nix before 2.18 refuses to import a toFile result in pure
 * evaluation at all. Name the cause and the fix.
 */
function storeFileHint(last: string): string {
  if (/path '\/nix\/store\/[^']*' is not valid/.test(last))
    return " (nix flake check --no-build writes nothing to the store, so a file made during evaluation, by builtins.toFile or a derivation, cannot be imported: keep it in the flake's source)";
  if (/access to absolute path '\/nix\/store\/[^']*' is forbidden in pure eval mode/.test(last))
    return " (Nix before 2.18 cannot import a builtins.toFile file in pure evaluation: upgrade Nix, or keep the file in the flake's source)";
  return '';
}

/** Nix's last `error:` line: the one that says what stopped it. */
function lastError(error: NixError): string {
  return (
    error.stderr
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('error:'))
      .at(-1) ?? error.message
  );
}
