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
    // gnome-keyring-daemon 42 sometimes aborts under many concurrent clients; the tests' D-Bus
    // session starts it again, unlocked, at the next call (build/scripts/private-keyring.mjs). A
    // test whose call was in flight when it died gets one more run, and only for the three
    // answers such a call gets: the daemon left, its connection's name is gone, or the new daemon
    // does not know the Secret Service session the call opened with the old one.
    retry: {
      count: 1,
      delay: 1500,
      condition:
        /Message recipient disconnected from message bus|The name :[\d.]+ was not provided by any \.service files|org\.freedesktop\.Secret\.Error\.NoSession: The session does not exist/,
    },
  },
});
