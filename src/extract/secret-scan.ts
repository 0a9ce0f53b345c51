// Runs the secret scan of a large analysis on a worker thread
// (secret-worker.ts) while the main thread parses and runs the other rules.
// The scan needs only the bytes and is mostly regular expressions, so unlike
// parsing it pays little for a second thread's JIT warm-up; on the upstream
// tree it was a fifth of the main thread's time.
//
// The analysis is synchronous, so findings are picked up without the event
// loop: the worker raises a shared count of files done, the main thread
// waits on it (Atomics.wait) and takes the posted findings off the port
// (receiveMessageOnPort). A worker that fails, or makes no progress for
// `stallMs`, is given up: the analysis then scans the rest itself, with the
// same detector, so the report is the same either way.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import {
  MessageChannel,
  receiveMessageOnPort,
  Worker,
  type MessagePort,
} from 'node:worker_threads';
import type { SecretFinding } from '../secrets/index.js';
import { sharedFiles, type SharedFiles } from './shared-files.js';

/** What the worker gets. `progress`: [files done, 1 once it has failed]. */
export interface ScanInput extends SharedFiles {
  progress: SharedArrayBuffer;
  port: MessagePort;
}

/** The findings in file `index`, or null when the caller must scan it itself. */
export type SecretLookup = (index: number) => SecretFinding[] | null;

export interface SecretScan {
  lookup: SecretLookup;
  /** Ends the worker (it may still be scanning files nobody asked for). */
  stop(): void;
}

export interface ScanOptions {
  /** Start the worker whatever the input's size and the machine's load (tests). */
  force?: boolean;
  /** How long to wait for the next file before giving the worker up. */
  stallMs?: number;
}

// Below this a worker's start-up costs more than the scan it takes over.
const MIN_BYTES = 1 << 20;
const MIN_FILES = 200;

/** dist/extract-secret-worker.js next to the running bundle, if this is one. */
export function builtSecretWorker(from: string): URL | null {
  for (const rel of ['./extract-secret-worker.js', '../extract-secret-worker.js']) {
    const url = new URL(rel, from);
    if (existsSync(fileURLToPath(url))) return url;
  }
  return null;
}

export function startSecretScan(
  files: Uint8Array[],
  url: URL | null,
  options: ScanOptions = {},
): SecretScan | null {
  if (url === null) return null;
  const bytes = files.reduce((n, f) => n + f.byteLength, 0);
  // Even on a busy machine: the scan moves to the other thread rather than
  // adding work (the process's CPU time stays the same, the main thread's
  // drops by the scan's). One core has no other thread to give it to.
  const small = files.length < MIN_FILES || bytes < MIN_BYTES;
  if (!options.force && (small || availableParallelism() < 2)) return null;
  const progress = new SharedArrayBuffer(8);
  const state = new Int32Array(progress);
  const { port1, port2 } = new MessageChannel();
  const input: ScanInput = { ...sharedFiles(files), progress, port: port2 };
  const worker = new Worker(url, {
    workerData: input,
    transferList: [port2],
    stdout: false,
    stderr: false,
  });
  // A worker that fails is not fatal: lookups time out or see the flag.
  worker.on('error', () => undefined);
  worker.unref();
  const stallMs = options.stallMs ?? 5000;
  const found = new Map<number, SecretFinding[]>();
  // Whether file `index` is done; false once the worker failed or stalled.
  const ready = (index: number): boolean => {
    for (;;) {
      const seen = Atomics.load(state, 0);
      if (seen > index) return true;
      if (Atomics.load(state, 1) === 1) return false;
      if (Atomics.wait(state, 0, seen, stallMs) === 'timed-out') return false;
    }
  };
  let failed = false;
  const lookup: SecretLookup = (index) => {
    if (failed || !ready(index)) {
      failed = true;
      return null;
    }
    for (let m = receiveMessageOnPort(port1); m; m = receiveMessageOnPort(port1)) {
      const [i, findings] = m.message as [number, SecretFinding[]];
      found.set(i, findings);
    }
    return found.get(index) ?? [];
  };
  return {
    lookup,
    stop() {
      port1.close();
      void worker.terminate();
    },
  };
}
