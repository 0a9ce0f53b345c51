#!/usr/bin/env node
// Entry point named by package.json "bin". The CLI itself is the bundle in
// dist/, built by `npm run build` (and by `npm pack` through prepack).
import module from 'node:module';

// Node's on-disk compile cache (Node >= 22.1) keeps the V8 code of the bundle
// between runs, so start-up skips compiling it: most of what `--help` and
// `--version` cost beyond bare Node. Node picks the folder: NODE_COMPILE_CACHE
// if set, else node-compile-cache under the OS temp folder, shared by every
// Node program of this user and keyed by file content, so a new build never
// reads a stale entry; NODE_DISABLE_COMPILE_CACHE=1 turns it off. A cache
// that cannot be used (a read-only or full folder) only makes start-up
// slower: Node reports it in the returned status and never throws for it,
// and the try keeps even an unexpected throw from failing the CLI.
try {
  module.enableCompileCache?.();
} catch {
  // Start without the cache.
}

// `crossflake --version` alone is answered here, without loading the bundle
// (its modules and the node:util and stream code they pull in): the figure
// is held to 1.2x bare Node. Any other use goes through dist/cli.js, which
// answers --version the same way.
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const require = module.createRequire(import.meta.url);
  const { version } = require('../package.json');
  // Straight to the descriptor: making process.stdout loads Node's stream
  // code, as much again as the rest of this path. The stream only if that
  // fails (a pipe left non-blocking, a closed reader: it handles both).
  try {
    require('node:fs').writeSync(1, `${version}\n`);
  } catch {
    process.stdout.write(`${version}\n`);
  }
} else {
  start();
}

function start() {
  import('../dist/cli.js').catch((error) => {
    if (error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist')) {
      console.error(
        'crossflake: the CLI is not built yet; run `npm run build` in the package folder.',
      );
      process.exit(2);
    }
    throw error;
  });
}
