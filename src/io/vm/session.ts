// A running VM: the runner script started in its own process group with the
// serial console on pipes, a watchdog that stops QEMU if crossflake itself
// dies (even by SIGKILL), and a clean power-off through QEMU's QMP socket.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { createConnection } from 'node:net';
import { consoleScanner, plainConsole } from '../../vm/console.js';

export interface StartOptions {
  runner: string;
  env: Record<string, string>;
  /** Where the whole console is kept (raw bytes). */
  logFile: string;
  /** Console output shown as it comes (the terminal in `vm run`). */
  echo?: { write(chunk: Buffer): unknown };
  qmpSocket: string;
  /**
   * A folder crossflake made for this VM (its state: disk image, sockets),
   * removed by the watchdog after it stops the VM when crossflake dies
   * without cleaning up. Absent under --keep.
   */
  removeOnDeath?: string;
}

export interface VmSession {
  pid: number;
  /** Waits for `pattern` in the console text after offset `from`. */
  waitFor(pattern: RegExp, timeoutMs: number, from?: number): Promise<RegExpExecArray | null>;
  /** Length of the console text so far (an offset for waitFor). */
  mark(): number;
  send(text: string): void;
  alive(): boolean;
  /**
   * Clean power-off, each way given `graceMs`: `poweroff` typed into the
   * console shell (when one is known to answer), then the ACPI power button;
   * then QEMU is told to quit, and at last killed.
   */
  powerOff(graceMs: number, viaShell?: boolean): Promise<void>;
  /** Resolves with QEMU's exit code (null: killed) when it is gone. */
  exited: Promise<number | null>;
}

// Started detached, before the VM, with its stdin a pipe that only
// crossflake holds: it reads the VM's process group id, then waits; when
// crossflake ends in any way the pipe closes, `read` returns, the group is
// stopped, and then the state folder given as $1 (if any) is removed, so a
// killed crossflake leaves neither a QEMU nor a disk image behind. On a
// normal exit crossflake kills the watchdog once QEMU is gone and cleans up
// itself. Fixed text; the folder is an argument, never part of the script.
// No `--` before the negative id: dash's kill takes it for a pid and gives up.
const WATCHDOG = [
  'read pid || { [ -z "$1" ] || rm -rf -- "$1"; exit 0; }',
  'read _',
  'kill -TERM "-$pid" 2>/dev/null; sleep 3; kill -KILL "-$pid" 2>/dev/null',
  '[ -z "$1" ] || rm -rf -- "$1"',
].join('\n');

// The runner's process starts as this gate, which waits for one line on its
// stdin before it becomes the runner (same pid, so same group). crossflake
// sends that line only once the watchdog holds the group id: a crossflake
// killed in between leaves the gate reading a closed pipe, so it exits and no
// VM ever runs unwatched (on a loaded machine that instant was long enough).
const GATE = 'read -r _ || exit 1; exec "$1"';

export function startVm(options: StartOptions): VmSession {
  const watchdog = spawn(
    '/bin/sh',
    ['-c', WATCHDOG, 'crossflake-vm-watchdog', options.removeOnDeath ?? ''],
    {
      stdio: ['pipe', 'ignore', 'ignore'],
      detached: true,
    },
  );
  const child = spawn('/bin/sh', ['-c', GATE, 'crossflake-vm-gate', options.runner], {
    env: { ...process.env, ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
  const pid = child.pid;
  if (pid === undefined) {
    watchdog.kill('SIGKILL');
    throw new Error(`could not start ${options.runner}`);
  }
  // The callback runs once the id is in the watchdog's pipe; without a
  // watchdog the VM does not start (QEMU's exit ends the session at once).
  watchdog.stdin?.write(`${pid}\n`, (error) => {
    if (error) child.kill('SIGKILL');
    else child.stdin?.write('\n');
  });
  const log = createWriteStream(options.logFile);
  const state: ConsoleState = { text: '', waiters: new Set() };
  const take = (chunk: Buffer) => {
    log.write(chunk);
    options.echo?.write(chunk);
    const added = plainConsole(chunk.toString('utf8'));
    state.text += added;
    for (const wake of state.waiters) wake(added);
  };
  child.stdout?.on('data', take);
  child.stderr?.on('data', take);
  child.stdin?.on('error', () => undefined);
  const exited = exitOf(child, log, watchdog, state.waiters);
  let running = true;
  void exited.then(() => {
    running = false;
  });
  return {
    pid,
    exited,
    mark: () => state.text.length,
    alive: () => running,
    send: (text) => void child.stdin?.write(text),
    waitFor: (pattern, timeoutMs, from = 0) => waitFor(state, pattern, timeoutMs, from, exited),
    powerOff: async (graceMs, viaShell = false) => {
      if (viaShell && running) {
        child.stdin?.write('poweroff\n');
        if (await gone(exited, graceMs)) return;
      }
      await powerOff(options.qmpSocket, pid, exited, graceMs);
    },
  };
}

/** The console so far, and the waiters told of each new piece of it. */
interface ConsoleState {
  text: string;
  waiters: Set<(added: string) => void>;
}

function exitOf(
  child: ChildProcess,
  log: WriteStream,
  watchdog: ChildProcess,
  waiters: ConsoleState['waiters'],
): Promise<number | null> {
  return new Promise((resolve) => {
    child.on('close', (code) => {
      // Killed before its pipe closes, so it never signals a reused group id.
      watchdog.kill('SIGKILL');
      watchdog.stdin?.destroy();
      for (const wake of waiters) wake('');
      log.end(() => resolve(code));
    });
    child.on('error', () => {
      watchdog.kill('SIGKILL');
      watchdog.stdin?.destroy();
      log.end(() => resolve(null));
    });
  });
}

function waitFor(
  state: ConsoleState,
  pattern: RegExp,
  timeoutMs: number,
  from: number,
  exited: Promise<number | null>,
): Promise<RegExpExecArray | null> {
  return new Promise((resolve) => {
    let gone = false;
    const scan = consoleScanner(pattern, state.text.slice(from));
    const check = (added: string) => {
      const match = scan(added);
      if (match || gone) finish(match);
    };
    const timer = setTimeout(() => finish(null), timeoutMs);
    const finish = (match: RegExpExecArray | null) => {
      clearTimeout(timer);
      state.waiters.delete(check);
      resolve(match);
    };
    void exited.then(() => {
      gone = true;
      check('');
    });
    state.waiters.add(check);
    check('');
  });
}

async function powerOff(
  socket: string,
  pid: number,
  exited: Promise<number | null>,
  graceMs: number,
): Promise<void> {
  const within = (ms: number) => gone(exited, ms);
  await qmp(socket, 'system_powerdown');
  if (await within(graceMs)) return;
  await qmp(socket, 'quit');
  if (await within(10_000)) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
  await exited;
}

/** True when QEMU exits within `ms`. */
function gone(exited: Promise<number | null>, ms: number): Promise<boolean> {
  return Promise.race([
    exited.then(() => true),
    new Promise<boolean>((r) => setTimeout(() => r(false), ms).unref()),
  ]);
}

/** One QMP command: greeting, capabilities, the command; errors are ignored (QEMU may be gone). */
function qmp(socket: string, execute: string): Promise<void> {
  return new Promise((resolve) => {
    const conn = createConnection(socket);
    let sent = false;
    conn.setEncoding('utf8');
    conn.on('data', (data: string) => {
      if (sent) return;
      if (data.includes('"QMP"')) {
        sent = true;
        conn.write('{"execute":"qmp_capabilities"}\n');
        conn.write(`{"execute":"${execute}"}\n`);
        setTimeout(() => conn.end(), 200).unref();
      }
    });
    conn.on('close', () => resolve());
    conn.on('error', () => resolve());
  });
}
