// Start-up and doctor speed (issue 2). Baselines measured in the same run:
// bare `node -e ''` (the floor for any Node CLI), `nix --version`, and the
// same host probes run one after another instead of at once.
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';

const RUNS = Number(process.env.BENCH_RUNS ?? 25);

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function timeProcess(cmd, args) {
  spawnSync(cmd, args); // warm the page cache
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const res = spawnSync(cmd, args, { stdio: 'ignore' });
    times.push(performance.now() - t);
    if (res.error) return null;
  }
  return median(times);
}

async function timeInProcess(fn) {
  await fn(); // warm-up: module loading and first spawn
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return median(times);
}

const fmt = (ms) => (ms === null ? 'n/a' : `${ms.toFixed(1)} ms`);
const node = process.execPath;

const bare = timeProcess(node, ['-e', '']);
const version = timeProcess(node, ['bin/crossflake.js', '--version']);
const nixVersion = timeProcess('nix', ['--version']);
const doctor = timeProcess(node, ['bin/crossflake.js', 'doctor', '--json']);

const { collectFacts } = await import('../dist/host.js');
const parallel = await timeInProcess(() => collectFacts());
const sequential = await timeInProcess(() => collectFacts({ sequential: true }));

console.log(`runs per figure: ${RUNS} (median)`);
console.log(`node -e ''                      ${fmt(bare)}`);
console.log(`nix --version                   ${fmt(nixVersion)}`);
console.log(
  `crossflake --version            ${fmt(version)}   ratio to bare node: ${(version / bare).toFixed(2)}x (target <= 1.3x)`,
);
console.log(
  `crossflake doctor --json        ${fmt(doctor)}   ratio to bare node: ${(doctor / bare).toFixed(2)}x`,
);
console.log(`probes at once (doctor)         ${fmt(parallel)}`);
console.log(`probes one after another        ${fmt(sequential)}`);
console.log(
  `doctor probes / sequential      ${(parallel / sequential).toFixed(2)}x (target <= 0.5x)`,
);
