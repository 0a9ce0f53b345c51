// crossflake init beside `nix flake init -t` (issue 5 names it: the
// parameterless way to start from a template), for every template, with every
// parameter given (issue 18): both copy the template into an empty
// directory; crossflake also loads and checks the template, validates every
// value and renders, so the ratio is the price of the parameters.
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const TARGET = 2;
const work = mkdtempSync(join(tmpdir(), 'cf-bench-init-'));
const nixEnv = {
  ...process.env,
  NIX_CONFIG:
    'experimental-features = nix-command flakes\nsandbox = false\nsubstituters =\nbuild-users-group =',
};

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

let fresh = 0;
/** Median times of each runner into a fresh empty directory each time, interleaved; null if one failed. */
function timeBoth(runners) {
  const times = runners.map(() => []);
  for (let i = -1; i < RUNS; i++) {
    runners.forEach((run, k) => {
      const dir = join(work, `run-${fresh++}`);
      mkdirSync(dir);
      const t = performance.now();
      const res = run(dir);
      const ms = performance.now() - t;
      if (res.status !== 0) times[k] = null;
      else if (i >= 0 && times[k]) times[k].push(ms); // the first run warms caches
    });
  }
  return times.map((t) => (t ? median(t) : null));
}

// A flake whose only output is the real templates output.
const flake = join(work, 'flake');
mkdirSync(join(flake, 'nix'), { recursive: true });
cpSync('templates', join(flake, 'templates'), { recursive: true });
cpSync('nix/templates.nix', join(flake, 'nix', 'templates.nix'));
writeFileSync(
  join(flake, 'flake.nix'),
  '{ outputs = _: { templates = import ./nix/templates.nix; }; }\n',
);

const templates = readdirSync('templates').filter((t) => {
  try {
    readFileSync(join('templates', t, 'template.json'));
    return true;
  } catch {
    return false;
  }
});

const fmt = (ms) => (ms === null ? 'n/a' : `${ms.toFixed(1)} ms`);
console.log(`runs per figure: ${RUNS} (median, interleaved)`);
let over = 0;
for (const name of templates.sort()) {
  const spec = JSON.parse(readFileSync(join('templates', name, 'template.json'), 'utf8'));
  // Every parameter given: its default, or (sharedFlake has none) a local flake.
  const params = spec.parameters.flatMap((p) => [
    '-p',
    `${p.name}=${p.default ?? 'path:/srv/shared-flake'}`,
  ]);
  const [crossflake, nix] = timeBoth([
    (dir) =>
      spawnSync(
        process.execPath,
        ['bin/crossflake.js', 'init', name, dir, '--non-interactive', ...params],
        { stdio: 'ignore' },
      ),
    (dir) =>
      spawnSync('nix', ['flake', 'init', '-t', `path:${flake}#${name}`], {
        cwd: dir,
        env: nixEnv,
        stdio: 'ignore',
      }),
  ]);
  const ratio = crossflake !== null && nix !== null ? crossflake / nix : null;
  if (ratio === null || ratio > TARGET) over++;
  console.log(
    `${name.padEnd(11)} nix flake init -t ${fmt(nix).padStart(9)}   crossflake init (${spec.parameters.length} parameters) ${fmt(crossflake).padStart(9)}` +
      (ratio === null
        ? ''
        : `   ${ratio.toFixed(2)}x (target <= ${TARGET}x)${ratio <= TARGET ? ' ok' : ' OVER'}`),
  );
}
rmSync(work, { recursive: true, force: true });
console.log(over === 0 ? 'every template within target' : `${over} template(s) over target`);
