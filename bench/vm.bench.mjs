// Boot-to-marker of the test kernel (Debian's kernel + a busybox initramfs,
// the one test/vm uses) through `crossflake vm test`, beside starting the same
// runner script directly and waiting for the same marker (what a shell loop
// over the console output does). Both are timed from spawning the process to
// the marker on the console: crossflake's figure includes its Nix evaluation,
// the (cached) runner build and its set-up. Issue 22 asks at most 1.1x.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setInterval, clearInterval } from 'node:timers';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const MARKER = 'crossflake-vm: ready';
const nixEnv = {
  ...process.env,
  NIX_CONFIG:
    'experimental-features = nix-command flakes\nsandbox = false\nsubstituters =\nbuild-users-group =',
};

const missing = ['qemu-system-x86_64', 'busybox', 'nix'].filter(
  (c) => spawnSync('sh', ['-c', 'command -v "$1"', 'sh', c]).status !== 0,
);
if (missing.length || !readdirSync('/boot').some((f) => f.startsWith('vmlinuz-'))) {
  console.log(
    `vm: not run: missing ${missing.join(', ') || 'a kernel in /boot'} (.ci/run installs them)`,
  );
  process.exit(0);
}

const work = mkdtempSync(join(tmpdir(), 'cf-bench-vm-'));
// The test helper is TypeScript; Node 22.6+ strips the types itself.
const made = spawnSync(
  process.execPath,
  [
    '--experimental-strip-types',
    '--no-warnings',
    '--input-type=module',
    '-e',
    `import { makeTinyFlake } from ${JSON.stringify(join(process.cwd(), 'test/vm/tiny-linux.ts'))};
     makeTinyFlake(${JSON.stringify(work)});`,
  ],
  { encoding: 'utf8' },
);
if (made.status !== 0) {
  console.log(`vm: not run: could not make the test kernel: ${made.stderr.trim()}`);
  process.exit(1);
}
const flake = join(work, 'flake');
const built = spawnSync(
  'nix',
  ['build', '--no-link', '--json', `path:${flake}#nixosConfigurations.tiny.config.system.build.vm`],
  { env: nixEnv, encoding: 'utf8' },
);
const runner = join(JSON.parse(built.stdout)[0].outputs.out, 'bin/run-tiny-vm');

/** Time from spawn until `seen()` holds, then stop the process group. */
function timeToMarker(command, args, seen, opts = {}) {
  return new Promise((resolve) => {
    const t = performance.now();
    const child = spawn(command, args, {
      ...opts,
      detached: true,
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d.toString()));
    const timer = setInterval(() => {
      if (!seen(out)) return;
      const ms = performance.now() - t;
      clearInterval(timer);
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      child.on('close', () => resolve(ms));
    }, 20);
  });
}

const times = { direct: [], crossflake: [] };
for (let i = 0; i < RUNS; i++) {
  const state = mkdtempSync(join(work, 'direct-'));
  times.direct.push(
    await timeToMarker(runner, [], (out) => out.includes(MARKER), {
      // The disk image in the state folder, as crossflake puts it: the runner
      // would otherwise make ./tiny.qcow2 in the current folder.
      env: {
        ...process.env,
        TMPDIR: state,
        USE_TMPDIR: '1',
        NIX_DISK_IMAGE: join(state, 'tiny.qcow2'),
        QEMU_KERNEL_PARAMS: 'console=ttyS0',
      },
    }),
  );
  const log = join(work, `console-${i}.log`);
  times.crossflake.push(
    await timeToMarker(
      process.execPath,
      ['bin/crossflake.js', 'vm', 'test', 'tiny', '--flake', flake, '--log', log],
      () => existsSync(log) && readFileSync(log, 'utf8').includes(MARKER),
      { env: nixEnv },
    ),
  );
}
rmSync(work, { recursive: true, force: true });

const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const direct = median(times.direct);
const cf = median(times.crossflake);
console.log(`runs per figure: ${RUNS} (median), emulated (TCG) unless /dev/kvm is usable`);
console.log(`runner script directly, wait for marker   ${(direct / 1000).toFixed(2)} s`);
console.log(
  `crossflake vm test, boot to marker         ${(cf / 1000).toFixed(2)} s   ratio: ${(cf / direct).toFixed(2)}x (goal <= 1.1x)`,
);
