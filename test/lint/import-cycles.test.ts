import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * No module under electron/ imports itself through others. A circle (run.ts ↔ agent.ts through
 * `CliIo` was one) means neither side can be read, tested or moved without the other, and once
 * values are involved, one side runs against the other's half-loaded exports. Type-only imports
 * count: they are where such circles start. ESLint's import/no-cycle would say the same, but
 * eslint-plugin-import is not among our dependencies; TypeScript's own import scanner is.
 */
const root = new URL('../..', import.meta.url).pathname;

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The files a module imports from this repository: static, type-only, re-exports and import(). */
function localImports(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return importedFiles
    .map((i) => i.fileName)
    .filter((name) => name.startsWith('.'))
    .map((name) => resolve(dirname(file), name))
    .map((path) =>
      [path.replace(/\.js$/, '.ts'), `${path}.ts`, join(path, 'index.ts')].find((p) =>
        existsSync(p),
      ),
    )
    .filter((path): path is string => path !== undefined);
}

/** Each circle once, as the files along it (Tarjan's strongly connected components). */
function importCycles(files: string[]): string[][] {
  const graph = new Map(files.map((file) => [file, localImports(file)]));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, index.size);
    low.set(file, index.get(file)!);
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (!graph.has(next)) continue;
      if (!index.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file)!, low.get(next)!));
      } else if (stack.includes(next)) low.set(file, Math.min(low.get(file)!, index.get(next)!));
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || graph.get(file)!.includes(file)) cycles.push(component.sort());
  };
  for (const file of files) if (!index.has(file)) visit(file);
  return cycles;
}

describe('imports under electron/', () => {
  it('form no circle', () => {
    const cycles = importCycles(sourceFiles(join(root, 'electron')));
    expect(cycles.map((files) => files.map((f) => relative(root, f)).join(' ↔ '))).toEqual([]);
  });
});
