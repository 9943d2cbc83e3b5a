import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

const root = new URL('../renderer', import.meta.url).pathname;

export default defineConfig({
  root,
  // Relative asset URLs: the app loads the renderer from file://.
  base: './',
  plugins: [svelte()],
  build: {
    outDir: new URL('../dist/renderer', import.meta.url).pathname,
    emptyOutDir: true,
    target: 'chrome130',
    reportCompressedSize: false,
    // How long the Svelte compiler took is noise on a busy machine, and it lands on the stderr of
    // `npm start` and `npm test` ahead of what they have to say.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
  logLevel: 'warn',
});
