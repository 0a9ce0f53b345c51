// The secret scan of `extract analyze` on a thread of its own (its own bundle
// entry, dist/extract-secret-worker.js; see secret-scan.ts). It needs only
// each file's bytes, no syntax tree, so it runs beside the analysis, which
// picks the findings up per file. Files are scanned in order; after each,
// the count of files done is raised, once the file's findings (if any) have
// been posted.
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { scanSecrets } from '../secrets/index.js';
import type { ScanInput } from './secret-scan.js';
import { fileCount, fileOf } from './shared-files.js';

const input = workerData as ScanInput;
const done = new Int32Array(input.progress);
const port = input.port as MessagePort;
try {
  for (let i = 0; i < fileCount(input); i++) {
    const found = scanSecrets(fileOf(input, i));
    if (found.length > 0) port.postMessage([i, found]);
    Atomics.store(done, 0, i + 1);
    Atomics.notify(done, 0);
  }
} catch {
  // The analysis scans what is left itself.
  Atomics.store(done, 1, 1);
  Atomics.notify(done, 0);
}
port.close();
parentPort?.close();
