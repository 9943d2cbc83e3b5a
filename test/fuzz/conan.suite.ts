/**
 * json-named-list.ts and conan-files.ts as the conan (credentials.json) and conan-remote
 * (remotes.json) kinds use them, against Conan's own reading: Python's json module, after Jinja2
 * for credentials.json, entries keyed by name so the last of a name wins
 * (test/fuzz/oracles/conan_oracle.py).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { planMigration } from '../../electron/core/migrate.js';
import { findInConanCredentials } from '../../electron/core/scan/conan.js';
import { CONAN_CREDENTIALS, CONAN_REMOTES } from '../../electron/core/targets/conan-files.js';
import { definitionOf } from '../../electron/core/targets/target-kinds.js';
import type { TargetSpec } from '../../electron/core/targets/target-record.js';
import { renderWrite } from '../../electron/core/targets/targets.js';
import type { FuzzProperty, FuzzSuite } from './support/fuzz-run.js';
import {
  anyValue,
  array,
  edgeSpace,
  junkKey,
  layout,
  member,
  object,
  raw,
  render,
  spelling,
  stringText,
  type JsonNode,
} from './support/json-arbitraries.js';
import { OracleProcess, OraclePool } from './support/oracle-process.js';
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

type Kind = 'conan' | 'conan-remote';
const KINDS: Kind[] = ['conan', 'conan-remote'];

const INSTANCES = [
  'https://art.example.com/',
  'http://127.0.0.1:8081/',
  'https://art.example.com:8443/prefix/',
];

const scratch = mkdtempSync(join(tmpdir(), 'artikey-fuzz-conan-'));
let homes = 0;
const freshHome = (): string => {
  const dir = join(scratch, String(homes++));
  mkdirSync(dir);
  return dir;
};
const fileName = (kind: Kind): string => (kind === 'conan' ? 'credentials.json' : 'remotes.json');

type ConanSpec = TargetSpec & { remoteName: string; url: string };

/** `artikey configure conan --repo conan-local` with or without `--name`. */
const spec = (kind: Kind, home = freshHome()) =>
  fc
    .tuple(
      fc.constantFrom(...INSTANCES),
      fc.option(fc.constantFrom('art', 'my-remote_1.x', 'conancenter'), { nil: undefined }),
    )
    .map(
      ([url, remoteName]) =>
        definitionOf(kind).fromRequest({
          options: { remoteName },
          platformUrl: url,
          instanceName: 'fuzz',
          artifactoryUrl: `${url}artifactory/`,
          path: join(home, fileName(kind)),
          repo: () => 'conan-local',
          environment: { platform: 'linux', env: {}, home: '/nonexistent' },
        }) as ConanSpec,
    );

/** A password of the person's, unique in the run. */
let plantedCount = 0;
const planted = (): fc.Arbitrary<string> =>
  fc.constant(null).map(() => `planted-${(plantedCount++).toString(36)}-secret`);

/** Text with no Jinja delimiter: Conan would run `{{ … }}` in credentials.json, not read it. */
const plainText = (): fc.Arbitrary<string> => stringText().map((t) => t.replace(/\{/g, '('));

const NAMES = ['conancenter', 'other', 'Art', 'art-2', 'x'];

interface ConanFile {
  text: string;
  secrets: string[];
}

const entryOf = (kind: Kind, name: string, withSecret: boolean) =>
  fc
    .record({
      user: plainText(),
      password: withSecret ? planted() : plainText(),
      url: fc.constantFrom(
        'https://center2.conan.io',
        'https://art.example.com/artifactory/api/conan/other',
        'http://127.0.0.1:8081/x',
      ),
      verify: fc.boolean(),
      disabled: fc.option(fc.boolean(), { nil: undefined }),
      junk: fc.array(fc.tuple(junkKey(), anyValue()), { maxLength: 2 }),
      nameFirst: fc.boolean(),
      duplicateName: fc.boolean(),
    })
    .map((e) => {
      const nameKey = kind === 'conan' ? 'remote' : 'name';
      const fields: [string, JsonNode][] =
        kind === 'conan'
          ? [
              member(spelling('user'), raw(spelling(e.user))),
              member(spelling('password'), raw(spelling(e.password))),
            ]
          : [
              member(spelling('url'), raw(spelling(e.url))),
              member('"verify_ssl"', raw(String(e.verify))),
              ...(e.disabled === undefined ? [] : [member('"disabled"', raw(String(e.disabled)))]),
            ];
      const named = member(spelling(nameKey), raw(spelling(name)));
      const members = e.nameFirst ? [named, ...fields, ...e.junk] : [...fields, ...e.junk, named];
      // A name given twice in one entry: both readers take the last.
      if (e.duplicateName) members.unshift(member(JSON.stringify(nameKey), raw('"shadowed"')));
      return {
        node: object(members),
        secrets: kind === 'conan' && withSecret ? [e.password] : [],
      };
    });

/** A credentials.json or remotes.json, with the own remote's entry only where `own` allows. */
const conanFile = (
  kind: Kind,
  options: { ownName?: string; ownEntry: boolean; ownSecret?: boolean },
): fc.Arbitrary<ConanFile> =>
  fc
    .record({
      entries: fc.array(
        fc
          .constantFrom(...NAMES)
          .filter((n) => n !== options.ownName)
          .chain((n) => entryOf(kind, n, kind === 'conan')),
        { maxLength: 4 },
      ),
      own:
        options.ownEntry && options.ownName
          ? fc.option(entryOf(kind, options.ownName, options.ownSecret === true), {
              freq: options.ownSecret ? 1 : 3,
              nil: undefined,
            })
          : fc.constant(undefined),
      ownAt: fc.nat(),
      listForm: fc.constantFrom('list', 'list', 'list', 'absent', 'null', 'empty'),
      junk: fc.array(fc.tuple(junkKey(), anyValue()), { maxLength: 2 }),
      layout: layout(),
      lead: edgeSpace(),
      trail: edgeSpace(),
    })
    .map((f): ConanFile => {
      const listKey = JSON.stringify(kind === 'conan' ? 'credentials' : 'remotes');
      const entries = f.entries.map((e) => e.node);
      if (f.own) entries.splice(f.ownAt % (entries.length + 1), 0, f.own.node);
      const list =
        entries.length > 0 || f.listForm === 'list'
          ? [member(listKey, array(entries))]
          : f.listForm === 'null'
            ? [member(listKey, raw('null'))]
            : f.listForm === 'empty'
              ? [member(listKey, array([]))]
              : [];
      const junk = f.junk.map(([k, v]): [string, JsonNode] => [k.replace(/\{/g, '('), v]);
      const text = f.lead + render(object([...list, ...junk]), f.layout) + f.trail;
      return {
        // Unknown values may hold anything but a Jinja delimiter in credentials.json.
        text: kind === 'conan' ? text.replace(/\{(?=[{%#])/g, '{ ') : text,
        secrets: [...f.entries, ...(f.own ? [f.own] : [])].flatMap((e) => e.secrets),
      };
    });

/**
 * A file for the cycle: credentials.json without an entry of the remote (the person's own would
 * hold their password, which is replaced and not put back: migrate covers that); remotes.json
 * with or without one (its fields are put back).
 */
const specAndFile = (kind: Kind) =>
  spec(kind).chain((s) =>
    fc.tuple(
      fc.constant(s),
      conanFile(kind, { ownName: s.remoteName, ownEntry: kind === 'conan-remote' }),
    ),
  );

/** A blank file comes back as Conan's own layout of no entries (what Artikey starts one from). */
const expectedBack = (kind: Kind, text: string): string =>
  text.trim() === '' ? (kind === 'conan' ? CONAN_CREDENTIALS : CONAN_REMOTES).created : text;

const roundTrip = (kind: Kind): FuzzProperty => ({
  name: `${kind}: configure, refresh, unconfigure gives back the exact bytes`,
  cases: 100,
  property: () =>
    fc.property(specAndFile(kind), token(), token(), ([s, file], first, second) => {
      fc.pre(first !== second);
      const result = cycle(s, file.text, first, second);
      if (result.removed !== expectedBack(kind, file.text))
        throw new Error(
          `unconfigure did not give the file back:\n${JSON.stringify(file.text)}\n${JSON.stringify(result.removed)}`,
        );
      for (const value of Object.values(result.record.restore))
        if (file.secrets.some((secret) => value.includes(secret)))
          throw new Error('the restore notes hold a password of the file');
    }),
});

const tokenPlacement = (kind: Kind): FuzzProperty => ({
  name: `${kind}: the token lies only in the remote's password, and goes with unconfigure`,
  cases: 100,
  property: () =>
    fc.property(specAndFile(kind), token(), token(), ([s, file], first, second) => {
      fc.pre(first !== second);
      const result = cycle(s, file.text, first, second);
      const expected = kind === 'conan' ? 1 : 0;
      const count = (text: string | null, t: string): number => occurrences(text ?? '', t);
      if (count(result.configured, first) !== expected) throw new Error('configured: wrong count');
      if (count(result.refreshed, first) !== 0 || count(result.refreshed, second) !== expected)
        throw new Error('refreshed: wrong count');
      if (count(result.removed, second) !== 0) throw new Error('removed: the token stayed');
    }),
});

// ---- Conan's reading ------------------------------------------------------------------------

interface ConanAnswer {
  error?: string;
  entries?: Record<string, Record<string, unknown>>;
  order?: string[];
}

const pool = new OraclePool();
const ask = (kind: Kind, text: string): Promise<ConanAnswer> =>
  pool
    .get('conan_oracle', () => {
      const script = fileURLToPath(new URL('./oracles/conan_oracle.py', import.meta.url));
      return new OracleProcess('conan_oracle', 'python3', [script]);
    })
    .ask<ConanAnswer>({ file: kind === 'conan' ? 'credentials' : 'remotes', text });

const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );

const othersOf = (answer: ConanAnswer, name: string): string => {
  const entries = { ...answer.entries };
  delete entries[name];
  return canonical(entries);
};

const toolReading = (kind: Kind): FuzzProperty => ({
  name: `${kind}: Conan reads Artikey's entry and every other entry as before (Python json oracle)`,
  cases: 40,
  property: () =>
    fc.asyncProperty(specAndFile(kind), token(), token(), async ([s, file], first, second) => {
      fc.pre(first !== second);
      // Conan refuses a blank file of its own; Artikey starts one afresh.
      const before = await ask(kind, file.text.trim() === '' ? expectedBack(kind, '') : file.text);
      // Conan itself refuses a credentials.json without its list, and a list that is null: the
      // edit must then make a file it reads, and unconfigure give back the one it refused.
      const refusedBefore = before.error !== undefined;
      if (refusedBefore && !/KeyError: 'credentials'|TypeError: 'NoneType'/.test(before.error!))
        throw new Error(`the generator made a file Conan refuses: ${before.error}`);
      const result = cycle(s, file.text, first, second);
      for (const [text, t] of [
        [result.configured, first],
        [result.refreshed, second],
      ] as const) {
        const after = await ask(kind, text);
        if (after.error !== undefined) throw new Error(`Conan refuses the result: ${after.error}`);
        const ours = after.entries?.[s.remoteName];
        const ok =
          kind === 'conan'
            ? ours?.['user'] === USERNAME && ours['password'] === t
            : ours?.['url'] === s.url && ours['verify_ssl'] === true && ours['disabled'] === false;
        if (!ok) throw new Error(`Conan reads ${canonical({ ...ours, password: '…' })}`);
        if (!refusedBefore && othersOf(after, s.remoteName) !== othersOf(before, s.remoteName))
          throw new Error(
            `another entry reads differently:\n${othersOf(before, s.remoteName)}\n${othersOf(after, s.remoteName)}`,
          );
      }
      const back = await ask(kind, result.removed ?? expectedBack(kind, ''));
      if (canonical(back.entries) !== canonical(before.entries) || back.error !== before.error)
        throw new Error('after unconfigure Conan reads the file differently than before');
    }),
});

// ---- Refused files and the disk ------------------------------------------------------------

const parses = (text: string): boolean => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

const brokenText = (kind: Kind): fc.Arbitrary<string> =>
  fc.oneof(
    fc
      .tuple(
        conanFile(kind, { ownEntry: false }),
        fc.nat(),
        fc.constantFrom(',', '//x', "'", 'NaN', '}', ']', '\u0000', '01', 'tru', '{'),
      )
      .map(([file, at, junk]) => {
        const cut = at % (file.text.length + 1);
        return at % 4 === 0
          ? file.text.slice(0, cut)
          : file.text.slice(0, cut) + junk + file.text.slice(cut);
      })
      .filter((text) => text.trim() !== '' && !parses(text)),
    fc
      .tuple(
        edgeSpace(),
        fc.constantFrom(
          '[]',
          '"x"',
          '12',
          'null',
          `{"${kind === 'conan' ? 'credentials' : 'remotes'}": 5}`,
          `{"${kind === 'conan' ? 'credentials' : 'remotes'}": [1]}`,
        ),
        edgeSpace(),
      )
      .map(([a, value, b]) => a + value + b),
  );

const refused: FuzzProperty = {
  name: 'a file that is not JSON, not a JSON object, or whose list is no list of entries is refused naming line and column, bytes and mtime unchanged',
  cases: 30,
  benchCases: 3000,
  property: () =>
    fc.asyncProperty(
      fc.constantFrom(...KINDS).chain((kind) => fc.tuple(spec(kind, scratch), brokenText(kind))),
      fc.boolean(),
      token(),
      async ([generated, text], bom, t) => {
        const s = { ...generated, path: join(freshHome(), fileName(generated.kind as Kind)) };
        await expectRefusedUntouched(s, fileBytes(text, bom), t);
      },
    ),
};

const disk: FuzzProperty = {
  name: 'on the disk, configure then unconfigure gives back the bytes (a byte-order mark too) or deletes the file it created',
  cases: 20,
  benchCases: 2000,
  property: () =>
    fc.asyncProperty(
      fc
        .constantFrom(...KINDS)
        .chain((kind) =>
          spec(kind, scratch).chain((s) =>
            fc.tuple(
              fc.constant(kind),
              fc.constant(s),
              fc.option(
                conanFile(kind, { ownName: s.remoteName, ownEntry: kind === 'conan-remote' }),
                { freq: 8, nil: null },
              ),
            ),
          ),
        ),
      fc.boolean(),
      token(),
      async ([kind, generated, file], bom, t) => {
        const s = { ...generated, path: join(freshHome(), fileName(kind)) };
        const bytes = file === null ? null : fileBytes(file.text, bom);
        const left = await diskCycle(s, bytes, t);
        if (file === null) {
          if (left !== null) throw new Error('the file Artikey created was left behind');
          return;
        }
        const expected = fileBytes(expectedBack(kind, file.text), bom);
        if (left === null || !left.equals(expected)) throw new Error('the bytes did not come back');
      },
    ),
};

// ---- Migrate --------------------------------------------------------------------------------

/**
 * `artikey migrate`: the scan finds the remote's password (its URL from remotes.json beside it),
 * adopt makes Artikey's credentials entry of that remote. Conan then reads Artikey's user and
 * token, the old password is gone, every other entry as before. Unconfigure afterwards takes the
 * entry out (documented: the person's password is not put back, the state file never holds it).
 */
const migrate: FuzzProperty = {
  name: "migrate turns the remote's password into Artikey's entry: Conan reads the token, the old password is gone, other entries as before",
  cases: 40,
  property: () =>
    fc.asyncProperty(
      fc
        .tuple(fc.constantFrom(...INSTANCES), fc.constantFrom('art', 'corp', 'r-1'))
        .chain(([url, name]) =>
          fc.tuple(
            fc.constant(url),
            fc.constant(name),
            conanFile('conan', { ownName: name, ownEntry: true, ownSecret: true }),
          ),
        ),
      token(),
      async ([url, name, file], t) => {
        const home = freshHome();
        const path = join(home, 'credentials.json');
        const remoteUrl = `${url}artifactory/api/conan/conan-local`;
        writeFileSync(
          join(dirname(path), 'remotes.json'),
          JSON.stringify({ remotes: [{ name, url: remoteUrl, verify_ssl: true }] }),
        );
        const found = findInConanCredentials(
          {
            tool: 'conan',
            file: path,
            instances: [{ id: 'fuzz', platformUrl: url, registryHost: new URL(url).host }],
          },
          file.text,
        ).found.filter((c) => c.location === `credentials[remote=${name}] password`);
        if (found.length === 0) return; // no password of the remote in this file
        const steps = planMigration(
          found,
          { id: 'fuzz', platformUrl: url, username: USERNAME },
          [],
          { platform: 'linux', env: {}, home: '/nonexistent' },
        );
        let edited = file.text;
        const records = [];
        for (const step of steps) {
          if (step.action !== 'replace') continue;
          const written = renderWrite(step.target, edited, credentials(t));
          records.push(recordOf(step.target, edited, written.restore));
          edited = written.text;
        }
        if (records.length === 0) throw new Error('migrate planned no replacement');
        const before = await ask('conan', file.text);
        const after = await ask('conan', edited);
        if (after.error !== undefined) throw new Error(`Conan refuses the result: ${after.error}`);
        const ours = after.entries?.[name];
        if (ours?.['password'] !== t || ours['user'] !== USERNAME)
          throw new Error(`Conan reads ${canonical({ ...ours, password: '…' })}`);
        for (const c of found)
          if (occurrences(edited, c.secret) > 0)
            throw new Error(`the adopted password at ${c.location} is still in the file`);
        if (othersOf(after, name) !== othersOf(before, name))
          throw new Error('another entry reads differently after migrate');
        let back = edited;
        for (const record of records.reverse()) back = removal(record, back) ?? '';
        const unconfigured = await ask('conan', back);
        if (othersOf(unconfigured, name) !== othersOf(before, name))
          throw new Error('unconfigure after migrate changed another entry');
      },
    ),
};

export const suite: FuzzSuite = {
  editor: 'json-named-list.ts + conan-files.ts (conan, conan-remote)',
  properties: [
    ...KINDS.map(roundTrip),
    ...KINDS.map(tokenPlacement),
    ...KINDS.map(toolReading),
    refused,
    disk,
    migrate,
  ],
  close: () => pool.close(),
};
