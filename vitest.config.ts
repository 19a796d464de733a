import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Child processes and bin/push-bench.js run dist/: build it from the current sources first.
    globalSetup: ['test/global-setup.ts'],
    // Integration tests start real servers and child processes; a loaded 2-core CI
    // machine needs generous limits so that slowness never reads as failure.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    // `npm run coverage`. Only code that runs in the test workers counts: the client and server
    // processes the tests fork, and the CLI they spawn, run dist/ in processes of their own,
    // so what only they execute (client-process.ts, server/child.ts, cli/main.ts) shows as uncovered.
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      reporter: ['text-summary', 'html'],
      reportsDirectory: 'coverage',
    },
  },
});
