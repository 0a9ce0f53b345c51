// Bundles the CLI with esbuild. Code splitting keeps start-up cheap: cli.js
// holds only the command table, and each command's code is a chunk loaded by
// dynamic import when that command runs.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

// A hash of everything bundled (sources, data, the package version): caches
// written by one build are keyed by it, so another build never reads them.
async function buildId() {
  const hash = createHash('sha256');
  for (const dir of ['src', 'data']) {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    const files = entries
      .filter((e) => e.isFile())
      .map((e) =>
        join(e.parentPath ?? e.path, e.name)
          .split('\\')
          .join('/'),
      )
      .sort();
    for (const file of files)
      hash
        .update(`${file}\0`)
        .update(await readFile(file))
        .update('\0');
  }
  hash.update(JSON.parse(await readFile('package.json', 'utf8')).version);
  return hash.digest('hex').slice(0, 24);
}

await rm(new URL('../dist/', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: { cli: 'src/main.ts', host: 'src/io/host/index.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  chunkNames: 'chunks/[name]-[hash]',
  // Bundled CommonJS dependencies (ajv) call require(); give them one.
  banner: {
    js: "import { createRequire as __cfCreateRequire } from 'node:module'; const require = __cfCreateRequire(import.meta.url);",
  },
  define: { __CROSSFLAKE_BUILD__: JSON.stringify(await buildId()) },
  logLevel: 'warning',
});
