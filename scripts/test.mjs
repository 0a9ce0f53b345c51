// `npm test`: runs vitest, then prints one plain summary line
// ("tests: N passed, N failed, N skipped") that any CI log reader can count,
// and exits with vitest's own exit code. `--label L` names the line (the
// Windows lane prints "windows: ..."); other arguments go to vitest.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'crossflake-vitest-'));
const report = join(dir, 'report.json');
const vitest = join('node_modules', 'vitest', 'vitest.mjs');
const passed = process.argv.slice(2);
const at = passed.indexOf('--label');
const label = at === -1 ? 'tests' : passed.splice(at, 2)[1];
const args = [
  vitest,
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${report}`,
  ...passed,
];
const res = spawnSync(process.execPath, args, { stdio: 'inherit' });
try {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  console.log(
    `${label}: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`,
  );
} catch {
  console.log(`${label}: no report (vitest did not finish)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exit(res.status ?? 1);
