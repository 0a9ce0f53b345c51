// Runs every bench/*.bench.mjs in turn. Each benchmark measures crossflake and
// the baseline its issue names in the same run and prints the ratio. They run
// on Node 24 (the newest maintained line) when .ci/run has put it in
// .cache/node/24, else on this Node, saying so.
import { existsSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.mjs'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
const node24 = fileURLToPath(new URL('../.cache/node/24/bin/node', import.meta.url));
const node = existsSync(node24) ? node24 : process.execPath;
const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
console.log(
  `benchmarks on Node ${version}${node === node24 ? '' : ' (no .cache/node/24: run .ci/run once for Node 24)'}`,
);
let failed = 0;
for (const file of files) {
  console.log(`\n## ${file}`);
  const res = spawnSync(node, [`${dir}${file}`], { stdio: 'inherit' });
  if (res.status !== 0) failed++;
}
process.exitCode = failed ? 1 : 0;
