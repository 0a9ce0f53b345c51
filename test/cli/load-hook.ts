// A module hook that writes each file URL Node loads to stderr, marked
// `LOADED <url>`: what test/cli's structure tests read the module graph from.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Writes the hook into `dir`; returns the `--import` argument that loads it. */
export function writeLoadHook(dir: string): string {
  const hook = join(dir, 'load-hook.mjs');
  writeFileSync(
    hook,
    `import { registerHooks } from 'node:module';
registerHooks({
  load(url, context, next) {
    if (url.startsWith('file:')) process.stderr.write('LOADED ' + url + '\\n');
    return next(url, context);
  },
});
`,
  );
  return pathToFileURL(hook).href;
}

/** The URLs a run's stderr names as loaded, and the rest of its stderr. */
export function splitLoaded(stderr: string): { urls: string[]; rest: string } {
  const lines = stderr.split('\n');
  return {
    urls: lines.filter((l) => l.startsWith('LOADED ')).map((l) => l.slice('LOADED '.length)),
    rest: lines.filter((l) => !l.startsWith('LOADED ')).join('\n'),
  };
}

const root = process.cwd();
const bin = join(root, 'bin', 'crossflake.js');
const chunks = join(root, 'dist', 'chunks');

/** The dist chunk that holds a source file (esbuild marks each source it takes in). */
export function chunkHolding(source: string): string | undefined {
  const mark = new RegExp(`^// ${source.replaceAll('.', '\\.')}$`, 'm');
  return readdirSync(chunks).find((f) => mark.test(readFileSync(join(chunks, f), 'utf8')));
}

export interface LoadedRun {
  /** The dist chunks the run loaded, by base name. */
  files: string[];
  status: number | null;
  stdout: string;
  /** stderr without the hook's lines. */
  stderr: string;
}

/** Runs the built CLI with the hook (from writeLoadHook) and reads what it loaded. */
export function runLoaded(
  hook: string,
  args: string[],
  opts: { cwd: string; env?: NodeJS.ProcessEnv },
): LoadedRun {
  const res = spawnSync(process.execPath, ['--import', hook, bin, ...args], {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    encoding: 'utf8',
  });
  const { urls, rest } = splitLoaded(res.stderr);
  return {
    files: urls.filter((u) => u.includes('/dist/chunks/')).map((u) => u.split('/').pop()!),
    status: res.status,
    stdout: res.stdout,
    stderr: rest,
  };
}
