/**
 * ini-file.ts under fuzzing, for its three kinds: npm (.npmrc, read by npm's own ini and
 * @npmcli/config in-process, and by the real `npm` binary in a bounded property), pip (pip.conf)
 * and pypirc (.pypirc), both read by Python's configparser as pip and twine use it
 * (test/fuzz/oracles/ini_oracle.py, one long-lived process).
 *
 * Documented exceptions to "unconfigure gives back the exact bytes":
 * - migrate: the adopted plain-text credential does not come back (Artikey never keeps a
 *   secret); pip's adopted index-url comes back without its user and password, so pip keeps
 *   using the same index instead of silently falling back to PyPI.
 * - files whose own entry already holds a secret are the migrate properties' files, not the
 *   round trip's, for the same reason.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { expect } from 'vitest';
import { planMigration } from '../../electron/core/migrate.js';
import { findInText } from '../../electron/core/scan/scan.js';
import { npmRegistryKey } from '../../electron/core/targets/ini-file.js';
import type { TargetSpec } from '../../electron/core/targets/target-record.js';
import { cleanerOf, definitionOf } from '../../electron/core/targets/target-kinds.js';
import { renderWrite } from '../../electron/core/targets/targets.js';
import { withCredentials } from '../../electron/core/targets/restore-notes.js';
import { ToolFileError } from '../../electron/core/targets/tool-file.js';
import { npmCanParse, npmReads } from './oracles/npm-oracle.js';
import type { FuzzProperty, FuzzSuite } from './support/fuzz-run.js';
import {
  npmAdoptable,
  npmFile,
  npmRegistryOf,
  pipAdoptable,
  pipFile,
  pipGivenBack,
  pypircAdoptable,
  pypircFile,
  type Instance,
} from './support/ini-arbitraries.js';
import { assemble, sameText, without, type LinedFile } from './support/ini-lines.js';
import { OraclePool, OracleProcess } from './support/oracle-process.js';
import {
  credentials,
  cycle,
  diskCycle,
  expectRefusedUntouched,
  fileBytes,
  recordOf,
  removal,
  USERNAME,
} from './support/target-cycle.js';
import { occurrences, token } from './support/text-arbitraries.js';
import { NpmBinary } from './oracles/npm-binary.js';

const ORACLE = join(import.meta.dirname, 'oracles', 'ini_oracle.py');
const pool = new OraclePool();
const python = (): OracleProcess =>
  pool.get('configparser', () => new OracleProcess('ini_oracle.py', 'python3', [ORACLE]));

type Sections = Record<string, Record<string, string>>;
type IniAnswer = { ok: true; sections: Sections } | { ok: false; error: string };
const configparser = (text: string): Promise<IniAnswer> =>
  python().ask<IniAnswer>({ op: 'ini', text });

const scratch = mkdtempSync(join(tmpdir(), 'artikey-fuzz-ini-'));
const npmBinary = new NpmBinary(scratch);
const ENVIRONMENT = { platform: 'linux' as const, env: {}, home: scratch };

function specOf(
  kind: 'npm' | 'pip' | 'pypirc',
  i: Instance,
  repo: string,
  options: { scope?: string; setRegistry?: boolean; section?: string } = {},
  path = join(scratch, kind),
): TargetSpec {
  return definitionOf(kind).fromRequest({
    options,
    platformUrl: i.platformUrl,
    instanceName: 'Acme Art',
    artifactoryUrl: `${i.platformUrl}artifactory/`,
    path,
    repo: () => repo,
    environment: ENVIRONMENT,
  });
}

/** A migrate as `artikey migrate` runs it: scan, plan, write the adopting entry, clean up. */
function migrate(
  tool: 'npm' | 'pip' | 'pypirc',
  i: Instance,
  original: string,
  newToken: string,
): { text: string; target: TargetSpec; restore: Record<string, string> } {
  const path = join(scratch, tool);
  const found = findInText(tool, path, original, [
    { id: 'acme', platformUrl: i.platformUrl, registryHost: '' },
  ]);
  const steps = planMigration(
    found,
    { id: 'acme', platformUrl: i.platformUrl, username: USERNAME },
    [],
    ENVIRONMENT,
  );
  const replaced = steps.flatMap((s) => (s.action === 'replace' ? [s] : []));
  if (replaced.length !== 1)
    throw new Error(
      `expected one replace step, got ${JSON.stringify(steps.map((s) => (s.action === 'replace' ? s.target : s.reason)))}`,
    );
  const step = replaced[0]!;
  const { text: written, restore } = renderWrite(step.target, original, credentials(newToken));
  const cleaner = step.cleanup === null ? undefined : cleanerOf(step.cleanup.kind);
  const text = step.cleanup && cleaner ? cleaner.edit(written, step.cleanup) : written;
  return { text, target: step.target, restore };
}

/** The values of the keys other than `except`, flattened: `a.b` for a section's key. */
function others(read: Record<string, unknown>, except: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(read)) if (!except.includes(key)) out[key] = value;
  return out;
}

/** Every place (key path) whose value holds `needle`. */
function placesHolding(read: unknown, needle: string, at = ''): string[] {
  if (typeof read === 'string') return read.includes(needle) ? [at] : [];
  if (read === null || typeof read !== 'object') return [];
  return Object.entries(read).flatMap(([k, v]) =>
    placesHolding(v, needle, at === '' ? k : `${at}\u0000${k}`),
  );
}

/**
 * A file pip and twine refuse as well (configparser's repeated section or key, pip's two
 * spellings of index-url): Artikey refuses it, the refused-file properties check how; the oracle
 * properties check that a file configparser reads is never refused.
 */
const refusedRepeat = (error: unknown): boolean =>
  error instanceof ToolFileError &&
  error.code === 'tool-file-invalid' &&
  /repeats|sets \S+ again/.test(error.message);

const refusedReference = (error: unknown, file: LinedFile, replaceReferences: boolean): boolean =>
  error instanceof ToolFileError &&
  error.code === 'tool-file-conflict' &&
  !replaceReferences &&
  file.lines.some((l) => l.tag.startsWith('own') && /\$\{[^}]*\}/.test(l.text));

/**
 * A file npm's own reader fails on (`W=null`, then `[W.]`), so that npm refuses to start: Artikey
 * refuses it too, naming a line and column, and has refused nothing else for it.
 */
const refusedUnreadable = (error: unknown, original: string): boolean => {
  if (npmCanParse(original)) return false;
  expect(error).toMatchObject({
    code: 'tool-file-invalid',
    message: expect.stringMatching(/^Line \d+, column 1 of \.npmrc: npm cannot read/),
  });
  return true;
};

// ---------------------------------------------------------------------------------------------
// npm

const npmCase = fc.record({
  parts: npmFile(),
  first: token(),
  second: token(),
  setRegistry: fc.boolean(),
  replaceReferences: fc.boolean(),
});

const npmSpecOf = (c: {
  parts: { instance: Instance; repo: string; scope: string | null };
  setRegistry: boolean;
}): TargetSpec =>
  specOf('npm', c.parts.instance, c.parts.repo, {
    ...(c.parts.scope === null ? {} : { scope: c.parts.scope }),
    setRegistry: c.setRegistry,
  });

const npmKeys = (spec: Extract<TargetSpec, { kind: 'npm' }>): string[] => [
  npmRegistryKey(spec.registryUrl, '_authToken'),
  ...(spec.setRegistry ? [spec.scope ? `${spec.scope}:registry` : 'registry'] : []),
];

const npmRoundTrip: FuzzProperty = {
  name: 'npm: configure, refresh, unconfigure gives back the exact bytes',
  cases: 250,
  property: () =>
    fc.property(npmCase, (c) => {
      const spec = npmSpecOf(c);
      const original = assemble(c.parts.file);
      try {
        const { removed } = cycle(spec, original, c.first, c.second, c);
        expect(npmCanParse(original)).toBe(true);
        sameText(removed, original);
      } catch (error) {
        if (refusedUnreadable(error, original)) return;
        if (!refusedReference(error, c.parts.file, c.replaceReferences)) throw error;
      }
    }),
};

const npmOracle: FuzzProperty = {
  name: "npm: npm's own config loader reads the token and registry Artikey wrote, every other setting as before",
  cases: 250,
  property: () =>
    fc.property(npmCase, (c) => {
      const spec = npmSpecOf(c) as Extract<TargetSpec, { kind: 'npm' }>;
      const original = assemble(c.parts.file);
      let run;
      try {
        run = cycle(spec, original, c.first, c.second, c);
      } catch (error) {
        if (refusedUnreadable(error, original)) return;
        if (refusedReference(error, c.parts.file, c.replaceReferences)) return;
        throw error;
      }
      const [tokenKey, registryKey] = npmKeys(spec);
      const before = others(npmReads(original), npmKeys(spec));
      for (const [text, tok] of [
        [run.configured, c.first],
        [run.refreshed, c.second],
      ] as const) {
        const read = npmReads(text);
        expect(read[tokenKey!]).toBe(tok);
        if (registryKey !== undefined) expect(read[registryKey]).toBe(spec.registryUrl);
        expect(others(read, npmKeys(spec))).toEqual(before);
      }
    }),
};

const npmTokenOnlyThere: FuzzProperty = {
  name: 'npm: the token lands once, only in its registry key, and is gone after unconfigure',
  cases: 250,
  property: () =>
    fc.property(npmCase, (c) => {
      const spec = npmSpecOf(c) as Extract<TargetSpec, { kind: 'npm' }>;
      const original = assemble(c.parts.file);
      let run;
      try {
        run = cycle(spec, original, c.first, c.second, c);
      } catch (error) {
        if (refusedUnreadable(error, original)) return;
        if (refusedReference(error, c.parts.file, c.replaceReferences)) return;
        throw error;
      }
      const tokenKey = npmKeys(spec)[0]!;
      expect(occurrences(run.configured, c.first)).toBe(1);
      expect(placesHolding(npmReads(run.configured), c.first)).toEqual([tokenKey]);
      expect(occurrences(run.refreshed, c.first)).toBe(0);
      expect(occurrences(run.refreshed, c.second)).toBe(1);
      expect(placesHolding(npmReads(run.refreshed), c.second)).toEqual([tokenKey]);
      expect(occurrences(run.removed ?? '', c.second)).toBe(0);
    }),
};

const npmMigrate: FuzzProperty = {
  name: "npm: migrate puts Artikey's token in the registry key, the old secret nowhere, others as before; unconfigure leaves the original minus the adopted credential",
  cases: 150,
  property: () =>
    fc.property(
      token().chain((old) =>
        fc.record({
          old: fc.constant(old),
          parts: npmFile({ own: false, adopted: npmAdoptable(old) }),
          fresh: token(),
        }),
      ),
      ({ old, parts, fresh }) => {
        const original = assemble(parts.file);
        let migrated;
        try {
          migrated = migrate('npm', parts.instance, original, fresh);
        } catch (error) {
          if (refusedUnreadable(error, original)) return;
          throw error;
        }
        const { text, target, restore } = migrated;
        const spec = target as Extract<TargetSpec, { kind: 'npm' }>;
        expect(spec.registryUrl).toBe(npmRegistryOf(parts.instance, parts.repo));
        const tokenKey = npmKeys(spec)[0]!;
        const read = npmReads(text);
        expect(read[tokenKey]).toBe(fresh);
        expect(occurrences(text, fresh)).toBe(1);
        for (const form of [
          old,
          Buffer.from(old).toString('base64'),
          Buffer.from(`old.user:${old}`).toString('base64'),
        ])
          expect(occurrences(text, form)).toBe(0);
        const adoptedKeys = ['_authToken', '_auth', '_password', 'username'].map((f) =>
          tokenKey.replace(/_authToken$/, f),
        );
        expect(others(read, adoptedKeys)).toEqual(others(npmReads(original), adoptedKeys));
        const removed = removal(recordOf(target, original, restore), text);
        sameText(removed, assemble(without(parts.file, (l) => l.tag === 'adopted')));
      },
    ),
};

// ---------------------------------------------------------------------------------------------
// pip

/** What pip makes of its file: `section.key`, keys lower-cased with `_` as `-`, the last spelling winning. */
function pipReads(sections: Sections): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [section, keys] of Object.entries(sections))
    for (const [key, value] of Object.entries(keys))
      out[`${section}.${key.toLowerCase().replace(/_/g, '-').replace(/^--/, '')}`] = value;
  return out;
}

const pipCase = fc.record({
  parts: pipFile(),
  first: token(),
  second: token(),
  replaceReferences: fc.boolean(),
});

const pipRoundTrip: FuzzProperty = {
  name: 'pip: configure, refresh, unconfigure gives back the exact bytes',
  cases: 250,
  property: () =>
    fc.property(pipCase, (c) => {
      const spec = specOf('pip', c.parts.instance, c.parts.repo);
      const original = assemble(c.parts.file);
      try {
        sameText(cycle(spec, original, c.first, c.second, c).removed, pipGivenBack(c.parts.file));
      } catch (error) {
        if (!refusedReference(error, c.parts.file, c.replaceReferences) && !refusedRepeat(error))
          throw error;
      }
    }),
};

const pipOracle: FuzzProperty = {
  name: 'pip: configparser (as pip reads) sees the index URL with the token, every other setting as before, the token nowhere else',
  cases: 100,
  property: () =>
    fc.asyncProperty(pipCase, async (c) => {
      const spec = specOf('pip', c.parts.instance, c.parts.repo) as Extract<
        TargetSpec,
        { kind: 'pip' }
      >;
      const original = assemble(c.parts.file);
      const before = await configparser(original);
      if (!before.ok) return; // pip itself would refuse this file: nothing to compare with
      let run;
      try {
        run = cycle(spec, original, c.first, c.second, c);
      } catch (error) {
        if (refusedReference(error, c.parts.file, c.replaceReferences)) return;
        // Both spellings of index-url: pip reads the last, Artikey asks which one to keep.
        if (error instanceof ToolFileError && /sets \S+ again/.test(error.message)) return;
        throw error;
      }
      const own = ['global.index-url'];
      for (const [text, tok] of [
        [run.configured, c.first],
        [run.refreshed, c.second],
      ] as const) {
        const after = await configparser(text);
        expect(after).toMatchObject({ ok: true });
        if (!after.ok) return;
        const read = pipReads(after.sections);
        expect(read['global.index-url']).toBe(withCredentials(spec.indexUrl, USERNAME, tok));
        expect(others(read, own)).toEqual(others(pipReads(before.sections), own));
        expect(occurrences(text, tok)).toBe(1);
        expect(placesHolding(read, tok)).toEqual(['global.index-url']);
      }
      expect(occurrences(run.removed ?? '', c.second)).toBe(0);
    }),
};

const pipMigrate: FuzzProperty = {
  name: "pip: migrate puts Artikey's token in [global] index-url, the old password nowhere, others as before; unconfigure gives back the URL without its credentials",
  cases: 100,
  property: () =>
    fc.asyncProperty(
      token().chain((old) =>
        fc.record({
          old: fc.constant(old),
          parts: pipFile({ own: false, adopted: pipAdoptable(old) }),
          fresh: token(),
        }),
      ),
      async ({ old, parts, fresh }) => {
        const original = assemble(parts.file);
        let migrated;
        try {
          migrated = migrate('pip', parts.instance, original, fresh);
        } catch (error) {
          if (refusedRepeat(error)) return;
          throw error;
        }
        const { text, target, restore } = migrated;
        const spec = target as Extract<TargetSpec, { kind: 'pip' }>;
        expect(occurrences(text, old)).toBe(0);
        expect(occurrences(text, fresh)).toBe(1);
        const before = await configparser(original);
        if (before.ok) {
          const after = await configparser(text);
          expect(after).toMatchObject({ ok: true });
          if (after.ok) {
            const read = pipReads(after.sections);
            expect(read['global.index-url']).toBe(withCredentials(spec.indexUrl, USERNAME, fresh));
            expect(others(read, ['global.index-url'])).toEqual(
              others(pipReads(before.sections), ['global.index-url']),
            );
          }
        }
        const removed = removal(recordOf(target, original, restore), text);
        const expected = assemble({
          ...parts.file,
          lines: parts.file.lines.map((l) =>
            l.tag === 'adopted' ? { ...l, text: l.text.replace(/old\.user:[^@]*@/, '') } : l,
          ),
        });
        sameText(removed, expected);
      },
    ),
};

// ---------------------------------------------------------------------------------------------
// .pypirc

const SECTION = 'acme-art';

/** What twine makes of .pypirc (twine/utils.py get_config): the servers it lists and each one's settings. */
function twineReads(sections: Sections): Record<string, Record<string, string | null>> {
  const list = sections['distutils']?.['index-servers'];
  const servers = list === undefined ? ['pypi', 'testpypi'] : list.split(/\s+/).filter(Boolean);
  const login = sections['server-login'] ?? {};
  const out: Record<string, Record<string, string | null>> = {};
  for (const name of servers) {
    const own = sections[name];
    if (own === undefined && name !== 'pypi' && name !== 'testpypi') continue;
    out[name] = {
      repository: own?.['repository'] ?? null,
      username: own?.['username'] ?? login['username'] ?? null,
      password: own?.['password'] ?? login['password'] ?? null,
    };
  }
  return out;
}

const pypircCase = fc.record({
  parts: pypircFile(SECTION),
  first: token(),
  second: token(),
  replaceReferences: fc.boolean(),
});
const pypircSpec = (parts: {
  instance: Instance;
  repo: string;
}): Extract<TargetSpec, { kind: 'pypirc' }> =>
  specOf('pypirc', parts.instance, parts.repo, { section: SECTION }) as Extract<
    TargetSpec,
    { kind: 'pypirc' }
  >;

const pypircRoundTrip: FuzzProperty = {
  name: 'pypirc: configure, refresh, unconfigure gives back the exact bytes',
  cases: 250,
  property: () =>
    fc.property(pypircCase, (c) => {
      const spec = pypircSpec(c.parts);
      const original = assemble(c.parts.file);
      try {
        sameText(cycle(spec, original, c.first, c.second, c).removed, original);
      } catch (error) {
        if (!refusedRepeat(error)) throw error;
      }
    }),
};

const pypircOracle: FuzzProperty = {
  name: "pypirc: configparser (as twine reads) sees Artikey's section listed with its URL, user and token, every other section as before, the token nowhere else",
  cases: 100,
  property: () =>
    fc.asyncProperty(pypircCase, async (c) => {
      const spec = pypircSpec(c.parts);
      const original = assemble(c.parts.file);
      const before = await configparser(original);
      if (!before.ok) return;
      const run = cycle(spec, original, c.first, c.second, c);
      for (const [text, tok] of [
        [run.configured, c.first],
        [run.refreshed, c.second],
      ] as const) {
        const after = await configparser(text);
        expect(after).toMatchObject({ ok: true });
        if (!after.ok) return;
        const twine = twineReads(after.sections);
        expect(twine[SECTION]).toEqual({
          repository: spec.repositoryUrl,
          username: USERNAME,
          password: tok,
        });
        const othersBefore = twineReads(before.sections);
        delete othersBefore[SECTION];
        const othersAfter = { ...twine };
        delete othersAfter[SECTION];
        expect(othersAfter).toEqual(othersBefore);
        const sectionsBefore = { ...before.sections };
        const sectionsAfter = { ...after.sections };
        for (const s of [sectionsBefore, sectionsAfter]) {
          delete s[SECTION];
          if (s['distutils'])
            s['distutils'] = others(s['distutils'], ['index-servers']) as Record<string, string>;
          if (s['distutils'] && Object.keys(s['distutils']).length === 0) delete s['distutils'];
        }
        expect(sectionsAfter).toEqual(sectionsBefore);
        expect(occurrences(text, tok)).toBe(1);
        expect(placesHolding(after.sections, tok)).toEqual([`${SECTION}\u0000password`]);
      }
      expect(occurrences(run.removed ?? '', c.second)).toBe(0);
    }),
};

const pypircMigrate: FuzzProperty = {
  name: "pypirc: migrate puts Artikey's token as the section's password, the old one nowhere, others as before; unconfigure leaves the original minus the password",
  cases: 100,
  property: () =>
    fc.asyncProperty(
      token().chain((old) =>
        fc.record({
          old: fc.constant(old),
          parts: pypircFile(SECTION, { own: false, adopted: pypircAdoptable(old) }),
          fresh: token(),
        }),
      ),
      async ({ old, parts, fresh }) => {
        const original = assemble(parts.file);
        let migrated;
        try {
          migrated = migrate('pypirc', parts.instance, original, fresh);
        } catch (error) {
          if (refusedRepeat(error)) return;
          throw error;
        }
        const { text, target, restore } = migrated;
        expect(occurrences(text, old)).toBe(0);
        expect(occurrences(text, fresh)).toBe(1);
        const before = await configparser(original);
        if (before.ok) {
          const after = await configparser(text);
          expect(after).toMatchObject({ ok: true });
          if (after.ok) expect(twineReads(after.sections)[SECTION]?.['password']).toBe(fresh);
        }
        const removed = removal(recordOf(target, original, restore), text);
        sameText(removed, assemble(without(parts.file, (l) => l.tag === 'adopted')));
      },
    ),
};

// ---------------------------------------------------------------------------------------------
// Refused files and the disk

/** A line configparser and Artikey both refuse: no separator, or a key before any section. */
const brokenLine = fc.constantFrom(
  'just some words',
  'trailing-garbage',
  '%%%',
  'key-without-value',
);

/**
 * npm's reader fails on a dotted section under a setting that is null: the setting first, the
 * section last (a fresh name, so that no header of the person's makes it a section again).
 */
const npmRefused: FuzzProperty = {
  name: 'npm: a file npm cannot read keeps its bytes and mtime, and the refusal names the section npm fails on',
  cases: 25,
  benchCases: 2_000,
  property: () =>
    fc.asyncProperty(
      npmFile({ own: false }),
      fc.constantFrom('null', '"null"', "'null'", ' null'),
      fc.constantFrom('', 'x', 'a.b', '\\.y'),
      fc.boolean(),
      token(),
      async (parts, nullValue, below, bom, tok) => {
        // The person's lines keep their endings; the last gets one if it had none.
        const body = assemble(parts.file);
        const ended = body === '' || /[\r\n]$/.test(body) ? body : `${body}\n`;
        const before = `fuzznull=${nullValue}\n${ended}`;
        const text = `${before}[fuzznull.${below}]`;
        expect(npmCanParse(text)).toBe(false);
        const spec = specOf('npm', parts.instance, parts.repo, {}, join(scratch, 'refused.npmrc'));
        const message = await expectRefusedUntouched(spec, fileBytes(text, bom), tok);
        expect(message).toMatch(
          new RegExp(
            `^Line ${before.split(/\r\n|\r|\n/).length}, column 1 of \\.npmrc: npm cannot read`,
          ),
        );
      },
    ),
};

const refused = (kind: 'pip' | 'pypirc'): FuzzProperty => ({
  name: `${kind}: a file Artikey refuses keeps its bytes and mtime, and the refusal names the line and column`,
  cases: 25,
  benchCases: 2_000,
  property: () =>
    fc.asyncProperty(
      kind === 'pip' ? pipFile() : pypircFile(SECTION),
      brokenLine,
      fc.nat(),
      fc.boolean(),
      token(),
      async (parts, broken, at, bom, tok) => {
        const file = parts.file;
        const index = at % (file.lines.length + 1);
        const lines = [...file.lines];
        lines.splice(index, 0, { text: broken, tag: 'broken' });
        const eols = [...file.eols];
        if (index === eols.length && eols.at(-1) === '') {
          // After a last line without a newline: that line gets one, the broken line goes without.
          eols[eols.length - 1] = '\n';
          eols.push('');
        } else eols.splice(index, 0, '\n');
        const text = assemble({ lines, eols });
        const spec =
          kind === 'pip'
            ? specOf('pip', parts.instance, parts.repo, {}, join(scratch, 'refused-pip.conf'))
            : specOf(
                'pypirc',
                parts.instance,
                parts.repo,
                { section: SECTION },
                join(scratch, 'refused.pypirc'),
              );
        const bytes = fileBytes(text, bom);
        const message = await expectRefusedUntouched(spec, bytes, tok);
        // The broken line, or an earlier one configparser refuses too (a repeated section).
        const lineNumber = index + 1;
        const named = Number(/line (\d+), column \d+/i.exec(message)?.[1]);
        expect(named).toBeLessThanOrEqual(lineNumber);
        if (named < lineNumber) expect(message).toMatch(/repeats/);
      },
    ),
});

const diskRoundTrip: FuzzProperty = {
  name: 'npm, pip, pypirc on disk: configure then unconfigure gives back the exact bytes (byte-order mark included), or deletes the file Artikey created',
  cases: 20,
  benchCases: 2_000,
  property: () =>
    fc.asyncProperty(
      fc.oneof(
        npmFile({ own: false }).map((p) => ({ kind: 'npm' as const, parts: p })),
        pipFile({ own: false }).map((p) => ({ kind: 'pip' as const, parts: p })),
        pypircFile(SECTION, { own: false }).map((p) => ({ kind: 'pypirc' as const, parts: p })),
      ),
      fc.boolean(),
      fc.boolean(),
      token(),
      async ({ kind, parts }, bom, absent, tok) => {
        const path = join(scratch, `disk-${kind}`);
        rmSync(path, { force: true });
        const spec = specOf(
          kind,
          parts.instance,
          parts.repo,
          kind === 'pypirc' ? { section: SECTION } : {},
          path,
        );
        const bytes = absent ? null : fileBytes(assemble(parts.file), bom);
        let left;
        try {
          left = await diskCycle(spec, bytes, tok);
        } catch (error) {
          if (refusedRepeat(error)) return;
          if (kind === 'npm' && refusedUnreadable(error, assemble(parts.file))) return;
          throw error;
        }
        if (bytes === null) expect(left).toBeNull();
        else {
          const text = kind === 'pip' ? pipGivenBack(parts.file) : assemble(parts.file);
          sameText(left?.toString() ?? null, `${bom ? '\ufeff' : ''}${text}`);
        }
      },
    ),
};

export const suite: FuzzSuite = {
  editor: 'ini-file.ts (npm, pip, pypirc)',
  properties: [
    npmRoundTrip,
    npmOracle,
    npmTokenOnlyThere,
    npmMigrate,
    npmRefused,
    npmBinary.property,
    pipRoundTrip,
    pipOracle,
    pipMigrate,
    refused('pip'),
    pypircRoundTrip,
    pypircOracle,
    pypircMigrate,
    refused('pypirc'),
    diskRoundTrip,
  ],
  close: async () => {
    await pool.close();
    await npmBinary.close();
    rmSync(scratch, { recursive: true, force: true });
  },
};
