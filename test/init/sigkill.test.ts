// init is SIGKILLed at many moments while writing a large template: the
// target is then either absent or complete, never partial, and the next run
// removes the temporary directories the killed runs left.
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { BIN } from './helpers.js';

const ITERATIONS = 25;
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

/** Runs init; kills it after delayMs (null: let it finish). Resolves with how it ended. */
function runInit(
  cwd: string,
  delayMs: number | null,
): Promise<{ code: number | null; signal: string | null }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, initArgs(), { cwd, stdio: 'ignore' });
    const timer = delayMs === null ? undefined : setTimeout(() => child.kill('SIGKILL'), delayMs);
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal });
    });
  });
}

async function entries(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}

describe('SIGKILL during init (built CLI, a 500-file template)', () => {
  it(`at ${ITERATIONS} moments: the target is absent or complete, and the next run leaves no temporary directory`, async () => {
    const cwd = work;
    const expected = await makeBigTemplate(join(cwd, 'tpl'));
    const out = join(cwd, 'out');

    // One undisturbed run: the time it takes sets the range of kill moments.
    const started = Date.now();
    expect(await runInit(cwd, null)).toEqual({ code: 0, signal: null });
    const fullRunMs = Date.now() - started;
    expect(await readTree(join(out, 'cfg'))).toEqual(expected);
    await rm(join(out, 'cfg'), { recursive: true });

    const seen = { absent: 0, complete: 0, killedMidWrite: 0 };
    for (let i = 0; i < ITERATIONS; i++) {
      // Spread over the whole run, with jitter, so start-up, writing and the rename are all hit.
      const delay = Math.round(((i + Math.random()) / ITERATIONS) * fullRunMs * 1.1);
      const ended = await runInit(cwd, delay);
      const names = await entries(out);
      if (ended.signal === 'SIGKILL' && names.some((n) => n.startsWith('.cfg.crossflake-init-'))) {
        seen.killedMidWrite++;
      }
      if (names.includes('cfg')) {
        // Present means complete: every file, every byte.
        expect(await readTree(join(out, 'cfg'))).toEqual(expected);
        seen.complete++;
        await rm(join(out, 'cfg'), { recursive: true });
      } else {
        seen.absent++;
      }
    }
    // The moments really fell inside the writing window, and on both sides of the rename.
    expect(seen.killedMidWrite).toBeGreaterThan(0);
    expect(seen.absent).toBeGreaterThan(0);

    // The next run cleans up after all killed runs and completes.
    expect(await runInit(cwd, null)).toEqual({ code: 0, signal: null });
    expect(await entries(out)).toEqual(['cfg']);
    expect(await readTree(join(out, 'cfg'))).toEqual(expected);
  });
});
