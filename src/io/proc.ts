// Runs programs with argument arrays, never through a shell, so no user input
// can be read as shell syntax. Output is kept as bytes: some programs (wsl.exe)
// print UTF-16LE and the caller decides how to decode.
import { spawn } from 'node:child_process';
import { delimiter, join } from 'node:path';
import { accessSync, constants, statSync } from 'node:fs';

export interface RunOptions {
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  input?: string | Buffer;
  /**
   * For a program the user watches: its output is also written here as it
   * comes (and still kept for the error message), and stdin is the user's
   * (sudo asks for a password there) unless `input` is given.
   */
  echo?: { write(chunk: Buffer | string): unknown };
}

export interface RunResult {
  /** Exit code, or null when the program could not start or was killed. */
  code: number | null;
  stdout: Buffer;
  stderr: Buffer;
  /** Why there is no exit code: "not-found", "timeout", or the spawn error. */
  failure: 'not-found' | 'timeout' | string | null;
}

export function run(
  command: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<RunResult> {
  return new Promise((resolve) => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let failure: RunResult['failure'] = null;
    const child = spawn(command, args, {
      env: options.env ?? process.env,
      cwd: options.cwd,
      stdio: [
        options.input !== undefined ? 'pipe' : options.echo ? 'inherit' : 'ignore',
        'pipe',
        'pipe',
      ],
      windowsHide: options.echo === undefined,
      shell: false,
    });
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            failure = 'timeout';
            child.kill('SIGKILL');
          }, options.timeoutMs);
    const keep = (into: Buffer[]) => (chunk: Buffer) => {
      into.push(chunk);
      options.echo?.write(chunk);
    };
    child.stdout?.on('data', keep(out));
    child.stderr?.on('data', keep(err));
    child.on('error', (error: NodeJS.ErrnoException) => {
      failure = error.code === 'ENOENT' ? 'not-found' : error.message;
    });
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolve({
        code: failure ? null : code,
        stdout: Buffer.concat(out),
        stderr: Buffer.concat(err),
        failure,
      });
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

/** Text of a successful run, or an Error describing why it failed. */
export function textOf(result: RunResult, what: string): string {
  if (result.code === 0) return result.stdout.toString('utf8');
  const why =
    result.failure ??
    `exit ${result.code}: ${result.stderr.toString('utf8').trim().split('\n').at(-1) ?? ''}`;
  throw new Error(`${what}: ${why}`);
}

/**
 * Finds a program on PATH without spawning anything (cheap, and lets a probe
 * say "not installed" without waiting on a process).
 */
export function which(
  name: string,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string | null {
  const path = env.PATH ?? env.Path ?? '';
  const exts = platform === 'win32' ? windowsExtensions(name, env) : [''];
  for (const dir of path.split(platform === 'win32' ? ';' : delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const candidate = join(dir, name + ext);
      if (isExecutable(candidate, platform)) return candidate;
    }
  }
  return null;
}

// Windows looks a name up as given when it already ends in one of PATHEXT's
// extensions (`wsl.exe`), and with each extension appended otherwise.
function windowsExtensions(name: string, env: NodeJS.ProcessEnv): string[] {
  const exts = (env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM').split(';').filter(Boolean);
  const lower = name.toLowerCase();
  return exts.some((ext) => lower.endsWith(ext.toLowerCase())) ? [''] : exts;
}

function isExecutable(file: string, platform: NodeJS.Platform): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    if (platform !== 'win32') accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
