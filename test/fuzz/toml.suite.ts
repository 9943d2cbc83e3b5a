/**
 * The TOML editor (electron/core/targets/toml-file.ts) under fuzzing, through every kind that
 * writes with it and each kind's option sets: Cargo's token (credentials.toml) and registry
 * (config.toml), Poetry's credentials (auth.toml) and repository (config.toml), Bun's default or
 * scoped registry (.bunfig.toml), uv's `[[index]]` (uv.toml); migrate for the four that adopt.
 * The oracle is Python's tomllib, a strict TOML 1.0 reader (test/fuzz/oracles/toml_oracle.py);
 * Cargo itself reads config.toml where it runs (`cargo config get`, unstable: RUSTC_BOOTSTRAP=1).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import fc from 'fast-check';
import { expect } from 'vitest';
import { findInBunfig, bunLocation } from '../../electron/core/scan/bun.js';
import { findInCargoFile } from '../../electron/core/scan/cargo.js';
import type { FoundCredential, ScanTool } from '../../electron/core/scan/credential.js';
import { findInPoetryAuth } from '../../electron/core/scan/poetry.js';
import { findInUvConfig, uvIndexLocation } from '../../electron/core/scan/uv.js';
import { definitionOf } from '../../electron/core/targets/target-kinds.js';
import type { TargetSpec } from '../../electron/core/targets/target-record.js';
import { renderWrite } from '../../electron/core/targets/targets.js';
import { readTomlDocument } from '../../electron/core/targets/toml-file.js';
import { ToolFileError } from '../../electron/core/targets/tool-file.js';
import type { FuzzProperty, FuzzSuite } from './support/fuzz-run.js';
import { OracleProcess, OraclePool } from './support/oracle-process.js';
import {
  credentials,
  cycle,
  diskCycle,
  expectRefusedUntouched,
  recordOf,
  removal,
} from './support/target-cycle.js';
import { occurrences, token } from './support/text-arbitraries.js';
import { basicQuoted } from './support/toml-arbitraries.js';
import {
  anyTomlCase,
  bunEntryNotInline,
  tomlCase,
  type TomlCase,
  type TomlKind,
} from './support/toml-kinds.js';
import { modelOf, readingsOf, stringsWith, type Doc } from './support/toml-models.js';

const ORACLE = join(import.meta.dirname, 'oracles', 'toml_oracle.py');
const pool = new OraclePool();
const scratch = mkdtempSync(join(tmpdir(), 'artikey-fuzz-toml-'));

type Reading = { ok: true; doc: Doc } | { ok: false; error: string };

/** tomllib's reading of the file (without its byte-order mark, which the tool-file layer keeps apart). */
const tomllib = (text: string): Promise<Reading> =>
  pool
    .get('tomllib', () => new OracleProcess('tomllib', 'python3', [ORACLE]))
    .ask<Reading>({ text });

async function read(text: string, what: string): Promise<Doc> {
  const reading = await tomllib(text);
  if (!reading.ok) throw new Error(`tomllib cannot read ${what}: ${reading.error}\n${text}`);
  return reading.doc;
}

const sameReading = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** The reading is one the model allows. */
function expectOneOf(reading: Doc, model: Doc): void {
  const allowed = readingsOf(model);
  if (!allowed.some((r) => sameReading(r, reading))) expect(reading).toEqual(allowed[0]);
}

/** The editor's own reading, to tell (without the oracle) whether unconfigure must give the bytes back. */
function restoresEverything(c: TomlCase): boolean {
  const before = readTomlDocument(c.text, basename(c.spec.path));
  return sameReading(modelOf(c.spec).removed(before), before) && !refusesByDesign(c);
}

/** The writer refuses these files on purpose (tool-file-conflict, nothing written). */
const refusesByDesign = (c: TomlCase): boolean =>
  bunEntryNotInline(c) || modelOf(c.spec).refuses(readTomlDocument(c.text, basename(c.spec.path)));

function expectConflictRefusal(run: () => unknown): void {
  let refused: unknown = null;
  try {
    run();
  } catch (error) {
    refused = error;
  }
  expect(refused).toBeInstanceOf(ToolFileError);
  expect((refused as ToolFileError).code).toBe('tool-file-conflict');
}

/** A case's spec writing into `dir` instead of its made-up path. */
const inDir = (spec: TargetSpec, dir: string): TargetSpec => ({
  ...spec,
  path: join(dir, basename(spec.path)),
});

// ---- Property 1 -------------------------------------------------------------------------------

const roundTrip: FuzzProperty = {
  name: 'configure, refresh, unconfigure give back the original bytes (every kind and option set)',
  cases: 60,
  property: () =>
    fc.property(anyTomlCase(), fc.boolean(), token(), token(), (c, absent, first, second) => {
      const original = absent && c.text === '' ? null : c.text;
      if (original !== null && refusesByDesign(c)) {
        // Bun's entry reading its token from `$VAR` (left alone without --replace-references),
        // or spelt as a table of its own (see bunEntryNotInline).
        expectConflictRefusal(() => cycle(c.spec, original, first, second));
        return;
      }
      const result = cycle(c.spec, original, first, second);
      // Documented exception: a plain secret (or a URL's password) the person had at Artikey's
      // key is not noted (the state file never holds one), so unconfigure leaves that key out or
      // the URL without its password; property 3 checks exactly that with tomllib.
      if (original === null) expect(result.removed).toBeNull();
      else if (restoresEverything(c)) expect(result.removed).toBe(original);
      for (const t of [first, second]) expect(occurrences(result.removed ?? '', t)).toBe(0);
    }),
};

// ---- Property 2 -------------------------------------------------------------------------------

/**
 * Lines TOML refuses wherever they go (those about tables bring their own header). Not among
 * them: what TOML 1.1 allows and 1.0 did not (a trailing comma or a line break in an inline
 * table, `\e`, `\xHH`), which toml-eslint-parser accepts as Cargo 1.95 does, though tomllib
 * refuses it.
 */
const BROKEN_LINES = [
  'a = "unterminated',
  'a = "bad \\x escape"',
  'a = ',
  '= 1',
  'a = 01',
  'a = 1979-13-01',
  'a = 1979-02-30',
  '[a',
  'a b = 1',
  'a = 1 # \u0001 control',
  "a = 'x''",
  'a = [1 2]',
  'a = 1_',
  'a = 0x',
  'a = """never closed',
  'a = tru',
  'a = nan1',
  'a = "\\ud800"',
  'a = 1979-05-27T25:00:00Z',
  '[[a]]\n[a]',
  'a = 1\na = 2',
  'a = 1\n"a" = 2',
  "[ 'registries' ]\nx = 1\n[registries.x]",
  '[registries.x]\ntoken = "a"\ntoken = "b"',
  '[registries]\n["registries"]',
  '[x]\ny.z = 1\n[x.y]',
  'a.b = 1\na = 2',
  '[[index]]\nname = "x"\n[index]',
  '[t]\na = { b = 1 }\n[t.a]',
  '[t]\na = [1]\n[[t.a]]',
];

/** A file TOML refuses: a valid one with a broken line at its top or end, or a lone CR for a break. */
const refusedText = (): fc.Arbitrary<{ c: TomlCase; text: string }> =>
  fc
    .tuple(
      anyTomlCase(),
      fc.constantFrom(...BROKEN_LINES),
      fc.constantFrom('top', 'end', 'cr'),
      fc.nat(),
    )
    .map(([c, broken, where, at]) => {
      if (where === 'top') return { c, text: `${broken}\n${c.text}` };
      if (where === 'end') return { c, text: `${c.text}${c.text === '' ? '' : '\r\n'}${broken}` };
      // A lone CR is no line break in TOML (tomllib and Cargo refuse it): one LF turned into CR
      // (not one before another LF, which would make a CRLF).
      const breaks = [...c.text.matchAll(/\n(?!\n)/g)].map((m) => m.index);
      if (breaks.length === 0) return { c, text: `${c.text}\r` };
      const i = breaks[at % breaks.length]!;
      return { c, text: `${c.text.slice(0, i)}\r${c.text.slice(i + 1)}` };
    });

const refused: FuzzProperty = {
  name: 'a file TOML refuses keeps its bytes and mtime, and the error names its line and column',
  cases: 25,
  benchCases: 2_000,
  property: () =>
    fc.asyncProperty(refusedText(), fc.boolean(), token(), async ({ c, text }, bom, t) => {
      const reading = await tomllib(text);
      expect(reading.ok, `tomllib reads the broken file:\n${JSON.stringify(text)}`).toBe(false);
      const dir = mkdtempSync(join(scratch, 'refused-'));
      try {
        await expectRefusedUntouched(
          inDir(c.spec, dir),
          Buffer.from(`${bom ? '\uFEFF' : ''}${text}`, 'utf8'),
          t,
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }),
};

// ---- Property 3 -------------------------------------------------------------------------------

const readsBack: FuzzProperty = {
  name: "tomllib reads Artikey's values after configure and refresh, and every other entry as before (and after unconfigure)",
  cases: 40,
  property: () =>
    fc.asyncProperty(anyTomlCase(), token(), token(), async (c, first, second) => {
      const before = await read(c.text, 'the generated file');
      const model = modelOf(c.spec);
      if (refusesByDesign(c)) return; // property 1 checks the refusal
      const result = cycle(c.spec, c.text, first, second);
      expect(await read(result.configured, 'the configured file')).toEqual(
        model.configured(before, first),
      );
      expect(await read(result.refreshed, 'the refreshed file')).toEqual(
        model.configured(before, second),
      );
      expectOneOf(await read(result.removed ?? '', 'the unconfigured file'), model.removed(before));
    }),
};

// ---- Property 4 -------------------------------------------------------------------------------

/** The token is in the file exactly where the kind puts it (once), or nowhere for kinds without one. */
async function expectTokenOnlyAt(spec: TargetSpec, text: string, t: string): Promise<void> {
  const at = modelOf(spec).tokenAt(t);
  expect(occurrences(text, t)).toBe(at === null ? 0 : 1);
  const found = stringsWith(await read(text, 'the written file'), t);
  expect(found).toEqual(at === null ? [] : [at]);
}

const tokenPlace: FuzzProperty = {
  name: 'the token lands once, only in its own entry as tomllib reads it, and is gone after unconfigure',
  cases: 40,
  property: () =>
    fc.asyncProperty(anyTomlCase(), token(), token(), async (c, first, second) => {
      if (refusesByDesign(c)) return;
      const result = cycle(c.spec, c.text, first, second);
      await expectTokenOnlyAt(c.spec, result.configured, first);
      await expectTokenOnlyAt(c.spec, result.refreshed, second);
      expect(occurrences(result.refreshed, first)).toBe(0);
      for (const t of [first, second]) expect(occurrences(result.removed ?? '', t)).toBe(0);
    }),
};

// ---- Migrate ----------------------------------------------------------------------------------

const ADOPTING: { kind: TomlKind; tool: ScanTool }[] = [
  { kind: 'cargo', tool: 'cargo' },
  { kind: 'poetry-auth', tool: 'poetry' },
  { kind: 'bun', tool: 'bun' },
  { kind: 'uv', tool: 'uv' },
];

/** Where the scan reports the credential a case planted at the kind's own entry. */
function plantedAt(spec: TargetSpec): string[] {
  switch (spec.kind) {
    case 'cargo':
      return [`registries.${spec.registryName}.token`];
    case 'poetry-auth':
      return [`http-basic.${spec.name}.password`];
    case 'bun':
      return ['token', 'password', 'url'].map((f) => bunLocation(spec.scope, f as 'token'));
    case 'uv':
      return [uvIndexLocation(spec.name)];
    default:
      return [];
  }
}

/** What the scan finds in the case's file, as migrate sees it (the instance known by its URL). */
function scan(c: TomlCase, dir: string): FoundCredential[] {
  const file = join(dir, basename(c.spec.path));
  const context = {
    tool: (ADOPTING.find((a) => a.kind === c.spec.kind)?.tool ?? 'cargo') as ScanTool,
    file,
    instances: [{ id: 'fuzz', platformUrl: c.platform, registryHost: '' }],
  };
  switch (c.spec.kind) {
    case 'cargo':
      // The registry's index is in the config.toml beside credentials.toml.
      writeFileSync(
        join(dir, 'config.toml'),
        `[registries.${basicQuoted(c.spec.registryName)}]\nindex = ${basicQuoted(c.spec.indexUrl)}\n`,
      );
      return findInCargoFile(context, c.text).found;
    case 'poetry-auth':
      // Poetry's repository URL is in the config.toml beside auth.toml.
      writeFileSync(
        join(dir, 'config.toml'),
        `[repositories.${basicQuoted(c.spec.name)}]\nurl = ${basicQuoted(c.spec.url)}\n`,
      );
      return findInPoetryAuth(context, c.text).found;
    case 'bun':
      return findInBunfig(context, c.text).found;
    case 'uv':
      return findInUvConfig(context, c.text).found;
    default:
      return [];
  }
}

const migrateDir = join(scratch, 'migrate');
mkdirSync(migrateDir, { recursive: true });

const migrate: FuzzProperty = {
  name: "migrate: the adopted credential's entry reads Artikey's token, the old secret is nowhere, the rest as before; unconfigure then leaves the original minus that credential",
  cases: 40,
  property: () =>
    fc.asyncProperty(
      fc.constantFrom(...ADOPTING).chain(({ kind }) => tomlCase(kind)),
      token(),
      async (c, t) => {
        const found = scan(c, migrateDir).filter(
          (f) => f.instanceId === 'fuzz' && plantedAt(c.spec).includes(f.location),
        );
        const credential = found.find((f) => f.kind !== 'env-reference');
        if (credential === undefined) return; // the case planted no plain credential of ours
        const adopted = definitionOf(c.spec.kind).adopt?.(credential, {
          platformUrl: c.platform,
        });
        if (typeof adopted !== 'object' || adopted === undefined)
          throw new Error(`adopt refused ${credential.location}: ${String(adopted)}`);
        const before = await read(c.text, 'the generated file');
        const model = modelOf(adopted.target);
        if (refusesByDesign(c)) return; // property 1 checks the refusal
        const { text: configured, restore } = renderWrite(adopted.target, c.text, credentials(t));
        expect(await read(configured, 'the migrated file')).toEqual(model.configured(before, t));
        expect(occurrences(configured, credential.secret)).toBe(0);
        // Documented exception to "unconfigure gives the original back": the adopted secret is
        // what the person moved away from, so it is not put back (a URL keeps its address alone).
        const removed = removal(recordOf(adopted.target, c.text, restore), configured);
        const after = await read(removed ?? '', 'the file after unconfigure');
        expectOneOf(after, model.removed(before));
        expect(occurrences(removed ?? '', credential.secret)).toBe(0);
      },
    ),
};

// ---- On disk, byte-order mark and all -----------------------------------------------------------

const onDisk: FuzzProperty = {
  name: 'on disk (byte-order mark, no file yet) configure then unconfigure give back the bytes',
  cases: 20,
  benchCases: 2_000,
  property: () =>
    fc.asyncProperty(
      anyTomlCase(),
      fc.boolean(),
      fc.boolean(),
      token(),
      async (c, bom, absent, t) => {
        if (!restoresEverything(c)) return; // property 3 covers what unconfigure changes
        const dir = mkdtempSync(join(scratch, 'disk-'));
        try {
          const bytes =
            absent && c.text === '' ? null : Buffer.from(`${bom ? '\uFEFF' : ''}${c.text}`);
          const left = await diskCycle(inDir(c.spec, dir), bytes, t);
          if (bytes === null) expect(left).toBeNull();
          else expect(left?.toString('utf8')).toBe(bytes.toString('utf8'));
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    ),
};

// ---- Cargo itself -------------------------------------------------------------------------------

const cargoHome = join(scratch, 'cargo-home');
mkdirSync(cargoHome, { recursive: true });

/** Cargo's own reading of `[registries]` in config.toml (null when Cargo refuses the file). */
function cargoRegistries(text: string): unknown {
  writeFileSync(join(cargoHome, 'config.toml'), text);
  const run = spawnSync(
    'cargo',
    ['-Zunstable-options', 'config', 'get', '--format', 'json-value', 'registries'],
    {
      cwd: scratch,
      encoding: 'utf8',
      // `cargo config` is unstable; RUSTC_BOOTSTRAP lets the stable toolchain run it.
      env: {
        PATH: process.env['PATH'],
        HOME: scratch,
        CARGO_HOME: cargoHome,
        RUSTC_BOOTSTRAP: '1',
      },
      timeout: 20_000,
    },
  );
  if (run.error) throw new Error(`cargo did not run: ${run.error.message}`);
  if (run.status !== 0) return /could not find `registries`|not set/i.test(run.stderr) ? {} : null;
  return JSON.parse(run.stdout) as unknown;
}

const cargoReads: FuzzProperty = {
  name: 'cargo itself reads the registry Artikey configured in config.toml, and the other registries as before',
  cases: 10,
  benchCases: 500,
  property: () =>
    fc.asyncProperty(tomlCase('cargo-registry'), token(), async (c, t) => {
      if (c.spec.kind !== 'cargo-registry') return;
      const before = cargoRegistries(c.text) as Record<string, Record<string, unknown>> | null;
      if (before === null) return; // Cargo refuses the person's own file (a value of a type it does not take)
      const { configured } = cycle(c.spec, c.text, t, t);
      const expected = structuredClone(before);
      expected[c.spec.registryName] = {
        ...(expected[c.spec.registryName] ?? {}),
        index: c.spec.indexUrl,
        'credential-provider': 'cargo:token',
      };
      expect(cargoRegistries(configured)).toEqual(expected);
    }),
};

export const suite: FuzzSuite = {
  editor: 'toml-file.ts (cargo, cargo-registry, poetry-auth, poetry-repository, bun, uv)',
  properties: [roundTrip, refused, readsBack, tokenPlace, migrate, onDisk, cargoReads],
  close: async () => {
    await pool.close();
    rmSync(scratch, { recursive: true, force: true });
  },
};
