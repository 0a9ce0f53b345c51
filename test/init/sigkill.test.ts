// init is SIGKILLed at chosen moments while writing a large template: the
// target is then either absent or complete, never partial, and the next run
// removes the temporary directories the killed runs left.
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { BIN } from './helpers.js';

const DIRS = 25;
const FILES_PER_DIR = 20;

const work = await mkdtemp(join(tmpdir(), 'cf-kill-'));
afterAll(() => rm(work, { recursive: true, force: true }));

/** A template of 500 files (~4 KiB each) with the host name in every one. */
async function makeBigTemplate(root: string): Promise<Map<string, string>> {
  const dir = join(root, 'big');
  const expected = new Map<string, string>();
  const body = (i: number) => `# file ${i} of big-host\n${'x = 1;\n'.repeat(580)}`;
  for (let d = 0; d < DIRS; d++) {
    await mkdir(join(dir, `d${d}`), { recursive: true });
    for (let f = 0; f < FILES_PER_DIR; f++) {
      const i = d * FILES_PER_DIR + f;
      await writeFile(join(dir, `d${d}`, `f${f}.txt`), body(i));
      expected.set(`d${d}/f${f}.txt`, body(i).replace('big-host', 'box'));
    }
  }
  await writeFile(join(dir, 'README.md'), 'The big-host template.\n');
  expected.set('README.md', 'The box template.\n');
  const spec = {
    name: 'big',
    description: 'a large template for the SIGKILL test',
    platformRows: ['linux-x86_64'],
    nextCommands: ['echo big-host'],
    samples: [{ hostname: 'box' }],
    parameters: [
      {
        name: 'hostname',
        description: 'host',
        type: 'string',
        default: 'big-host',
        placeholder: 'big-host',
        pattern: '^[a-z-]+$',
        rule: 'a-z and -',
      },
    ],
  };
  await writeFile(join(dir, 'template.json'), JSON.stringify(spec));
  return expected;
}

async function readTree(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  async function walk(d: string): Promise<void> {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const full = join(d, e.name);
      if (e.isDirectory()) await walk(full);
      else out.set(relative(dir, full).split(sep).join('/'), await readFile(full, 'utf8'));
    }
  }
  await walk(dir);
  return out;
}

function initArgs(): string[] {
  return [
    BIN,
    'init',
    'big',
    'out/cfg',
    '--non-interactive',
    '--templates-dir',
    'tpl',
    '-p',
    'hostname=box',
  ];
}

/** Runs init; with a kill point, the CLI SIGKILLs itself there. Resolves with how it ended. */
function runInit(
  cwd: string,
  killAt: string | null,
): Promise<{ code: number | null; signal: string | null }> {
  return new Promise((resolve) => {
    const env = { ...process.env };
    if (killAt === null) delete env.CROSSFLAKE_TEST_KILL_AT;
    else env.CROSSFLAKE_TEST_KILL_AT = killAt;
    const child = spawn(process.execPath, initArgs(), { cwd, env, stdio: 'ignore' });
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
}

async function entries(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}

// Kill points in src/templates/write.ts: after the n-th file written into the
// temporary directory, just before the rename into place, just after it.
// Chosen moments instead of timers, so a loaded machine changes nothing.
const MID_WRITE = [1, 2, 16, 17, 100, 250, 400, 499, 500, 501].map((n) => `init-write:${n}`);
const FILES = DIRS * FILES_PER_DIR + 1;

describe('SIGKILL during init (built CLI, a 501-file template, killed at chosen points)', () => {
  it(`mid-write and before the rename: the target is absent; after the rename: complete; the next run sweeps the temporary directories`, async () => {
    const cwd = work;
    const expected = await makeBigTemplate(join(cwd, 'tpl'));
    expect(expected.size).toBe(FILES);
    const out = join(cwd, 'out');

    for (const point of [...MID_WRITE, 'init-rename:1']) {
      expect(await runInit(cwd, point), point).toEqual({ code: null, signal: 'SIGKILL' });
      const names = await entries(out);
      expect(names, point).not.toContain('cfg');
      expect(
        names.some((n) => n.startsWith('.cfg.crossflake-init-')),
        point,
      ).toBe(true);
    }

    // The next run removes what all the killed runs left, and completes.
    expect(await runInit(cwd, null)).toEqual({ code: 0, signal: null });
    expect(await entries(out)).toEqual(['cfg']);
    expect(await readTree(join(out, 'cfg'))).toEqual(expected);

    // Killed just after the rename: the target is whole.
    await rm(join(out, 'cfg'), { recursive: true });
    expect(await runInit(cwd, 'init-renamed:1')).toEqual({ code: null, signal: 'SIGKILL' });
    expect(await readTree(join(out, 'cfg'))).toEqual(expected);
  });
});
