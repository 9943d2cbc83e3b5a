// ESLint for every layer, with the layering of DESIGN.md enforced: imports flow one way only.
import { defineConfig } from 'eslint/config';
import { builtinModules } from 'node:module';
import globals from 'globals';
import svelte from 'eslint-plugin-svelte';
import tseslint from 'typescript-eslint';

const root = new URL('..', import.meta.url).pathname;

// Bare names too: `fs` resolves to the built-in just like `node:fs`.
const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];
const noNode = (why) => nodeBuiltins.map((name) => ({ name, message: why }));

const ELECTRON_ONLY_IN = 'Only electron/main and electron/preload may import electron.';
const noElectron = { name: 'electron', message: ELECTRON_ONLY_IN };
// `electron/main`, `electron/renderer` and `electron/common` are Electron too.
const noElectronSubpaths = { group: ['electron/*'], message: ELECTRON_ONLY_IN };

// One `no-restricted-imports` rule: what a layer may not import, and why. Paths are gitignore
// patterns over the import string, so '**/main/**' catches '../main/x.js' from any depth.
const layer = ({ electron = false, node, paths = [], why }) => ({
  'no-restricted-imports': [
    'error',
    {
      paths: [...(electron ? [] : [noElectron]), ...(node ? noNode(node) : [])],
      patterns: [...(electron ? [] : [noElectronSubpaths]), { group: paths, message: why }],
    },
  ],
});

const layers = [
  {
    files: ['electron/core/**'],
    languageOptions: { globals: globals.node },
    rules: {
      ...layer({
        paths: ['**/renderer/**', '**/main/**', '**/preload/**', '**/cli/**'],
        why: 'electron/core is the engine: plain Node, no Electron, nothing from the layers above.',
      }),
      // The engine runs in the CLI too: there is no page to reach for.
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'localStorage'],
    },
  },
  {
    files: ['electron/ipc/**'],
    rules: layer({
      node: 'The IPC contract is shared with the renderer: no Node built-ins.',
      paths: ['../*'],
      why: 'The IPC contract imports nothing but its own files.',
    }),
  },
  {
    files: ['electron/preload/**'],
    rules: layer({
      electron: true,
      node: 'A sandboxed preload can load electron and nothing else from outside its bundle.',
      paths: ['**/core/**', '**/main/**', '**/cli/**', '**/renderer/**'],
      why: 'The preload may import only electron and electron/ipc.',
    }),
  },
  {
    files: ['electron/main/**'],
    rules: layer({
      electron: true,
      paths: ['**/preload/**', '**/cli/**', '**/renderer/**'],
      why: 'Main talks to the page through electron/ipc only.',
    }),
  },
  {
    files: ['electron/cli/**'],
    rules: layer({
      paths: ['**/main/**', '**/preload/**', '**/renderer/**'],
      why: 'The CLI runs without Electron: electron/core and electron/ipc only.',
    }),
  },
  {
    files: ['renderer/**'],
    languageOptions: { globals: globals.browser },
    rules: layer({
      node: 'The renderer is a web page: no Node built-ins.',
      paths: ['**/electron/*', '**/electron/*/**', '!**/electron/ipc', '!**/electron/ipc/**'],
      why: 'The renderer knows only window.artikey and the types of electron/ipc.',
    }),
  },
];

export default defineConfig(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'coverage/**', 'test-results/**'] },
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    files: ['**/*.ts', '**/*.svelte'],
    languageOptions: {
      parserOptions: {
        // Each file is typed by its nearest tsconfig: tsconfig.json or renderer/tsconfig.json.
        projectService: true,
        tsconfigRootDir: root,
        extraFileExtensions: ['.svelte'],
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // svelte-eslint-parser hands <script lang="ts"> blocks and rune modules to this parser.
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    files: ['electron/core/**', 'electron/ipc/**', 'renderer/**'],
    rules: { 'no-console': 'error' },
  },
  ...layers,
  {
    files: ['test/**', 'build/**'],
    languageOptions: { globals: globals.node },
  },
);
