// Shared set-up for tests that run the real Nix (Debian's nix-bin 2.8 in CI).
// Nix runs offline: no substituters, no sandbox, no build users, so small
// fixture flakes with `builder = "/bin/sh"` build anywhere.
import { execFileSync } from 'node:child_process';

export const NIX_OFFLINE_CONFIG = [
  'experimental-features = nix-command flakes',
  'sandbox = false',
  'substituters =',
  'build-users-group =',
].join('\n');

/** Environment for a child process that runs nix offline. */
export function nixEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, NIX_CONFIG: NIX_OFFLINE_CONFIG, ...extra };
}

function probeNixVersion(): string | null {
  try {
    return execFileSync('nix', ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

/** "nix (Nix) 2.8.0", or null when nix is not installed. */
export const nixVersion = probeNixVersion();

/**
 * Suffix for describe/it names of tests that need nix: the skip reason shows
 * in the report instead of a silent pass.
 */
export const needsNix = nixVersion
  ? ''
  : ' (skipped: nix is not installed; .ci/run installs nix-bin)';
