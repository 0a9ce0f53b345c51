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
import { readFileSync } from 'node:fs';
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import { join, relative } from 'node:path';
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

// Node's built-in modules are imported as only the names each file uses:
// an ESM import of a built-in makes its whole namespace, which reads every
// export, and Node's lazy exports then load what they hide (node:util pulls
// in worker_threads and the diff code, node:fs its promises and streams),
// a large part of start-up for a command that uses none of it. So a static
// `import { a, b } from 'node:x'` becomes a small module that reads a and b
// from require('node:x') (the banner's require). A file that imports a
// namespace (`* as`) keeps the plain import; dynamic imports are left alone
// (they run only when needed).
function builtinNames(importer, spec) {
  const source = readFileSync(importer, 'utf8');
  const quoted = spec.replace(/[/]/g, '\\/');
  const names = new Set();
  for (const m of source.matchAll(
    new RegExp(`import\\s+([^;'"]*?)\\s+from\\s+['"]${quoted}['"]`, 'g'),
  )) {
    const clause = m[1].trim();
    if (clause.startsWith('type ')) continue;
    if (clause.includes('*')) return null;
    const braces = /\{([^}]*)\}/.exec(clause);
    const head = clause
      .replace(/\{[^}]*\}/, '')
      .replace(/,/g, '')
      .trim();
    if (head !== '') names.add('default');
    for (const item of braces ? braces[1].split(',') : []) {
      const name = item
        .trim()
        .split(/\s+as\s+/)[0]
        .trim();
      if (name !== '' && !name.startsWith('type ')) names.add(name);
    }
  }
  return names.size > 0 ? [...names].sort() : null;
}

const builtinsByName = {
  name: 'builtins-by-name',
  setup(b) {
    b.onResolve({ filter: /^[a-z_:/]+$/ }, (args) => {
      if (args.kind !== 'import-statement' || !isBuiltin(args.path)) return undefined;
      const names = builtinNames(args.importer, args.path);
      if (names === null) return { path: args.path, external: true };
      // One module per importing file, so it lands in that file's chunk
      // instead of a chunk of its own (one more file to load).
      return {
        path: `${args.path}?${names.join(',')}`,
        namespace: 'node-builtin',
        // Named by a digest of the importer's path: stable from build to build
        // (chunk names must not depend on the order esbuild resolves in).
        suffix: `#${createHash('sha256').update(relative(process.cwd(), args.importer)).digest('hex').slice(0, 12)}`,
      };
    });
    b.onLoad({ filter: /.*/, namespace: 'node-builtin' }, (args) => {
      const [spec, list] = args.path.split('#')[0].split('?');
      const lines = [`const m = require(${JSON.stringify(spec)});`];
      for (const name of list.split(','))
        lines.push(name === 'default' ? 'export default m;' : `export const ${name} = m.${name};`);
      return { contents: `${lines.join('\n')}\n`, loader: 'js' };
    });
  },
};

await rm(new URL('../dist/', import.meta.url), { recursive: true, force: true });
const result = await build({
  entryPoints: {
    cli: 'src/main.ts',
    host: 'src/io/host/index.ts',
    // Its own entry: a worker thread loads it by path (src/parse/pool.ts).
    'parse-worker': 'src/parse/worker.ts',
    // Likewise, for the secret scan of `extract analyze` (src/extract/secret-scan.ts).
    'extract-secret-worker': 'src/extract/secret-worker.ts',
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
  plugins: [builtinsByName],
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
