// `crossflake vm` against a real QEMU (Debian's qemu-system-x86, emulated:
// no KVM here) booting a tiny real Linux made by the test (tiny-linux.ts),
// through a fixture flake evaluated and built by the real Nix. After every
// case, including a crossflake killed with SIGKILL, no QEMU is left running:
// checked by the pid each runner recorded.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { needsNix, nixEnv } from '../helpers/nix.js';
import { runAsync } from '../helpers/run-async.js';
import { scratchDirs } from '../helpers/scratch.js';
import { alive, makeTinyFlake, needsQemu, until, type TinyFlake } from './tiny-linux.js';

const bin = join(process.cwd(), 'bin/crossflake.js');
const { fresh } = await scratchDirs('crossflake-vm-');
const ready = !needsNix && !needsQemu;

function cli(args: string[], cwd: string) {
  return runAsync(process.execPath, [bin, ...args], { cwd, env: nixEnv() });
}

/** A crossflake-vm-watchdog process is running (read from /proc). */
function watchdogUp(): boolean {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (args.includes('crossflake-vm-watchdog')) return true;
    } catch {
      // gone meanwhile
    }
  }
  return false;
}

let flake: TinyFlake | undefined;
afterEach(async () => {
  // Whatever the case did, every QEMU it started must be gone.
  for (const pid of flake?.pids() ?? []) expect(await until(() => !alive(pid))).toBe(true);
  flake = undefined;
});

async function setUp(options: { broken?: boolean } = {}): Promise<{ root: string; f: TinyFlake }> {
  const root = await fresh();
  flake = makeTinyFlake(root, options);
  return { root, f: flake };
}

describe.runIf(ready)(`crossflake vm on a real QEMU${needsNix}${needsQemu}`, () => {
  it('vm list shows which configurations have a runner and how this host runs them', async () => {
    const { root } = await setUp();
    const r = await cli(['vm', 'list', '--flake', './flake', '--json'], root);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as { schema: string; vms: { name: string; runs: string }[] };
    expect(out.schema).toBe('crossflake/vm/v1');
    // novm has no config.system.build.vm; arm's runner is built for another system.
    expect(out.vms.map((v) => [v.name, v.runs])).toEqual([
      ['arm', 'no'],
      ['mute', expect.stringMatching(/^(native|emulated)$/)],
      ['tiny', expect.stringMatching(/^(native|emulated)$/)],
    ]);
  });

  it('vm test boots to the marker, runs commands through the console and passes', async () => {
    const { root, f } = await setUp();
    const r = await cli(
      [
        'vm',
        'test',
        'tiny',
        '--flake',
        './flake',
        '--run',
        'uname -s',
        '--run',
        'test -d /proc/1',
        '--json',
        '--poweroff-timeout',
        '5',
      ],
      root,
    );
    const out = JSON.parse(r.stdout) as {
      ok: boolean;
      steps: { kind: string; ok: boolean; exitCode?: number }[];
    };
    expect(out.steps.map((s) => [s.kind, s.ok])).toEqual([
      ['expect', true],
      ['shell', true],
      ['run', true],
      ['run', true],
    ]);
    expect(out.ok).toBe(true);
    expect(r.status).toBe(0);
    // The runner got NixOS's interface: the serial console and a disk image in the state folder.
    const env = f.envOf(f.pids()[0]!);
    expect(env.QEMU_KERNEL_PARAMS).toBe('console=ttyS0');
    expect(env.USE_TMPDIR).toBe('1');
    expect(env.NIX_DISK_IMAGE).toBe(join(env.TMPDIR!, 'tiny.qcow2'));
    expect(env.QEMU_OPTS).toContain('-qmp unix:');
    // Powered off through the console shell, not killed.
    expect(out.steps.length).toBe(4);
    // Not kept: the state folder (disk image included) is gone.
    expect(existsSync(env.TMPDIR!)).toBe(false);
  });

  it('vm test evaluates only the named configuration: another that throws does not stop it', async () => {
    const { root } = await setUp({ broken: true });
    // The broken configuration really fails evaluation: listing them all does.
    const listed = await cli(['vm', 'list', '--flake', './flake'], root);
    expect(listed.status).toBe(1);
    expect(listed.stderr).toContain('broken on purpose');
    const r = await cli(
      ['--verbose', 'vm', 'test', 'tiny', '--flake', './flake', '--poweroff-timeout', '5'],
      root,
    );
    expect(r.stderr).not.toContain('broken on purpose');
    expect(r.stdout).toContain('tiny: passed (2/2 steps)');
    expect(r.status).toBe(0);
    // --verbose: one timing line per phase, Node's start first, the boot last.
    const phases = [...r.stderr.matchAll(/^crossflake vm: (.+?) +\d+\.\d\d s {2}\(at /gm)].map(
      (m) => m[1],
    );
    expect(phases).toEqual([
      'start-up (Node, modules)',
      'evaluate tiny',
      'build the runner',
      'start QEMU',
      'expect crossflake-vm: ready',
      'shell console shell answers',
      'power off',
    ]);
  });

  it('a command that exits non-zero fails the test with its exit code, and the log is kept', async () => {
    const { root } = await setUp();
    const r = await cli(
      [
        'vm',
        'test',
        'tiny',
        '--flake',
        './flake',
        '--run',
        'exit_with() { return $1; }; exit_with 3',
        '--json',
        '--poweroff-timeout',
        '5',
      ],
      root,
    );
    expect(r.status).toBe(1);
    const out = JSON.parse(r.stdout) as {
      ok: boolean;
      log: string;
      steps: { ok: boolean; exitCode?: number }[];
    };
    expect(out.ok).toBe(false);
    expect(out.steps.at(-1)).toMatchObject({ ok: false, exitCode: 3 });
    expect(readFileSync(out.log, 'utf8')).toContain('crossflake-exit-1=3');
  });

  it('a wrong --expect fails after its timeout, naming the text', async () => {
    const { root } = await setUp();
    const log = join(root, 'console.log');
    const r = await cli(
      [
        'vm',
        'test',
        'tiny',
        '--flake',
        './flake',
        '--expect',
        'no such banner',
        '--timeout',
        '20',
        '--log',
        log,
        '--poweroff-timeout',
        '5',
      ],
      root,
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/FAIL {2}expect no such banner: not seen within 20 s/);
    // The console log was kept where asked (how far the boot got depends on the machine).
    expect(readFileSync(log, 'utf8').length).toBeGreaterThan(0);
  });

  it('a kernel that never reaches the marker fails at the timeout', async () => {
    const { root } = await setUp();
    const r = await cli(
      ['vm', 'test', 'mute', '--flake', './flake', '--timeout', '5', '--poweroff-timeout', '2'],
      root,
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/FAIL {2}expect crossflake-vm: ready: not seen within 5 s/);
  });

  it('crossflake killed with SIGKILL mid-boot leaves no QEMU and no state folder behind', async () => {
    const { root, f } = await setUp();
    // Its own TMPDIR, so the VM's state folder (crossflake-vm-*) is easy to watch.
    const tmp = await fresh();
    const child: ChildProcess = spawn(
      process.execPath,
      [bin, 'vm', 'test', 'tiny', '--flake', './flake'],
      {
        cwd: root,
        env: nixEnv({ TMPDIR: tmp }),
        stdio: 'ignore',
      },
    );
    const states = () => readdirSync(tmp).filter((n) => n.startsWith('crossflake-vm-'));
    expect(await until(() => f.pids().length === 1)).toBe(true);
    const qemu = f.pids()[0]!;
    expect(alive(qemu)).toBe(true);
    // The watchdog is up before the runner starts.
    expect(watchdogUp()).toBe(true);
    expect(states()).toHaveLength(1);
    child.kill('SIGKILL');
    expect(await until(() => !alive(qemu))).toBe(true);
    // The watchdog removes the folder once QEMU is stopped (no --keep).
    expect(await until(() => states().length === 0)).toBe(true);
  });

  it('vm run boots on the terminal with SSH on a free port, and Ctrl-C powers it off', async () => {
    const { root, f } = await setUp();
    const child = spawn(
      process.execPath,
      [bin, 'vm', 'run', 'tiny', '--flake', './flake', '--poweroff-timeout', '5'],
      {
        cwd: root,
        env: nixEnv(),
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exit = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    expect(await until(() => out.includes('crossflake-vm: ready'), 280_000)).toBe(true);
    const port = /ssh -p (\d+) /.exec(err)?.[1];
    expect(Number(port)).toBeGreaterThan(0);
    expect(f.envOf(f.pids()[0]!).QEMU_NET_OPTS).toBe(`hostfwd=tcp:127.0.0.1:${port}-:22`);
    child.kill('SIGINT');
    expect(await exit).toBe(0);
    expect(err).toContain('is off.');
    expect(alive(f.pids()[0]!)).toBe(false);
  });

  it('check --vm NAME runs vm test as a step of its own', async () => {
    const { root } = await setUp();
    const r = await cli(
      ['check', '--dir', './flake', '--only', 'leaks', '--vm', 'tiny', '--json'],
      root,
    );
    const out = JSON.parse(r.stdout) as { steps: { id: string; status: string }[] };
    expect(out.steps.map((s) => [s.id, s.status])).toEqual([
      ['leaks', expect.any(String)],
      ['vm:tiny', 'pass'],
    ]);
  });
});
