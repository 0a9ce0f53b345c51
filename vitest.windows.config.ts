import { defineConfig } from 'vitest/config';

// The Windows lane (`npm run test:windows`): the built CLI under Wine. One
// worker: every test drives the same Wine prefix, and each Windows process is
// slow to start, so a generous time per test.
export default defineConfig({
  test: {
    include: ['test/windows/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: 'forks',
    poolOptions: { forks: { maxForks: 1, minForks: 1 } },
    reporters: ['default'],
  },
});
