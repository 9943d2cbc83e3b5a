import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;
const overrideConfigFile = `${root}build/eslint.config.js`;
const eslint = new ESLint({ cwd: root, overrideConfigFile });
// Snippets are not files of a TypeScript project, so they are linted without type information.
const snippets = new ESLint({
  cwd: root,
  overrideConfigFile,
  overrideConfig: {
    languageOptions: { parserOptions: { projectService: false, project: null } },
    rules: { '@typescript-eslint/no-floating-promises': 'off' },
  },
});

const LAYER_RULES = new Set(['no-restricted-imports', 'no-restricted-globals']);

/** Layer errors only: other rules may have opinions about these snippets too. */
async function layerErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await snippets.lintText(code, { filePath: `${root}${filePath}` });
  const fatal = result?.messages.find((m) => m.fatal);
  if (fatal) throw new Error(`ESLint could not parse the snippet: ${fatal.message}`);
  return (result?.messages ?? [])
    .filter((m) => LAYER_RULES.has(m.ruleId ?? ''))
    .map((m) => m.message);
}

const importing = (specifier: string) => `import * as it from '${specifier}';\nexport { it };\n`;

describe('the layering lint rule', () => {
  it.each([
    ['electron/core/probe.ts', importing('electron')],
    ['electron/core/probe.ts', importing('electron/main')],
    ['electron/core/probe.ts', importing('../../renderer/src/bridge.js')],
    ['electron/core/probe.ts', importing('../main/window-options.js')],
    ['electron/core/deeper/probe.ts', importing('../../cli/run.js')],
    ['electron/core/probe.ts', 'export const title = document.title;\n'],
    ['electron/ipc/probe.ts', importing('node:path')],
    ['electron/ipc/probe.ts', importing('electron')],
    ['electron/ipc/probe.ts', importing('../core/errors.js')],
    ['electron/preload/probe.ts', importing('../core/artikey.js')],
    ['electron/preload/probe.ts', importing('node:fs')],
    ['electron/preload/probe.ts', importing('path')],
    ['electron/main/probe.ts', importing('../../renderer/src/bridge.js')],
    ['electron/cli/probe.ts', importing('electron')],
    ['electron/cli/probe.ts', importing('../main/window-options.js')],
    ['renderer/src/probe.ts', importing('node:fs')],
    ['renderer/src/probe.ts', importing('fs')],
    ['renderer/src/probe.ts', importing('child_process')],
    ['renderer/src/probe.ts', importing('electron')],
    ['renderer/src/probe.ts', importing('../../electron/core/index.js')],
    ['renderer/src/probe.ts', importing('../../electron/core')],
    ['renderer/src/probe.ts', importing('../../electron/preload/index.js')],
    [
      'renderer/src/App.svelte',
      `<script lang="ts">\n  import { readFileSync } from 'node:fs';\n  readFileSync('x');\n</script>\n`,
    ],
  ])('refuses, in %s: %s', async (filePath, code) => {
    expect(await layerErrors(filePath, code)).not.toEqual([]);
  });

  it.each([
    ['electron/core/probe.ts', importing('node:fs')],
    ['electron/core/probe.ts', importing('./errors.js')],
    ['electron/ipc/probe.ts', importing('./contract.js')],
    [
      'electron/preload/probe.ts',
      `import { contextBridge } from 'electron';\n${importing('../ipc/contract.js')}`,
    ],
    [
      'electron/main/probe.ts',
      `import { app } from 'electron';\n${importing('../core/artikey.js')}`,
    ],
    [
      'electron/cli/probe.ts',
      `${importing('../core/artikey.js')}import type { Result } from '../ipc/contract.js';\nexport type R = Result<1>;\n`,
    ],
    [
      'renderer/src/probe.ts',
      "import type { Result } from '../../electron/ipc/contract';\nexport type X = Result<number>;\n",
    ],
  ])('allows, in %s: %s', async (filePath, code) => {
    expect(await layerErrors(filePath, code)).toEqual([]);
  });

  // Type-aware linting of every main, core and renderer file (the Svelte screens included) takes
  // half a minute on a busy 2-core machine; the limit only guards against a hang.
  it('finds no layer violation in the real tree', { timeout: 120_000 }, async () => {
    const results = await eslint.lintFiles(['electron', 'renderer']);
    const violations = results.flatMap((r) =>
      r.messages
        .filter((m) => LAYER_RULES.has(m.ruleId ?? ''))
        .map((m) => `${r.filePath}: ${m.message}`),
    );
    expect(violations).toEqual([]);
  });
});
