// A module hook that writes each file URL Node loads to stderr, marked
// `LOADED <url>`: what test/cli's structure tests read the module graph from.
import { writeFileSync } from 'node:fs';
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
