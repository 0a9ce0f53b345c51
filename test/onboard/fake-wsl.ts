// A stand-in for wsl.exe that answers the way the real one does: `-l -v` as
// UTF-16LE in the documented table layout (the recorded empty-list output when
// there is none), the recorded "already exists" error, and a few programs
// inside the distro. It never runs anything; tests drive the runner with it.
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import type { HostFacts } from '../../src/io/host/facts.js';
import { windowsFactsFromOutputs } from '../../src/io/host/windows.js';
import type { ExecResult, RunContext, RunEvent } from '../../src/onboard/runner.js';
import type { InternalAction } from '../../src/onboard/step.js';
import { recordedFacts, recordedRaw } from '../helpers/facts.js';

const utf16 = (text: string) => Buffer.from(text.replace(/\n/g, '\r\n'), 'utf16le');
const ok = (text = ''): ExecResult => ({ code: 0, stdout: utf16(text), stderr: Buffer.alloc(0) });
const fail = (stdout: Buffer, code = 1): ExecResult => ({ code, stdout, stderr: Buffer.alloc(0) });
export const recordedExists = readFileSync('test/fixtures/onboard/wsl-import-exists.utf16le');

export class FakeWsl {
  distros = new Map<
    string,
    { files: Map<string, string>; users: Set<string>; nextUser: string | null }
  >();
  hostFiles = new Set<string>();
  calls: string[][] = [];
  internals: InternalAction['name'][] = [];
  events: RunEvent[] = [];
  /** Fail the first call with exactly this argument array (or internal action). */
  failNext: string[] | InternalAction['name'] | null = null;
  version: 'new' | 'old' = 'new';

  addDistro(name: string, user = 'nixos'): void {
    this.distros.set(name, { files: new Map(), users: new Set(['root', user]), nextUser: null });
  }

  listOutput(): Buffer {
    if (this.distros.size === 0) return recordedRaw('wsl-list-empty.utf16le');
    const rows = [...this.distros.keys()].map(
      (n, i) => `${i === 0 ? '*' : ' '} ${n.padEnd(22)} Stopped         2`,
    );
    return utf16(`  NAME                   STATE           VERSION\n${rows.join('\n')}\n`);
  }

  /** Windows facts as the live probe would read them from this fake. */
  facts(): HostFacts {
    const base = recordedFacts('windows-native');
    const version =
      this.version === 'new'
        ? recordedRaw('wsl-version-2.4.13.utf16le')
        : readFileSync('test/fixtures/onboard/wsl-version-2.3.26.utf16le');
    return {
      ...base,
      windows: windowsFactsFromOutputs({
        version,
        status: recordedRaw('wsl-status-default2.utf16le'),
        list: this.distros.size ? this.listOutput() : null,
        hypervisorPresent: 'True',
      }),
    };
  }

  private shouldFail(key: string[] | InternalAction['name']): boolean {
    if (this.failNext !== null && isDeepStrictEqual(this.failNext, key)) {
      this.failNext = null;
      return true;
    }
    return false;
  }

  exec(argv: readonly string[]): ExecResult {
    const a = [...argv];
    this.calls.push(a);
    if (this.shouldFail(a)) return fail(utf16('simulated failure\n'), 1);
    if (a[0] !== 'wsl') return fail(Buffer.from('not found'), 127);
    if (a[1] === '--list') {
      // With no distro, wsl.exe prints the recorded notice and exits non-zero.
      return this.distros.size
        ? { ...ok(), stdout: this.listOutput() }
        : fail(this.listOutput(), -1);
    }
    if (a[1] === '--install' || a[1] === '--import') {
      const name = a[1] === '--import' ? a[2]! : a[a.indexOf('--name') + 1]!;
      if (this.distros.has(name)) return fail(recordedExists);
      this.addDistro(name);
      return ok('The operation completed successfully.\n');
    }
    if (a[1] === '--export') {
      if (!this.distros.has(a[2]!))
        return fail(readFileSync('test/fixtures/onboard/wsl-unregister-missing.utf16le'));
      this.hostFiles.add(a[3]!);
      return ok();
    }
    if (a[1] === '--unregister') {
      this.distros.delete(a[2]!);
      return ok('Unregistering.\n');
    }
    if (a[1] === '--terminate') return ok();
    if (a[1] === '-d') {
      // wsl -d N -u root --exec env PATH=... program args...
      const exec = a.indexOf('--exec');
      if (exec < 0 || a[exec + 2]?.startsWith('PATH=') !== true) return fail(utf16('no --exec\n'));
      return this.inside(a[2]!, a.slice(exec + 3));
    }
    return fail(utf16('Invalid command line argument\n'));
  }

  private inside(name: string, cmd: string[]): ExecResult {
    const d = this.distros.get(name);
    if (!d) return fail(readFileSync('test/fixtures/onboard/wsl-unregister-missing.utf16le'));
    const [program, ...args] = cmd;
    switch (program) {
      case 'test':
        return d.files.has(args[1]!) ? ok() : fail(Buffer.alloc(0));
      case 'nix': {
        // nix ... shell nixpkgs#git --command git clone URL DIR
        if (!args.includes('clone')) return fail(Buffer.from('unexpected nix call'));
        const dir = args.at(-1)!;
        d.files.set(`${dir}/.git`, '');
        d.files.set(`${dir}/flake.nix`, '      username = "nixos";\n      hostname = "nixos";\n');
        return ok();
      }
      case 'sed': {
        const file = args.at(-1)!;
        const user = /\\1"([^"]+)";\//.exec(args[3]!)?.[1];
        const host = /\\1"([^"]+)";\//.exec(args[5]!)?.[1];
        d.files.set(file, `      username = "${user}";\n      hostname = "${host}";\n`);
        return ok();
      }
      case 'grep': {
        const user = /"([^"]+)";/.exec(args[1]!)?.[1];
        return d.files.get(args[2]!)?.includes(`username = "${user}";`)
          ? ok()
          : fail(Buffer.alloc(0));
      }
      case 'nixos-rebuild':
        d.nextUser =
          /username = "([^"]+)"/.exec(d.files.get('/etc/crossflake/flake.nix') ?? '')?.[1] ?? null;
        return ok();
      case 'true':
        if (d.nextUser) d.users.add(d.nextUser);
        return ok();
      case 'id':
        return d.users.has(args[1]!) ? ok('1000\n') : fail(Buffer.alloc(0));
      default:
        return fail(Buffer.from(`${program}: not found`), 127);
    }
  }

  context(): RunContext {
    return {
      exec: async (argv) => this.exec(argv),
      internal: async (action) => {
        this.internals.push(action.name);
        if (this.shouldFail(action.name)) throw new Error(`simulated ${action.name} failure`);
        if (action.name === 'make-dir') this.hostFiles.add(action.path);
      },
      fileExists: async (path) => this.hostFiles.has(path),
      writeFile: async (path) => void this.hostFiles.add(path),
      now: () => new Date('2026-11-27T10:00:00Z'),
      report: (event) => void this.events.push(event),
    };
  }
}
