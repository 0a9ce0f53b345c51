// Start-up speed (issue 18, "Must show"): each figure beside bare `node -e ''`
// measured in the same run, as a ratio with its target. --version and every
// command's --help must stay thin; init --list reads the templates.
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';

const RUNS = Number(process.env.BENCH_RUNS ?? 25);
const node = process.execPath;
const bin = 'bin/crossflake.js';

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

// Interleaved rounds: each round runs every command once, so a burst of load
// on a shared machine slows all figures alike instead of one of them.
function timeAll(cases) {
  for (const c of cases) spawnSync(c.cmd, c.args, { stdio: 'ignore' }); // warm the page cache
  const times = cases.map(() => []);
  for (let i = 0; i < RUNS; i++) {
    cases.forEach((c, k) => {
      const t = performance.now();
      const res = spawnSync(c.cmd, c.args, { stdio: 'ignore' });
      times[k].push(performance.now() - t);
      if (res.status !== 0) c.failed = true;
    });
  }
  return times.map(median);
}

const commands = spawnSync(node, [bin, '--help'], { encoding: 'utf8' })
  .stdout.split('\n')
  .map((l) => /^ {2}([a-z-]+) {2,}\S/.exec(l)?.[1])
  .filter(Boolean);

const cases = [
  { label: "node -e ''", cmd: node, args: ['-e', ''] },
  { label: 'crossflake --version', cmd: node, args: [bin, '--version'], target: 1.2 },
  ...commands.map((name) => ({
    label: `crossflake ${name} --help`,
    cmd: node,
    args: [bin, name, '--help'],
    target: 1.3,
  })),
  { label: 'crossflake init --list', cmd: node, args: [bin, 'init', '--list'], target: 1.5 },
];
const times = timeAll(cases);
const bare = times[0];
console.log(`runs per figure: ${RUNS} (median, interleaved)`);
let over = 0;
cases.forEach((c, k) => {
  const ratio = times[k] / bare;
  const verdict = c.target === undefined ? '' : ratio <= c.target ? ' ok' : ' OVER';
  if (c.target !== undefined && ratio > c.target) over++;
  console.log(
    `${c.label.padEnd(32)} ${times[k].toFixed(1).padStart(7)} ms` +
      (c.target === undefined
        ? ''
        : `   ${ratio.toFixed(2)}x bare node (target <= ${c.target}x)${verdict}`) +
      (c.failed ? '   (exited non-zero)' : ''),
  );
});
console.log(over === 0 ? 'all start-up figures within target' : `${over} figure(s) over target`);
