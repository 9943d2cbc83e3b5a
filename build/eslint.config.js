// ESLint for every layer, with the layering of DESIGN.md enforced: imports flow one way only.
import { builtinModules } from 'node:module';
import globals from 'globals';
import svelte from 'eslint-plugin-svelte';
import tseslint from 'typescript-eslint';

const root = new URL('..', import.meta.url).pathname;
const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];

const layer = (message, patterns) => ({ group: patterns, message });
const noElectron = { name: 'electron', message: 'Only electron/main and electron/preload may import electron.' };

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'coverage/**', 'test-results/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: root } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['renderer/**/*.ts'],
    languageOptions: { parserOptions: { projectService: false, project: null } },
    rules: { '@typescript-eslint/no-floating-promises': 'off' },
  },
  ...svelte.configs['flat/recommended'],
  {
    files: ['renderer/**/*.svelte'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    files: ['electron/core/**', 'electron/ipc/**', 'renderer/**'],
    rules: { 'no-console': 'error' },
  },
  {
    files: ['electron/core/**'],
    languageOptions: { globals: globals.node },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron],
          patterns: [layer('electron/core is the engine: it may not reach up into other layers or the renderer.', ['**/renderer/**', '**/electron/main/**', '**/electron/preload/**', '**/electron/cli/**', '../main/**', '../preload/**', '../cli/**'])],
        },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'localStorage', 'sessionStorage'],
    },
  },
  {
    files: ['electron/ipc/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron, ...nodeBuiltins.map((name) => ({ name, message: 'The IPC contract is shared with the renderer: no Node built-ins.' }))],
          patterns: [layer('The IPC contract imports nothing but itself.', ['../*', '**/electron/core/**', '**/renderer/**'])],
        },
      ],
    },
  },
  {
    files: ['electron/preload/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [layer('The preload may import only electron and electron/ipc.', ['../core/**', '../main/**', '../cli/**', '**/renderer/**'])] },
      ],
    },
  },
  {
    files: ['electron/cli/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [noElectron], patterns: [layer('The CLI runs without Electron: core and ipc only.', ['../main/**', '../preload/**', '**/renderer/**'])] },
      ],
    },
  },
  {
    files: ['electron/main/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [layer('Main talks to the page through ipc only.', ['../preload/**', '../cli/**', '**/renderer/**'])] }],
    },
  },
  {
    files: ['renderer/**'],
    languageOptions: { globals: globals.browser },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron, ...nodeBuiltins.map((name) => ({ name, message: 'The renderer is a web page: no Node built-ins.' }))],
          patterns: [
            layer('The renderer knows only the IPC contract (electron/ipc).', ['**/electron/core/**', '**/electron/main/**', '**/electron/preload/**', '**/electron/cli/**']),
          ],
        },
      ],
    },
  },
  {
    files: ['test/**', 'build/**'],
    languageOptions: { globals: globals.node },
  },
);
