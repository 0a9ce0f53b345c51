// crossflake init beside `nix flake init -t` (issue 5 names it: the
// parameterless way to start from a template). Both copy the bare-metal
// template into an empty directory; crossflake also loads and checks the
// template, collects host facts and git config for defaults, validates every
// value and renders, so the ratio is the price of the parameters.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
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

/** Median time of `run(dir)` into a fresh empty directory each time; null if it failed. */
function time(label, run) {
  const times = [];
  for (let i = -1; i < RUNS; i++) {
    const dir = join(work, `${label}-${i + 1}`);
    mkdirSync(dir);
    const t = performance.now();
    const res = run(dir);
    const ms = performance.now() - t;
    if (res.status !== 0) return null;
    if (i >= 0) times.push(ms); // the first run warms caches
  }
  return median(times);
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

const crossflake = time('cf', (dir) =>
  spawnSync(
    process.execPath,
    ['bin/crossflake.js', 'init', 'bare-metal', dir, '--non-interactive'],
    {
      stdio: 'ignore',
    },
  ),
);
const nix = time('nix', (dir) =>
  spawnSync('nix', ['flake', 'init', '-t', `path:${flake}#bare-metal`], {
    cwd: dir,
    env: nixEnv,
    stdio: 'ignore',
  }),
);
rmSync(work, { recursive: true, force: true });

const fmt = (ms) => (ms === null ? 'n/a' : `${ms.toFixed(1)} ms`);
console.log(`runs per figure: ${RUNS} (median)`);
console.log(`nix flake init -t .#bare-metal              ${fmt(nix)}`);
console.log(
  `crossflake init bare-metal --non-interactive ${fmt(crossflake)}` +
    (crossflake !== null && nix !== null
      ? `   ratio to nix flake init: ${(crossflake / nix).toFixed(2)}x`
      : ''),
);
