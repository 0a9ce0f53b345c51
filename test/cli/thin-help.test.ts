// `crossflake <command> --help` reads only the command's spec.ts: the
// handler's chunk (its command.ts and what that imports) is never loaded.
// Observed on the built CLI through a module hook that lists every file Node
// loads, so it checks the real module graph, not timing. `npm run build` first.
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkSteps } from '../../src/check/steps/index.js';
import { STEP_IDS } from '../../src/check/spec.js';
import { run } from '../../src/cli.js';
import type { Io } from '../../src/command.js';
import pkg from '../../package.json' with { type: 'json' };
import { splitLoaded, writeLoadHook } from './load-hook.js';

const root = process.cwd();
const bin = join(root, 'bin', 'crossflake.js');
const chunks = join(root, 'dist', 'chunks');
const work = mkdtempSync(join(tmpdir(), 'cf-thin-help-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const hook = writeLoadHook(work);

/** The dist files a run of the CLI loads, by base name. */
function loaded(args: string[]): { files: string[]; status: number | null; stdout: string } {
  const res = spawnSync(process.execPath, ['--import', hook, bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NODE_COMPILE_CACHE: '' },
  });
  const files = splitLoaded(res.stderr).urls.map((url) => url.split('/').pop() as string);
  return { files, status: res.status, stdout: res.stdout };
}

/** The chunks that hold a source file (esbuild marks each with a `// src/...` line). */
function chunksHolding(source: string): string[] {
  return readdirSync(chunks)
    .filter((f) => f.endsWith('.js'))
    .filter((f) => readFileSync(join(chunks, f), 'utf8').includes(`\n// ${source}\n`));
}

const commands = readdirSync(join(root, 'src'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .filter((name) => {
    try {
      readFileSync(join(root, 'src', name, 'spec.ts'));
      return true;
    } catch {
      return false;
    }
  });

describe('--help loads the spec, not the handler', () => {
  it('finds the commands that have a spec', () => {
    expect(commands).toEqual(expect.arrayContaining(['doctor', 'onboard', 'ci', 'init', 'vm']));
  });

  it.each(commands)('%s --help', (name) => {
    const handler = chunksHolding(`src/${name}/command.ts`);
    expect(handler.length).toBe(1);
    const help = loaded([name, '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain(`crossflake ${name}`);
    expect(help.files).toEqual(expect.arrayContaining(chunksHolding(`src/${name}/spec.ts`)));
    expect(help.files).not.toContain(handler[0]);
    // `help <command>` takes the same path.
    expect(loaded(['help', name]).files).not.toContain(handler[0]);
  });

  it('running a command does load its handler (the hook sees it)', () => {
    const run = loaded(['parse', '-']);
    expect(run.files).toContain(chunksHolding('src/parse/command.ts')[0]);
  });

  it('--version alone is answered by bin/crossflake.js: no file of dist/ is loaded', () => {
    const version = loaded(['--version']);
    expect(version.status).toBe(0);
    expect(version.stdout).toBe(`${pkg.version}\n`);
    expect(version.files).toContain('package.json');
    expect(version.files.filter((f) => f.endsWith('.js'))).toEqual(['crossflake.js']);
    // With other arguments it goes through the bundle, which answers the same.
    const viaBundle = loaded(['--version', '--debug']);
    expect(viaBundle.stdout).toBe(`${pkg.version}\n`);
    expect(viaBundle.files).toContain('cli.js');
  });
});

describe("Node's built-ins are loaded by the names used (scripts/build.mjs)", () => {
  it('help loads none of the built-ins that only a namespace import would', () => {
    const list = join(work, 'modules.txt');
    const hook2 = join(work, 'modules.cjs');
    writeFileSync(
      hook2,
      `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(list)}, process.moduleLoadList.join('\\n')));\n`,
    );
    const res = spawnSync(process.execPath, ['-r', hook2, bin, 'doctor', '--help'], {
      encoding: 'utf8',
    });
    expect(res.status).toBe(0);
    const modules = readFileSync(list, 'utf8').split('\n');
    // parseArgs is used, so it is there; the rest of node:util's and
    // node:fs's lazy exports are not.
    expect(modules).toContain('NativeModule internal/util/parse_args/parse_args');
    for (const name of ['worker_threads', 'internal/util/diff', 'fs/promises', 'crypto'])
      expect(modules, name).not.toContain(`NativeModule ${name}`);
  });
});

describe('the compile cache', () => {
  it('is written where NODE_COMPILE_CACHE says, and the CLI still works from it', () => {
    const cache = join(work, 'cache');
    const env = { ...process.env, NODE_COMPILE_CACHE: cache };
    const first = spawnSync(process.execPath, [bin, 'init', '--help'], { encoding: 'utf8', env });
    expect(first.status).toBe(0);
    expect(readdirSync(cache, { recursive: true }).length).toBeGreaterThan(0);
    const second = spawnSync(process.execPath, [bin, 'init', '--help'], { encoding: 'utf8', env });
    expect(second.stdout).toBe(first.stdout);
  });

  it('a folder that cannot be made does not fail the CLI or add to its output', () => {
    const file = join(work, 'a-file');
    writeFileSync(file, 'not a folder\n');
    const env = { ...process.env, NODE_COMPILE_CACHE: join(file, 'cache') };
    for (const args of [['--version'], ['doctor', '--help']]) {
      const res = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env });
      expect(res.status).toBe(0);
      expect(res.stderr).toBe('');
      expect(res.stdout.length).toBeGreaterThan(0);
    }
  });
});

describe('standard input is made only when read', () => {
  it('help and --version never touch io.stdin', async () => {
    let touched = 0;
    let out = '';
    const io = {
      stdout: { write: (s: string | Uint8Array) => (out += String(s)) },
      stderr: { write: () => true },
      get stdin(): Io['stdin'] {
        touched++;
        return process.stdin;
      },
      env: {},
      cwd: work,
    };
    expect(await run(['init', '--help'], io)).toBe(0);
    expect(await run(['help', 'ci', 'run'], io)).toBe(0);
    expect(await run(['--version'], io)).toBe(0);
    expect(out).toContain('crossflake init');
    expect(touched).toBe(0);
  });
});

describe('check spec', () => {
  it('lists the step ids of checkSteps, in order', () => {
    expect([...STEP_IDS]).toEqual(checkSteps.map((s) => s.id));
  });
});
