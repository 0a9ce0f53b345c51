// Process entry: wires the real process streams to the command table.
import type { Io } from './command.js';
import { run } from './cli.js';

const io: Io = {
  stdout: process.stdout,
  stderr: process.stderr,
  // A getter: making process.stdin loads Node's stream, fs-stream and
  // readline code, a fifth of bare Node's start-up; only a command that reads
  // its input (a prompt, `parse -`) should pay for it.
  get stdin() {
    return process.stdin;
  },
  env: process.env,
  cwd: process.cwd(),
};

// A reader that stops early (`crossflake ... | head`) closes the pipe; that is
// not an error of ours, so stop quietly instead of crashing on EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

run(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `crossflake: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 70;
  },
);
