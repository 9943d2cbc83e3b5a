#!/usr/bin/env node
// `npm run build`: main, preload, CLI and renderer into dist/, in one process.
import { build as esbuild } from 'esbuild';
import { chmod, rm, writeFile } from 'node:fs/promises';
import { build as vite } from 'vite';

const root = new URL('../..', import.meta.url).pathname;
const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  absWorkingDir: root,
  logLevel: 'warning',
  legalComments: 'none',
};

async function step(label, work) {
  const started = performance.now();
  await work();
  process.stdout.write(`built ${label} in ${Math.round(performance.now() - started)} ms\n`);
}

await step('dist/main/index.cjs', () =>
  esbuild({
    ...node,
    entryPoints: ['electron/main/index.ts'],
    outfile: 'dist/main/index.cjs',
    format: 'cjs',
    external: ['electron'],
    packages: 'external',
  }),
);
// A sandboxed preload may only require('electron'): everything else is bundled into one CommonJS file.
await step('dist/preload/index.cjs', () =>
  esbuild({
    ...node,
    entryPoints: ['electron/preload/index.ts'],
    outfile: 'dist/preload/index.cjs',
    format: 'cjs',
    external: ['electron'],
  }),
);
await step('dist/cli', async () => {
  await rm(`${root}dist/cli`, { recursive: true, force: true });
  const cli = {
    ...node,
    outdir: 'dist/cli',
    format: 'esm',
    // One file loads faster than jose's many modules; the native keychain addon stays outside.
    external: ['@napi-rs/keyring'],
    // CommonJS packages bundled into ESM (`yaml` requires 'process') call require(), which ESM
    // lacks: every output file gets one of its own.
    banner: {
      js: "import { createRequire as artikeyCreateRequire } from 'node:module';\nconst require = artikeyCreateRequire(import.meta.url);",
    },
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    outExtension: { '.js': '.js' },
  };
  await esbuild({
    ...cli,
    entryPoints: {
      artikey: 'electron/cli/artikey.ts',
      // The app and `artikey agent` run the keychain in this child process (core/keychain-process).
      'keychain-child': 'electron/core/keychain-child.ts',
    },
  });
  // Docker runs the helper for every pull: CommonJS, which Node loads without its ESM loader (a
  // resolve, a read and a link per file), with import.meta.url as CommonJS knows it. The full core
  // (a refresh, list, store, erase) is a second file, which `get` seldom has to parse.
  const helper = {
    ...node,
    format: 'cjs',
    external: ['@napi-rs/keyring'],
    inject: ['build/scripts/import-meta-url.js'],
    define: { 'import.meta.url': 'importMetaUrl' },
  };
  const core = 'docker-credential-artikey-core.cjs';
  await esbuild({
    ...helper,
    entryPoints: ['electron/cli/docker-credential-artikey.ts'],
    outfile: 'dist/cli/docker-credential-artikey.cjs',
    plugins: [
      {
        name: 'core-apart',
        setup: (build) =>
          build.onResolve({ filter: /^\.\/create-artikey\.js$/ }, () => ({
            path: `./${core}`,
            external: true,
          })),
      },
    ],
  });
  await esbuild({
    ...helper,
    entryPoints: ['electron/cli/create-artikey.ts'],
    outfile: `dist/cli/${core}`,
  });
  // Launchers that "Install command-line tools" wrote before the helper became CommonJS name this.
  await writeFile(
    `${root}dist/cli/docker-credential-artikey.js`,
    "#!/usr/bin/env node\nimport { createRequire } from 'node:module';\n\ncreateRequire(import.meta.url)('./docker-credential-artikey.cjs');\n",
  );
  for (const bin of [
    'artikey.js',
    'docker-credential-artikey.js',
    'docker-credential-artikey.cjs',
  ]) {
    await chmod(`${root}dist/cli/${bin}`, 0o755);
  }
});
// Always the production renderer: run from a test (NODE_ENV=test) Vite would otherwise keep
// Svelte's development build, a third larger and slower.
process.env.NODE_ENV = 'production';
await step('dist/renderer', () =>
  vite({ configFile: `${root}build/vite.config.ts`, mode: 'production' }),
);
