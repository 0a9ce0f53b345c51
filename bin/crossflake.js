#!/usr/bin/env node
// Entry point named by package.json "bin". The CLI itself is the bundle in
// dist/, built by `npm run build` (and by `npm pack` through prepack).
import('../dist/cli.js').catch((error) => {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist')) {
    console.error(
      'crossflake: the CLI is not built yet; run `npm run build` in the package folder.',
    );
    process.exit(2);
  }
  throw error;
});
