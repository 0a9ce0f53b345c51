// Runs the built CLI (bin/crossflake.js -> dist/) the way a user does.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export const BIN = resolve('bin/crossflake.js');

if (!existsSync(resolve('dist/cli.js'))) {
  throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
}

/**
 * The shared flake the tests build on: a local path. sharedFlake has no
 * default, so every non-interactive init names one.
 */
export const LOCAL_FLAKE = 'path:/srv/shared-flake';

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function cli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): CliResult {
  const res = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: res.status, stdout: res.stdout, stderr: res.stderr };
}
