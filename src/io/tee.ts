// Runs a program the user watches: its output streams to our terminal as it
// comes and is kept for the error message; stdin is the user's (sudo asks for
// a password there) unless we feed it. Argument arrays only, never a shell.
import { spawn } from 'node:child_process';
import type { RunResult } from './proc.js';

export interface TeeOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  input?: string;
  out: { write(chunk: Buffer | string): unknown };
  err: { write(chunk: Buffer | string): unknown };
}

export function runTee(
  command: string,
  args: readonly string[],
  options: TeeOptions,
): Promise<RunResult> {
  return new Promise((resolve) => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let failure: RunResult['failure'] = null;
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: [options.input === undefined ? 'inherit' : 'pipe', 'pipe', 'pipe'],
      shell: false,
      windowsHide: false,
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      out.push(chunk);
      options.out.write(chunk);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      err.push(chunk);
      options.err.write(chunk);
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      failure = error.code === 'ENOENT' ? 'not-found' : error.message;
    });
    child.on('close', (code) =>
      resolve({
        code: failure ? null : code,
        stdout: Buffer.concat(out),
        stderr: Buffer.concat(err),
        failure,
      }),
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}
