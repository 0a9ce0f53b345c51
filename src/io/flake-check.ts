// `nix flake check --no-build`, only when Nix is installed and the flake's
// inputs can be fetched; otherwise the step says why it was not checked.
import { nix, NixError } from './nix.js';
import { which } from './proc.js';

export interface CheckResult {
  status: 'passed' | 'failed' | 'skipped';
  note: string;
}

const FLAGS = ['--extra-experimental-features', 'nix-command flakes', '--no-write-lock-file'];

function lastLine(error: unknown): string {
  const text = error instanceof NixError ? error.stderr : String(error);
  const lines = text.trim().split('\n').filter(Boolean);
  return (
    lines.filter((l) => l.startsWith('error:')).at(-1) ??
    lines.at(-1) ??
    'unknown error'
  ).replace(/^error:\s*/, '');
}

export async function flakeCheck(dir: string, env: NodeJS.ProcessEnv): Promise<CheckResult> {
  if (!which('nix', env)) return { status: 'skipped', note: 'nix is not installed' };
  try {
    // Fetching the inputs is the reachability test: offline, this fails fast.
    // One attempt, short connect timeout: a probe, not a download.
    const probe = ['--option', 'download-attempts', '1', '--option', 'connect-timeout', '5'];
    await nix(['flake', 'metadata', '--json', ...FLAGS, ...probe, `path:${dir}`], {
      env,
      timeoutMs: 60_000,
    });
  } catch (error) {
    return { status: 'skipped', note: `inputs not reachable (offline?): ${lastLine(error)}` };
  }
  try {
    await nix(['flake', 'check', '--no-build', ...FLAGS, `path:${dir}`], {
      env,
      timeoutMs: 600_000,
    });
    return { status: 'passed', note: 'nix flake check --no-build passed' };
  } catch (error) {
    return { status: 'failed', note: `nix flake check --no-build: ${lastLine(error)}` };
  }
}
