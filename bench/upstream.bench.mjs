// Issue 20's speed bar, on real Nix: every .nix file under ../shared/upstream
// (nixpkgs' lib, home-manager, nix-darwin, NixOS-WSL ...), as whole
// processes with their start-up included:
//   nix-instantiate --parse <files>         (the baseline, one process)
//   crossflake parse <files>                (must be >= 1.0x the baseline)
//   crossflake extract analyze <tree> --no-cache  (must be >= 0.5x)
// Three rounds, each timing all three back to back, so a busy machine
// slows all of them alike; the verdict is on the best time of each.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const upstream = join(root, '../shared/upstream');
// The command users run (bin/crossflake.js, as every other bench), not the
// bundle behind it.
const cli = join(root, 'bin/crossflake.js');
const ROUNDS = 3;

if (!existsSync(upstream)) {
  console.log(`no ${upstream}: nothing to measure`);
  process.exit(1);
}

function nixFiles(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== '.git') out.push(...nixFiles(p));
    else if (entry.isFile() && entry.name.endsWith('.nix')) out.push(relative(upstream, p));
  }
  return out.sort();
}

const env = {
  ...process.env,
  NIX_CONFIG:
    'experimental-features = nix-command flakes\nsandbox = false\nsubstituters =\nbuild-users-group =',
};

// On a shared machine wall time swings with the load; the CPU time each
// process used (from GNU time, where installed) does not, so it is shown too.
const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
const cpuFile = join(mkdtempSync(join(tmpdir(), 'cf-bench-')), 'cpu');

function timed(command, args) {
  const argv = gnuTime ? ['-f', '%U %S', '-o', cpuFile, command, ...args] : args;
  const t0 = process.hrtime.bigint();
  const res = spawnSync(gnuTime ?? command, argv, { cwd: upstream, env, maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (res.status !== 0) {
    console.log(
      `${command} ${args[0]} failed (${res.status}): ${res.stderr?.toString().slice(0, 300)}`,
    );
    process.exit(1);
  }
  const cpu = gnuTime
    ? readFileSync(cpuFile, 'utf8')
        .trim()
        .split(/\s+/)
        .slice(-2)
        .reduce((a, b) => a + Number(b) * 1000, 0)
    : NaN;
  return { ms, cpu };
}

const files = nixFiles(upstream);
console.log(`corpus: ${files.length} .nix files under ../shared/upstream`);
const best = { nix: Infinity, parse: Infinity, analyze: Infinity };
const cpu = { nix: Infinity, parse: Infinity, analyze: Infinity };
const show = (t, base) =>
  `${t.ms.toFixed(0)} ms (${(base.ms / t.ms).toFixed(2)}x; cpu ${t.cpu.toFixed(0)} ms, ${(base.cpu / t.cpu).toFixed(2)}x)`;
for (let round = 1; round <= ROUNDS; round++) {
  const nix = timed('nix-instantiate', ['--parse', ...files]);
  const parse = timed(process.execPath, [cli, 'parse', ...files]);
  const analyze = timed(process.execPath, [cli, 'extract', 'analyze', '.', '--no-cache', '--json']);
  for (const [k, t] of Object.entries({ nix, parse, analyze })) {
    best[k] = Math.min(best[k], t.ms);
    cpu[k] = Math.min(cpu[k], t.cpu);
  }
  console.log(
    `round ${round}: nix-instantiate --parse ${nix.ms.toFixed(0)} ms (cpu ${nix.cpu.toFixed(0)} ms); crossflake parse ${show(parse, nix)}; extract analyze --no-cache ${show(analyze, nix)}`,
  );
}
if (gnuTime)
  console.log(
    `best cpu: crossflake parse ${(cpu.nix / cpu.parse).toFixed(2)}x, extract analyze ${(cpu.nix / cpu.analyze).toFixed(2)}x`,
  );
const parseRatio = best.nix / best.parse;
const analyzeRatio = best.nix / best.analyze;
console.log(`best: crossflake parse ${parseRatio.toFixed(2)}x nix-instantiate --parse (bar 1.0x)`);
console.log(`best: extract analyze --no-cache ${analyzeRatio.toFixed(2)}x (bar 0.5x)`);
process.exitCode = parseRatio >= 1 && analyzeRatio >= 0.5 ? 0 : 1;
