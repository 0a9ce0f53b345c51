// Issue 20's speed bar, on real Nix: every .nix file under ../shared/upstream
// (nixpkgs' lib, home-manager, nix-darwin, NixOS-WSL ...), as whole
// processes with their start-up included:
//   nix-instantiate --parse <files>         (the baseline, one process)
//   crossflake parse <files>                (must be >= 1.0x the baseline)
//   crossflake extract analyze <tree> --no-cache  (must be >= 0.5x)
// Three rounds, each timing all three back to back, so a busy machine
// slows all of them alike; the verdict is on the best time of each.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const upstream = join(root, '../shared/upstream');
const cli = join(root, 'dist/cli.js');
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

function timed(command, args) {
  const t0 = process.hrtime.bigint();
  const res = spawnSync(command, args, { cwd: upstream, env, maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (res.status !== 0) {
    console.log(
      `${command} ${args[0]} failed (${res.status}): ${res.stderr?.toString().slice(0, 300)}`,
    );
    process.exit(1);
  }
  return ms;
}

const files = nixFiles(upstream);
console.log(`corpus: ${files.length} .nix files under ../shared/upstream`);
const best = { nix: Infinity, parse: Infinity, analyze: Infinity };
for (let round = 1; round <= ROUNDS; round++) {
  const nix = timed('nix-instantiate', ['--parse', ...files]);
  const parse = timed(process.execPath, [cli, 'parse', ...files]);
  const analyze = timed(process.execPath, [cli, 'extract', 'analyze', '.', '--no-cache', '--json']);
  best.nix = Math.min(best.nix, nix);
  best.parse = Math.min(best.parse, parse);
  best.analyze = Math.min(best.analyze, analyze);
  console.log(
    `round ${round}: nix-instantiate --parse ${nix.toFixed(0)} ms; crossflake parse ${parse.toFixed(0)} ms (${(nix / parse).toFixed(2)}x); extract analyze --no-cache ${analyze.toFixed(0)} ms (${(nix / analyze).toFixed(2)}x)`,
  );
}
const parseRatio = best.nix / best.parse;
const analyzeRatio = best.nix / best.analyze;
console.log(`best: crossflake parse ${parseRatio.toFixed(2)}x nix-instantiate --parse (bar 1.0x)`);
console.log(`best: extract analyze --no-cache ${analyzeRatio.toFixed(2)}x (bar 0.5x)`);
process.exitCode = parseRatio >= 1 && analyzeRatio >= 0.5 ? 0 : 1;
