// Checks many files on the main thread and, when the input is big enough to
// pay for one, on a worker thread too. Both take file indexes from one shared
// counter, so a busy core never leaves the other waiting; each file's outcome
// lands at its own index, so the output is the same in any split.
//
// The worker is started lazily: only once the main thread has read
// START_AFTER_BYTES and enough bytes are left that the worker's start-up
// (its own isolate, loading the parser, warming its own JIT) is paid back,
// and only while a core is idle. Small inputs never start one.
import { availableParallelism, loadavg } from 'node:os';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { checkFile, type CheckOutcome } from './check-file.js';

/** What the main thread hands a worker. */
export interface WorkerInput {
  names: string[];
  paths: string[];
  pipes: boolean;
  counter: SharedArrayBuffer;
}

/** What a worker posts back once the counter runs out: only files with problems. */
export interface WorkerOutput {
  results: [number, CheckOutcome][];
  done: number;
}

/**
 * Bytes the main thread reads on its own before a worker may join. A cold
 * run keeps the second core busy by itself: V8 compiles the parser there
 * while the main thread runs it. Over 1,672 files (5 MB) a worker started
 * after 256 KiB cost 0.3 s more CPU than it saved, and more wall time on two
 * cores: it warms a JIT of its own while the main thread's is still warming.
 */
export const START_AFTER_BYTES = 4 * 1024 * 1024;
/** Bytes (estimated from the files read so far) that must be left for a worker to pay back. */
export const MIN_BYTES_LEFT = 16 * 1024 * 1024;

/** Whether a worker pays for itself, after `done` files of `read` bytes with `left` files to go. */
export function workerPays(read: number, done: number, left: number): boolean {
  if (read < START_AFTER_BYTES || done === 0) return false;
  return (read / done) * left >= MIN_BYTES_LEFT;
}

export interface PoolOptions {
  pipes: boolean;
  /** The built worker script; null runs everything on the main thread. */
  workerUrl: URL | null;
  /** Start the worker before the first file, whatever the input, cores and load (for tests). */
  force?: boolean;
  /** False: the main thread only waits, the worker checks every file (for tests). */
  mainShare?: boolean;
}

export interface PoolResult {
  outcomes: CheckOutcome[];
  /** Files the worker checked (0 when none was started). */
  byWorker: number;
}

const CLEAN: CheckOutcome = { ok: true, problems: '', count: 0, bytes: 0 };

/** dist/parse-worker.js next to the running bundle, if this is one. */
export function builtWorker(from: string): URL | null {
  for (const rel of ['./parse-worker.js', '../parse-worker.js']) {
    const url = new URL(rel, from);
    if (existsSync(fileURLToPath(url))) return url;
  }
  return null;
}

// The main thread's JS stack (V8's default --stack-size, 984 KiB): a worker
// gets the same, so a deeply nested file meets the same limit on either.
const MAIN_STACK_MB = 984 / 1024;

function startWorker(url: URL, input: WorkerInput): Promise<WorkerOutput | null> {
  // Loaded only for a worker: node:worker_threads costs about 7 ms to load,
  // and most runs start none. (Synchronously: the main thread's loop never
  // yields, so an awaited import would only start the worker after it.)
  const threads = createRequire(import.meta.url)(
    'node:worker_threads',
  ) as typeof import('node:worker_threads');
  return new Promise((done) => {
    const worker = new threads.Worker(url, {
      workerData: input,
      resourceLimits: { stackSizeMb: MAIN_STACK_MB },
      stdout: false,
      stderr: false,
    });
    let output: WorkerOutput | null = null;
    worker.on('message', (m: WorkerOutput) => (output = m));
    // A worker that fails is not fatal: the main thread checks what it left.
    worker.on('error', () => undefined);
    worker.on('exit', () => done(output));
  });
}

/**
 * A worker only pays when a core would otherwise sit idle: on a machine whose
 * cores are all busy it adds its start-up and its own JIT warm-up to the CPU
 * time the process has to win from the others. (Windows reports no load: 0.)
 */
function coreIsIdle(): boolean {
  const cores = availableParallelism();
  return cores > 1 && loadavg()[0]! < cores - 0.5;
}

export async function checkFiles(
  names: string[],
  paths: string[],
  options: PoolOptions,
): Promise<PoolResult> {
  const n = paths.length;
  const outcomes: (CheckOutcome | undefined)[] = new Array(n);
  const counter = new SharedArrayBuffer(4);
  const next = new Int32Array(counter);
  const force = options.force === true;
  // Asked once: the load average is a file read on Linux.
  const usable = options.workerUrl !== null && (force || coreIsIdle());
  let worker = null as Promise<WorkerOutput | null> | null;
  const start = (): void => {
    worker = startWorker(options.workerUrl!, { names, paths, pipes: options.pipes, counter });
  };

  let read = 0;
  let done = 0;
  if (usable && force) start();
  if (options.mainShare !== false || !worker) {
    for (let i = Atomics.add(next, 0, 1); i < n; i = Atomics.add(next, 0, 1)) {
      const outcome = checkFile(names[i]!, paths[i]!, options.pipes);
      outcomes[i] = outcome;
      done++;
      if (outcome.ok) read += outcome.bytes;
      if (usable && !worker && workerPays(read, done, n - i - 1)) start();
    }
  }
  let byWorker = 0;
  const output = worker ? await worker : null;
  if (output) {
    byWorker = output.done;
    for (const [i, outcome] of output.results) outcomes[i] = outcome;
  }
  for (let i = 0; i < n; i++) {
    if (outcomes[i]) continue;
    // Left by a worker that finished (clean), or by one that failed (check again).
    outcomes[i] = output ? CLEAN : checkFile(names[i]!, paths[i]!, options.pipes);
  }
  return { outcomes: outcomes as CheckOutcome[], byWorker };
}
