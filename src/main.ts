// Process entry: wires the real process streams to the command table.
import type { Io } from './command.js';
import { run } from './cli.js';
import { directWriter, writesDirectly } from './io/stdio.js';

// A reader that stops early (`crossflake ... | head`) closes the pipe; that is
// not an error of ours, so stop quietly instead of crashing on EPIPE.
function closedQuietly(): void {
  process.exit(process.exitCode ?? 0);
}

const watched = new Set<NodeJS.WriteStream>();
/** process.stdout or stderr, made now (not before: see io/stdio.ts), EPIPE handled. */
function real(name: 'stdout' | 'stderr'): NodeJS.WriteStream {
  const stream = process[name];
  if (!watched.has(stream)) {
    watched.add(stream);
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') closedQuietly();
      throw error;
    });
  }
  return stream;
}

const out = writesDirectly(1) ? directWriter(1, () => real('stdout'), closedQuietly) : null;
const err = writesDirectly(2) ? directWriter(2, () => real('stderr'), closedQuietly) : null;

// Getters: making process.stdin loads Node's stream, fs-stream and readline
// code, a fifth of bare Node's start-up; only a command that reads its input
// (a prompt, `parse -`) should pay for it. The same for a terminal's stdout.
const io: Io = {
  get stdout() {
    return out ?? real('stdout');
  },
  get stderr() {
    return err ?? real('stderr');
  },
  get stdin() {
    return process.stdin;
  },
  env: process.env,
  cwd: process.cwd(),
};

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
