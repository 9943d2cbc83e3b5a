import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: new URL('..', import.meta.url).pathname,
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Real clients (mvn, npm, skopeo) and Chromium are heavy; two files at a time fit two cores.
    maxWorkers: 2,
    reporters: ['default', './build/summary-reporter.ts'],
    allowOnly: false,
  },
});
