import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { definitionFor } from '../../electron/core/targets/target-kinds.js';
import { isTargetRecord, type TargetRecord } from '../../electron/core/targets/target-record.js';
import type { TargetSpec } from '../../electron/core/targets/target-record.js';
import {
  describeTarget,
  kindsOf,
  targetSpec,
  TOOLS,
  type Tool,
} from '../../electron/core/targets/tool-request.js';

const root = resolve(import.meta.dirname, '../..');
const environment = { platform: 'linux' as const, env: {}, home: '/home/ada' };
const instance = { platformUrl: 'https://acme.jfrog.io/' };

/** The spec of `kind` that configuring `tool` writes: the tool's own, or one written with it. */
const specOfKind = (tool: Tool, kind: string): TargetSpec => {
  const options = { repo: 'libs-virtual', auths: kind === 'docker-auths' };
  const first = targetSpec(tool, instance, options, environment);
  // A kind written only beside another (Poetry's repository, Cargo's registry) comes from its spec.
  const companion = definitionFor(first).companion?.(first);
  const specs = [first, ...(companion ? [companion] : [])];
  return specs.find((spec) => spec.kind === kind) ?? specs[0]!;
};

/** A record of every kind as `configure` would save it, built from each tool's request. */
const records = (): TargetRecord[] =>
  TOOLS.flatMap((tool) =>
    kindsOf(tool).map((kind) => ({
      ...specOfKind(tool, kind),
      createdFile: false,
      restore: {},
      writtenAt: null,
      error: null,
    })),
  );

/**
 * Each kind lives in its own module (electron/core/targets/kinds, listed in target-kinds.ts); these
 * check what the compiler cannot: that the pieces of one kind agree with each other.
 */
describe('target kinds', () => {
  it('reach every kind through a tool, and configure each kind its tool names', () => {
    const kinds = records().map((r) => r.kind);
    expect(new Set(kinds).size).toBe(kinds.length);
    for (const tool of TOOLS)
      expect(kindsOf(tool)).toContain(
        targetSpec(tool, instance, { repo: 'libs-virtual' }, environment).kind,
      );
  });

  it('read back from the state file every spec a request makes, and refuse it without any of its fields', () => {
    for (const record of records()) {
      expect(isTargetRecord(JSON.parse(JSON.stringify(record))), record.kind).toBe(true);
      for (const field of Object.keys(record).filter(
        (k) => !['kind', 'path', 'createdFile', 'restore', 'writtenAt', 'error'].includes(k),
      )) {
        const broken: Record<string, unknown> = { ...record };
        delete broken[field];
        expect(isTargetRecord(broken), `${record.kind} without ${field}`).toBe(false);
      }
    }
    expect(isTargetRecord({ ...records()[0], kind: 'toString' })).toBe(false);
  });

  it('write each kind to a file in HOME by default, and describe it naming that file', () => {
    for (const record of records()) {
      expect(record.path.startsWith('/home/ada/'), record.kind).toBe(true);
      expect(describeTarget(record)).toContain(record.path);
    }
  });

  it('keep the state-file check free of writers: the Docker helper reads that file on every pull', () => {
    // What electron/core/state.ts loads, followed through relative imports (type-only ones load nothing).
    const reached = new Set<string>();
    const visit = (file: string): void => {
      if (reached.has(file)) return;
      reached.add(file);
      const code = readFileSync(file, 'utf8');
      for (const [, from] of code.matchAll(/^import (?!type )[^;]*?from '(\.\.?\/[^']+)\.js';/gm))
        visit(resolve(dirname(file), `${from!}.ts`));
    };
    visit(join(root, 'electron/core/state.ts'));
    const targets = [...reached]
      .map((file) => relative(join(root, 'electron/core/targets'), file))
      .filter((file) => !file.startsWith('..'))
      .sort();
    expect(
      targets.filter(
        (file) =>
          !/^(target-record|kinds\/definition|kinds\/spec-fields|kinds\/[a-z-]+-spec)\.ts$/.test(
            file,
          ),
      ),
    ).toEqual([]);
  });
});
