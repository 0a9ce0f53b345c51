// A `crossflake parse` worker thread (its own bundle entry, dist/parse-worker.js):
// takes file indexes from the counter it shares with the main thread until
// none are left, and posts back the outcome of every file that has a problem.
import { parentPort, workerData } from 'node:worker_threads';
import { checkFile, type CheckOutcome } from './check-file.js';
import type { WorkerInput, WorkerOutput } from './pool.js';

const input = workerData as WorkerInput;
const counter = new Int32Array(input.counter);
const results: [number, CheckOutcome][] = [];
let done = 0;
for (let i = Atomics.add(counter, 0, 1); i < input.paths.length; i = Atomics.add(counter, 0, 1)) {
  const outcome = checkFile(input.names[i]!, input.paths[i]!, input.pipes);
  done++;
  // A clean file needs no message: the main thread counts it as clean.
  if (!outcome.ok || outcome.count > 0) results.push([i, outcome]);
}
const output: WorkerOutput = { results, done };
parentPort!.postMessage(output);
