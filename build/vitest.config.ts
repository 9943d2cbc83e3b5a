import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: new URL('..', import.meta.url).pathname,
  // Component tests render the renderer's .svelte files (on the server side, to HTML).
  plugins: [svelte({ configFile: false })],
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
    // gnome-keyring-daemon 42 sometimes aborts under many concurrent clients; D-Bus then starts a
    // locked one, which the private-keyring watchdog replaces within a second. A test caught in
    // that second gets one more run, and only for those two symptoms of the daemon itself.
    retry: {
      count: 1,
      delay: 1500,
      condition: /Message recipient disconnected from message bus|\(Secret Service\) is locked/,
    },
  },
});
