// Runs a program and waits for it without blocking the test worker. A
// spawnSync that lasts over a minute (a VM boot, a Nix build on a loaded
// machine) keeps vitest's worker from answering its runner, which then
// reports "Timeout calling onTaskUpdate" and fails a run whose tests passed.
import { spawn } from 'node:child_process';

export interface AsyncResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runAsync(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {},
): Promise<AsyncResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}
