import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The Windows lane has its own run (npm run test:windows).
    exclude: ['test/windows/**', 'node_modules/**'],
    // Real nix and real processes: generous per-test time (a loaded shared
    // machine must not turn a slow test red), and at most two workers because
    // the machines this runs on have two cores.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    reporters: ['default'],
  },
});
