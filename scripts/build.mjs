// Bundles the CLI with esbuild. Code splitting keeps start-up cheap: cli.js
// holds only the command table, and each command's code is a chunk loaded by
// dynamic import when that command runs.
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';

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
  logLevel: 'warning',
});
