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
  },
  logLevel: 'warn',
});
