import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;
const eslint = new ESLint({ cwd: root, overrideConfigFile: `${root}build/eslint.config.js` });
// Snippets are not part of the TypeScript project, so they are linted without type information.
const snippets = new ESLint({
  cwd: root,
  overrideConfigFile: `${root}build/eslint.config.js`,
  overrideConfig: {
    languageOptions: { parserOptions: { projectService: false, project: null } },
    rules: { '@typescript-eslint/no-floating-promises': 'off' },
  },
});

/** Layer errors only: other rules may have opinions about these snippets too. */
async function layerErrors(code: string, filePath: string): Promise<string[]> {
  const [result] = await snippets.lintText(code, { filePath: `${root}${filePath}` });
  const fatal = result?.messages.find((m) => m.fatal);
  if (fatal) throw new Error(`ESLint could not parse the snippet: ${fatal.message}`);
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-globals').map((m) => m.message);
}

describe('the layering lint rule', () => {
  it.each([
    ['electron/core/probe.ts', "import { app } from 'electron';\nexport const x = app;\n"],
    ['electron/core/probe.ts', "import { x } from '../../renderer/src/bridge.js';\nexport const y = x;\n"],
    ['electron/core/probe.ts', "import { x } from '../main/window-options.js';\nexport const y = x;\n"],
    ['electron/core/probe.ts', 'export const title = document.title;\n'],
    ['renderer/src/probe.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n"],
    ['renderer/src/probe.ts', "import { readFileSync } from 'fs';\nexport const x = readFileSync;\n"],
    ['renderer/src/probe.ts', "import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;\n"],
    ['renderer/src/probe.ts', "import { Artikey } from '../../electron/core/artikey.js';\nexport const x = Artikey;\n"],
    ['electron/ipc/probe.ts', "import { join } from 'node:path';\nexport const x = join;\n"],
    ['electron/cli/probe.ts', "import { app } from 'electron';\nexport const x = app;\n"],
    ['electron/preload/probe.ts', "import { Artikey } from '../core/artikey.js';\nexport const x = Artikey;\n"],
  ])('refuses, in %s: %s', async (filePath, code) => {
    expect(await layerErrors(code, filePath)).not.toEqual([]);
  });

  it.each([
    ['electron/core/probe.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n"],
    ['renderer/src/probe.ts', "import type { Result } from '../../electron/ipc/contract';\nexport type X = Result<number>;\n"],
    ['electron/main/probe.ts', "import { app } from 'electron';\nimport { Artikey } from '../core/artikey.js';\nexport const x = [app, Artikey];\n"],
    ['electron/cli/probe.ts', "import { Artikey } from '../core/artikey.js';\nexport const x = Artikey;\n"],
  ])('allows, in %s: %s', async (filePath, code) => {
    expect(await layerErrors(code, filePath)).toEqual([]);
  });

  it('finds no layer violation in the real tree', async () => {
    const results = await eslint.lintFiles(['electron', 'renderer']);
    const violations = results.flatMap((r) => r.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => `${r.filePath}: ${m.message}`));
    expect(violations).toEqual([]);
  });
});
