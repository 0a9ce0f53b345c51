// Bundles the CLI with esbuild. Code splitting keeps start-up cheap: cli.js
// holds only the command table, and each command's code is a chunk loaded by
// dynamic import when that command runs. The init handler is then bundled
// again into one file of its own (fuse(), scripts/fuse-plan.mjs), and the
// embedded templates are checked once here (dist/template-index/).
//
//   node scripts/build.mjs            development build, with source maps
//   node scripts/build.mjs --release  the published build (prepack, nix):
//                                     no source maps
// Both write THIRD-PARTY-NOTICES from esbuild's metafile.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire, isBuiltin } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { planFusion, twiceLoaded } from './fuse-plan.mjs';
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
// from process.getBuiltinModule('node:x') (or, before Node 22.3, the
// banner's require). A file that imports a
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

// node:fs/promises costs a dozen internal modules (its file handles bring
// readline and the watchers), a few milliseconds of every start-up that
// merely imports it: io/files.ts and teamconfig do, for functions that
// `init` never calls on its way. Its functions are therefore wrapped, and the
// module is required at the first call. Only plain functions (no classes, no
// constants) are wrapped; a file importing anything else keeps the eager form.
const LAZY_BUILTINS = new Set(['node:fs/promises']);
const requireHere = createRequire(import.meta.url);
function isPlainFunction(spec, name) {
  const value = requireHere(spec)[name];
  return (
    typeof value === 'function' &&
    !/^class[\s{]/.test(Function.prototype.toString.call(value)) &&
    name[0] === name[0].toLowerCase()
  );
}

// A built-in module by name: process.getBuiltinModule (Node >= 22.3) needs
// no require function, so a chunk that only reads built-ins never makes one
// (the banner's is made at its first call).
const builtin = (spec) =>
  `(process.getBuiltinModule?.(${JSON.stringify(spec)}) ?? require(${JSON.stringify(spec)}))`;

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
      const names = list.split(',');
      if (LAZY_BUILTINS.has(spec) && names.every((name) => isPlainFunction(spec, name))) {
        // Required at the first call, not when the importing chunk loads.
        const lines = names.map(
          (name) =>
            `export function ${name}(...args) { return ${builtin(spec)}.${name}(...args); }`,
        );
        return { contents: `${lines.join('\n')}\n`, loader: 'js' };
      }
      const lines = [`const m = ${builtin(spec)};`];
      for (const name of names)
        lines.push(name === 'default' ? 'export default m;' : `export const ${name} = m.${name};`);
      return { contents: `${lines.join('\n')}\n`, loader: 'js' };
    });
  },
};

// `crossflake init` runs from one file of its own (see fuse() below): the
// command table's dynamic import of the init handler is pointed at it here.
const FUSED_INIT = './chunks/init.js';
const initFromCli = {
  name: 'init-from-cli',
  setup(b) {
    b.onResolve({ filter: /^\.\/init\/command\.js$/ }, (args) =>
      args.kind === 'dynamic-import' && /src[\\/]cli\.ts$/.test(args.importer)
        ? { path: FUSED_INIT, external: true }
        : undefined,
    );
  },
};

const BUILD = await buildId();
await rm(new URL('../dist/', import.meta.url), { recursive: true, force: true });
const result = await build({
  entryPoints: {
    cli: 'src/main.ts',
    // The init handler as esbuild splits it; check and onboard import this
    // one, and fuse() bundles it again with its chunks for the CLI.
    'chunks/init-command': 'src/init/command.ts',
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
  // Bundled CommonJS dependencies (ajv) call require(); give them one, made
  // at its first call: most chunks never call it, and making one per chunk
  // (createRequire, import.meta) was a share of every start-up.
  banner: {
    js: "import { createRequire as __cfCreateRequire } from 'node:module'; let __cfRequire; function require(id) { return (__cfRequire ??= __cfCreateRequire(import.meta.url))(id); }",
  },
  define: { __CROSSFLAKE_BUILD__: JSON.stringify(BUILD) },
  plugins: [builtinsByName, initFromCli],
  logLevel: 'warning',
});

// The init handler, bundled again from the chunks just written into one
// file (scripts/fuse-plan.mjs says which and why); the CLI alone loads it
// (initFromCli), check and onboard keep the split one. The build fails if an
// init run could load a module twice.
const LAZY_FUSE_BYTES = 64 * 1024;
async function fuse(meta, { entry, spec, out }) {
  const outputs = meta.outputs;
  const entryFile = (source) => {
    const file = Object.keys(outputs).find(
      (f) => outputs[f].entryPoint === source && f.endsWith('.js'),
    );
    if (!file) throw new Error(`fuse: no output for ${source}`);
    return file;
  };
  const handler = entryFile(entry);
  const plan = planFusion(outputs, {
    handler,
    loaded: ['dist/cli.js', entryFile(spec)],
    lazyBytes: LAZY_FUSE_BYTES,
  });
  const { inline } = plan;
  const chunkDir = join('dist', 'chunks');
  const outfile = join(chunkDir, out);
  const twice = twiceLoaded(outputs, plan, outfile);
  if (twice.length > 0) throw new Error(`fuse: ${twice.join('; ')}`);

  await build({
    entryPoints: [handler],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: release ? false : 'linked',
    logLevel: 'warning',
    plugins: [
      {
        name: 'keep-shared-chunks',
        setup(b) {
          b.onResolve({ filter: /.*/ }, (args) => {
            if (args.kind === 'entry-point') return undefined;
            if (args.path.startsWith('node:')) return { path: args.path, external: true };
            const file = relative(process.cwd(), join(args.resolveDir, args.path))
              .split('\\')
              .join('/');
            if (inline.has(file)) return undefined;
            // Kept as an import, spelled from the fused file's folder.
            const spelled = relative(chunkDir, file).split('\\').join('/');
            return { path: spelled.startsWith('.') ? spelled : `./${spelled}`, external: true };
          });
        },
      },
    ],
  });
}
await fuse(result.metafile, {
  entry: 'src/init/command.ts',
  spec: 'src/init/spec.ts',
  out: FUSED_INIT.slice('./chunks/'.length),
});

// The embedded templates that pass every check now (the schema, and their
// files: src/templates/consistency.ts), each as its exact texts with this
// build's id, one file per template (src/templates/load.ts checkedAtBuild):
// at run time init skips the checks for a template whose texts are all
// listed, most of its own start-up. The checks are load.ts's own, bundled for
// the moment. One that fails is left out and reported then, with the check's
// own message.
async function writeTemplateIndex(id) {
  const probe = join('dist', `.template-index-${process.pid}.mjs`);
  await build({
    entryPoints: ['src/templates/load.ts'],
    outfile: probe,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
    logLevel: 'warning',
  });
  try {
    const { loadTemplate } = await import(pathToFileURL(probe).href);
    await mkdir(join('dist', 'template-index'));
    for (const entry of await readdir('templates', { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const dir = join('templates', entry.name);
      let template;
      try {
        template = await loadTemplate(resolve(dir));
      } catch {
        continue;
      }
      const listed = {
        build: id,
        spec: await readFile(join(dir, 'template.json'), 'utf8'),
        files: Object.fromEntries(template.files),
      };
      await writeFile(
        join('dist', 'template-index', `${entry.name}.json`),
        `${JSON.stringify(listed)}\n`,
      );
    }
  } finally {
    await rm(probe, { force: true });
  }
}
await writeTemplateIndex(BUILD);

// Written whole to a temporary name, then renamed: never a half file.
const notices = noticesFor(result.metafile, manifest);
await writeFile('THIRD-PARTY-NOTICES.tmp', notices);
await rename('THIRD-PARTY-NOTICES.tmp', 'THIRD-PARTY-NOTICES');
