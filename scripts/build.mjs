// Bundles the CLI with esbuild. Code splitting keeps start-up cheap: cli.js
// holds only the command table, and each command's code is a chunk loaded by
// dynamic import when that command runs.
//
//   node scripts/build.mjs            development build, with source maps
//   node scripts/build.mjs --release  the published build (prepack, nix):
//                                     no source maps
// Both write THIRD-PARTY-NOTICES from esbuild's metafile.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { noticesFor } from './notices.mjs';

const release = process.argv.includes('--release');
const manifest = JSON.parse(await readFile('package.json', 'utf8'));

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
  hash.update(manifest.version);
  return hash.digest('hex').slice(0, 24);
}

await rm(new URL('../dist/', import.meta.url), { recursive: true, force: true });
const result = await build({
  entryPoints: {
    cli: 'src/main.ts',
    host: 'src/io/host/index.ts',
    // Its own entry: a worker thread loads it by path (src/parse/pool.ts).
    'parse-worker': 'src/parse/worker.ts',
  },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: release ? false : 'linked',
  metafile: true,
  chunkNames: 'chunks/[name]-[hash]',
  // Bundled CommonJS dependencies (ajv) call require(); give them one.
  banner: {
    js: "import { createRequire as __cfCreateRequire } from 'node:module'; const require = __cfCreateRequire(import.meta.url);",
  },
  define: { __CROSSFLAKE_BUILD__: JSON.stringify(await buildId()) },
  logLevel: 'warning',
});

// The embedded templates' template.json files that pass the schema now, as
// their exact text, with the schema they passed (src/templates/load.ts
// checkedAtBuild): at run time init skips compiling the schema for a file
// whose text is listed, most of its start-up. One that fails is left out and
// reported then, with the schema's own message.
async function templateIndex() {
  const { Ajv2020 } = (await import('ajv/dist/2020.js')).default;
  const schema = JSON.parse(await readFile('data/template.schema.json', 'utf8'));
  const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
  const validated = [];
  for (const entry of await readdir('templates', { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    let text;
    try {
      text = await readFile(join('templates', entry.name, 'template.json'), 'utf8');
    } catch {
      continue;
    }
    let data;
    try {
      data = JSON.parse(text);
    } catch {
      continue;
    }
    if (!validate(data)) continue;
    validated.push(text);
  }
  return { schema: JSON.stringify(schema), validated: validated.sort() };
}
await writeFile('dist/template-index.json', `${JSON.stringify(await templateIndex(), null, 2)}\n`);

// Written whole to a temporary name, then renamed: never a half file.
const notices = noticesFor(result.metafile, manifest);
await writeFile('THIRD-PARTY-NOTICES.tmp', notices);
await rename('THIRD-PARTY-NOTICES.tmp', 'THIRD-PARTY-NOTICES');
