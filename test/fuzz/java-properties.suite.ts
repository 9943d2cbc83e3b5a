/**
 * java-properties.ts, the editor of gradle.properties (kind gradle, any --prefix) and sbt's
 * credentials file (kind sbt), against java.util.Properties.load(InputStream): the loader Gradle
 * (GUtil.loadProperties) and sbt (IO.load) call on the file's bytes, so ISO-8859-1 and last key
 * wins. The oracle is the JDK's own loader (test/fuzz/oracles/JavaPropertiesOracle.java).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { planMigration } from '../../electron/core/migrate.js';
import { readerOf } from '../../electron/core/scan/readers.js';
import { definitionOf } from '../../electron/core/targets/target-kinds.js';
import type { TargetSpec } from '../../electron/core/targets/target-record.js';
import { removeTarget, renderWrite, writeTarget } from '../../electron/core/targets/targets.js';
import { ToolFileError } from '../../electron/core/targets/tool-file.js';
import type { GradleSpec } from '../../electron/core/targets/kinds/gradle-spec.js';
import type { SbtSpec } from '../../electron/core/targets/kinds/sbt-spec.js';
import type { FuzzSuite } from './support/fuzz-run.js';
import {
  ownEntry,
  propertiesFile,
  referenceValue,
  single,
  utf8,
  type PropertiesEntry,
  type PropertiesFile,
} from './support/java-properties-arbitraries.js';
import { OracleProcess, OraclePool } from './support/oracle-process.js';
import {
  credentials,
  cycle,
  expectRefusedUntouched,
  recordOf,
  removal,
  USERNAME,
} from './support/target-cycle.js';
import { lookalikeHost, occurrences, token, word } from './support/text-arbitraries.js';

const oracles = new OraclePool();
const ORACLE = join(import.meta.dirname, 'oracles', 'JavaPropertiesOracle.java');

interface JavaReading {
  properties?: Record<string, string>;
  error?: string;
}

/** What Gradle and sbt read from these bytes. */
const javaReads = (bytes: Buffer): Promise<JavaReading> =>
  oracles
    .get('java', () => new OracleProcess('java.util.Properties', 'java', [ORACLE]))
    .ask<JavaReading>({ base64: bytes.toString('base64') });

async function javaProperties(text: string): Promise<Record<string, string>> {
  const read = await javaReads(utf8(text));
  if (read.properties === undefined)
    throw new Error(
      `Properties.load refused the file: ${read.error ?? '?'}\n${JSON.stringify(text)}`,
    );
  return read.properties;
}

/** Two different tokens: a configure and the refresh after it. */
const tokens = (): fc.Arbitrary<[string, string]> =>
  fc.uniqueArray(token(), { minLength: 2, maxLength: 2 }).map(([a, b]) => [a!, b!]);

const dir = mkdtempSync(join(tmpdir(), 'artikey-fuzz-properties-'));

const INSTANCES = [
  'https://art.example.com/',
  'http://127.0.0.1:8081/',
  'https://art.example.com:8443/jfrog/',
];

const request = (platformUrl: string, prefix: string | undefined, path: string) => ({
  options: prefix === undefined ? {} : { prefix },
  platformUrl,
  instanceName: null,
  artifactoryUrl: `${platformUrl}artifactory/`,
  path,
  repo: () => {
    throw new Error('no repository for this kind');
  },
  environment: { platform: 'linux' as const, env: {}, home: dir },
});

/** A file of the kind, the spec Artikey configures and what Java must read there afterwards. */
interface Scenario {
  spec: GradleSpec | SbtSpec;
  file: PropertiesFile;
  /** The kind's keys but the password and what each holds after configure. */
  fixed: Record<string, string>;
  passwordKey: string;
  replaceReferences: boolean;
  /** Why Artikey must refuse with tool-file-conflict (a reference not to replace, another host's file), or null. */
  conflict: string | null;
}

/** A plain-text password the person had; the `!` keeps it from being part of any token, shrunk or not. */
const secret = (): fc.Arbitrary<string> =>
  fc.base64String({ minLength: 16, maxLength: 48 }).map((s) => `old!${s}`);

function conflictOf(
  file: PropertiesFile,
  keys: string[],
  replaceReferences: boolean,
): string | null {
  if (replaceReferences) return null;
  for (const key of keys) {
    const first = file.entries.find((e) => e.own === key);
    if (first?.reference) return `${key} holds a reference`;
  }
  return null;
}

const gradleScenario = (): fc.Arbitrary<Scenario> =>
  fc
    .record({
      platformUrl: fc.constantFrom(...INSTANCES),
      prefix: fc.constantFrom(undefined, 'artifactory', 'myRepo', 'corp.art_1'),
      replaceReferences: fc.boolean(),
    })
    .chain(({ platformUrl, prefix, replaceReferences }) => {
      const spec = definitionOf('gradle').fromRequest(
        request(platformUrl, prefix, join(dir, 'gradle.properties')),
      ) as GradleSpec;
      const p = spec.prefix;
      const keys = [`${p}_user`, `${p}_password`, `${p}_contextUrl`];
      const lookalikes = [
        `${p}_password2`,
        `x${p}_password`,
        `${p}_Password`,
        `${p.toUpperCase()}_PASSWORD`,
        `${p}.password`,
        `${p}-user`,
        `${p}_contextUrl_`,
        `${p}User`,
        'artifactory_password_old',
        'other_password',
        `${p}_user\\ `,
      ];
      const own = [
        ownEntry(keys[0]!, fc.oneof(single(word()), referenceValue())),
        ownEntry(keys[1]!, fc.oneof(single(secret()), referenceValue())),
        ownEntry(
          keys[2]!,
          fc.oneof(
            single(
              fc.constantFrom(
                spec.contextUrl,
                `${spec.contextUrl}/`,
                'https://other.example.com/artifactory',
              ),
            ),
            referenceValue(),
          ),
        ),
      ];
      return propertiesFile({ own, lookalikes, maxOwn: 2 }).map((file): Scenario => ({
        spec,
        file,
        fixed: { [keys[0]!]: USERNAME, [keys[2]!]: spec.contextUrl },
        passwordKey: keys[1]!,
        replaceReferences,
        conflict: conflictOf(file, keys, replaceReferences),
      }));
    });

const sbtScenario = (): fc.Arbitrary<Scenario> =>
  fc
    .record({ platformUrl: fc.constantFrom(...INSTANCES), replaceReferences: fc.boolean() })
    .chain(({ platformUrl, replaceReferences }) => {
      const spec = definitionOf('sbt').fromRequest(
        request(platformUrl, undefined, join(dir, '.credentials')),
      ) as SbtSpec;
      const keys = ['realm', 'host', 'user', 'password'];
      const lookalikes = [
        'Host',
        'hosts',
        'realm2',
        'user.name',
        'username',
        'pwd',
        'passwd',
        'Password',
        'password2',
        'HOST',
      ];
      const ourHost = fc.constantFrom(
        spec.host,
        spec.host.toUpperCase(),
        ` ${spec.host}`,
        `${spec.host}\t`,
      );
      const own = [
        ownEntry(
          'realm',
          single(
            fc.constantFrom('Artifactory Realm', 'Sonatype Nexus Repository Manager', 'realm'),
          ),
        ),
        ownEntry(
          'host',
          fc.oneof(single(ourHost), single(ourHost), single(lookalikeHost(spec.host, null))),
        ),
        ownEntry('user', fc.oneof(single(word()), referenceValue())),
        ownEntry('password', fc.oneof(single(secret()), referenceValue())),
      ];
      return propertiesFile({ own, lookalikes, maxOwn: 2 }).map((file): Scenario => {
        // sbt reads one credential per file (its host as Properties.load keeps it: the last):
        // a file for another host is not Artikey's to change.
        const host = file.entries.filter((e) => e.own === 'host').at(-1);
        const otherHost =
          host !== undefined && host.value.trim().toLowerCase() !== spec.host.toLowerCase()
            ? 'another host'
            : null;
        return {
          spec,
          file,
          fixed: { realm: 'Artifactory Realm', host: spec.host, user: USERNAME },
          passwordKey: 'password',
          replaceReferences,
          conflict: otherHost ?? conflictOf(file, keys, replaceReferences),
        };
      });
    });

const scenario = (): fc.Arbitrary<Scenario> => fc.oneof(gradleScenario(), sbtScenario());

const ownEntries = (s: Scenario, key: string): PropertiesEntry[] =>
  s.file.entries.filter((e) => e.own === key);

/** Configure → refresh → unconfigure; null when Artikey refused with the conflict the scenario predicts. */
function run(s: Scenario, first: string, second: string) {
  try {
    const result = cycle(s.spec, s.file.text, first, second, {
      replaceReferences: s.replaceReferences,
    });
    if (s.conflict !== null) throw new Error(`expected a refusal (${s.conflict}), got a write`);
    return result;
  } catch (error) {
    if (
      s.conflict !== null &&
      error instanceof ToolFileError &&
      error.code === 'tool-file-conflict'
    )
      return null;
    throw error;
  }
}

/**
 * What unconfigure must leave: the original exactly, except that the password the file held in
 * plain text is gone (a secret is never kept to put back). Null when only Java's reading is
 * promised: the kind's keys appeared more than once, and the copies collapse into one.
 */
function expectedAfterRemoval(s: Scenario): string | null {
  const own = new Set(s.file.entries.map((e) => e.own).filter((k) => k !== null));
  if ([...own].some((key) => ownEntries(s, key!).length > 1)) return null;
  const password = ownEntries(s, s.passwordKey)[0];
  if (password === undefined || password.reference) return s.file.text;
  const index = s.file.entries.indexOf(password);
  const kept = s.file.chunks.filter((_, i) => i !== index).join('');
  const wasLast = index === s.file.entries.length - 1;
  const lastHadNoBreak = !/[\r\n]$/.test(s.file.chunks.at(-1) ?? '\n');
  return wasLast && lastHadNoBreak ? kept.replace(/(\r\n|\r|\n)$/, '') : kept;
}

/** Java's reading after unconfigure equals the original's, without a plain-text password. */
function expectedReadingAfterRemoval(
  s: Scenario,
  before: Record<string, string>,
): Record<string, string> {
  const password = ownEntries(s, s.passwordKey);
  const last = password.at(-1);
  if (last === undefined || last.reference) return before;
  const { [s.passwordKey]: _dropped, ...rest } = before;
  void _dropped;
  return rest;
}

const same = (a: unknown, b: unknown, what: string): void => {
  const sorted = (o: unknown) =>
    JSON.stringify(Object.entries(o as object).sort(([x], [y]) => (x < y ? -1 : 1)));
  if (sorted(a) !== sorted(b))
    throw new Error(`${what}:\n  got      ${sorted(a)}\n  expected ${sorted(b)}`);
};

/** Every key Java reads after an edit: the kind's keys hold what Artikey meant, all others as before. */
function expectReading(
  after: Record<string, string>,
  before: Record<string, string>,
  meant: Record<string, string>,
): void {
  const expected = { ...before, ...meant };
  same(after, expected, 'Properties.load read');
}

/** A malformed `\u` (fewer than four hex digits) somewhere Java converts: a key or a value. */
const malformed = (): fc.Arbitrary<{ text: string }> =>
  fc
    .tuple(
      scenario(),
      fc.constantFrom('\\u', '\\u1', '\\u12G4', '\\uZZZZ', '\\u00', '\\u00e'),
      fc.nat(),
      fc.boolean(),
    )
    .map(([s, bad, at, inKey]) => {
      const lines = s.file.text.split(/(?<=\n)/);
      const i = at % (lines.length + 1);
      const line = inKey ? `bad${bad}key=value\n` : `key=value ${bad}\n`;
      const before = lines.slice(0, i).join('');
      // On a line of its own, not at the end of a comment.
      const start = before === '' || /[\r\n]$/.test(before) ? '' : '\n';
      return { text: `${before}${start}${line}${lines.slice(i).join('')}` };
    });

export const suite: FuzzSuite = {
  editor: 'java-properties.ts (gradle, sbt)',
  close: () => oracles.close(),
  properties: [
    {
      name: 'configure, refresh and unconfigure give back the file (a plain-text password excepted)',
      cases: 150,
      property: () =>
        fc.property(scenario(), tokens(), (s, [first, second]) => {
          const result = run(s, first, second);
          if (result === null) return;
          const expected = expectedAfterRemoval(s);
          if (expected !== null && result.removed !== expected)
            throw new Error(
              `unconfigure left\n${JSON.stringify(result.removed)}\ninstead of\n${JSON.stringify(expected)}`,
            );
        }),
    },
    {
      name: "Properties.load reads Artikey's values after configure and refresh, every other key as before, and after unconfigure the original",
      cases: 60,
      property: () =>
        fc.asyncProperty(scenario(), tokens(), async (s, [first, second]) => {
          const before = await javaProperties(s.file.text);
          const result = run(s, first, second);
          if (result === null) return;
          expectReading(await javaProperties(result.configured), before, {
            ...s.fixed,
            [s.passwordKey]: first,
          });
          expectReading(await javaProperties(result.refreshed), before, {
            ...s.fixed,
            [s.passwordKey]: second,
          });
          const removed = await javaProperties(result.removed ?? '');
          same(
            removed,
            expectedReadingAfterRemoval(s, before),
            'after unconfigure, Properties.load read',
          );
        }),
    },
    {
      name: 'the token is in the password key alone, once, and gone after unconfigure',
      cases: 60,
      property: () =>
        fc.asyncProperty(scenario(), tokens(), async (s, [first, second]) => {
          const result = run(s, first, second);
          if (result === null) return;
          for (const [text, present, absent] of [
            [result.configured, first, second],
            [result.refreshed, second, first],
          ] as const) {
            if (occurrences(text, present) !== 1 || occurrences(text, absent) !== 0)
              throw new Error(
                `the token occurs ${occurrences(text, present)} times (the other ${occurrences(text, absent)})`,
              );
            const read = await javaProperties(text);
            const holders = Object.entries(read).filter(
              ([k, v]) => k.includes(present) || v.includes(present),
            );
            same(
              Object.fromEntries(holders),
              { [s.passwordKey]: present },
              'keys holding the token',
            );
          }
          const removed = result.removed ?? '';
          if (occurrences(removed, first) + occurrences(removed, second) !== 0)
            throw new Error('a token is left after unconfigure');
        }),
    },
    {
      name: 'a file Properties.load refuses (a malformed \\u escape) is refused with its line and column, bytes and mtime untouched',
      cases: 20,
      benchCases: 2_000,
      property: () =>
        fc.asyncProperty(malformed(), fc.boolean(), token(), async ({ text }, gradle, t) => {
          const bytes = utf8(text);
          const read = await javaReads(bytes);
          if (read.error === undefined) throw new Error('the generator made a file Java reads');
          const spec: TargetSpec = gradle
            ? {
                kind: 'gradle',
                path: join(dir, 'refused.properties'),
                prefix: 'artifactory',
                contextUrl: 'https://art.example.com/artifactory',
              }
            : {
                kind: 'sbt',
                path: join(dir, 'refused.credentials'),
                host: 'art.example.com',
                contextUrl: 'https://art.example.com/artifactory',
              };
          await expectRefusedUntouched(spec, bytes, t);
        }),
    },
    {
      name: "migrate: the plain-text password found by the scan becomes Artikey's token, the old secret goes, every other key stays; unconfigure then leaves the original minus that password",
      cases: 60,
      property: () =>
        fc.asyncProperty(scenario(), secret(), token(), async (s, old, t) => {
          const { spec } = s;
          // The file holds the plain-text credential for the instance, as scan finds them.
          const platformUrl = spec.contextUrl.replace(/artifactory$/, '');
          const plantedKey = s.passwordKey;
          const planted: PropertiesEntry[] =
            spec.kind === 'gradle'
              ? [
                  {
                    lines: [`${spec.prefix}_contextUrl=${spec.contextUrl}`],
                    own: null,
                    reference: false,
                    value: '',
                  },
                  { lines: [`${plantedKey}=${old}`], own: null, reference: false, value: '' },
                ]
              : [
                  { lines: [`host=${spec.host}`], own: null, reference: false, value: '' },
                  { lines: [`password=${old}`], own: null, reference: false, value: '' },
                ];
          const kept = s.file.entries.filter((e) => e.own === null);
          // First: a last kept line may end in a backslash, which would continue into them.
          const text = [...planted, ...kept].flatMap((e) => e.lines.map((l) => `${l}\n`)).join('');
          const instance = { id: 'i1', platformUrl, username: null };
          const found = readerOf(spec.kind).find(
            {
              tool: spec.kind,
              file: spec.path,
              instances: [{ id: 'i1', platformUrl, registryHost: new URL(platformUrl).host }],
            },
            text,
            null,
          ).found;
          const steps = planMigration(
            found,
            instance,
            [],
            request(platformUrl, undefined, spec.path).environment,
          );
          const step = steps.find(
            (st) => st.action === 'replace' && st.credential.location === plantedKey,
          );
          if (step?.action !== 'replace')
            throw new Error(`migrate planned no replacement: ${JSON.stringify(steps)}`);
          const before = await javaProperties(text);
          const { text: written, restore } = renderWrite(step.target, text, credentials(t));
          if (occurrences(written, old) !== 0)
            throw new Error('the old secret is still in the file');
          const after = await javaProperties(written);
          if (after[plantedKey] !== t) throw new Error(`${plantedKey} reads ${after[plantedKey]}`);
          const target = step.target as GradleSpec | SbtSpec;
          const meant: Record<string, string> =
            target.kind === 'gradle'
              ? {
                  [`${target.prefix}_user`]: USERNAME,
                  [plantedKey]: t,
                  [`${target.prefix}_contextUrl`]: target.contextUrl,
                }
              : { realm: 'Artifactory Realm', host: target.host, user: USERNAME, password: t };
          expectReading(after, before, meant);
          const removed = removal(recordOf(step.target, text, restore), written) ?? '';
          const { [plantedKey]: _old, ...withoutPassword } = before;
          void _old;
          same(
            await javaProperties(removed),
            withoutPassword,
            'after unconfigure, Properties.load read',
          );
          if (removed !== text.replace(`${plantedKey}=${old}\n`, ''))
            throw new Error(`unconfigure left\n${JSON.stringify(removed)}`);
        }),
    },
    {
      name: 'on disk, with or without a byte-order mark: configure then unconfigure gives back the bytes, and Java reads the token',
      cases: 15,
      benchCases: 2_000,
      property: () =>
        fc.asyncProperty(scenario(), fc.boolean(), token(), async (s, bom, t) => {
          if (s.file.entries.some((e) => e.own !== null)) return;
          const bytes = Buffer.concat([
            bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0),
            utf8(s.file.text),
          ]);
          const spec = s.spec;
          writeFileSync(spec.path, bytes);
          const { restore } = await writeTarget(spec, credentials(t));
          const configured = readFileSync(spec.path);
          const read = (await javaReads(configured)).properties ?? {};
          // Properties.load reads a byte-order mark as ISO-8859-1 characters of the first key,
          // and so does the editor (byte-order-mark.ts): a key after it is another key.
          for (const [key, value] of Object.entries({ ...s.fixed, [s.passwordKey]: t })) {
            if (read[key] !== value)
              throw new Error(`Java reads ${key} as ${JSON.stringify(read[key])}`);
          }
          await removeTarget({ ...spec, createdFile: false, restore, writtenAt: 1, error: null });
          if (!readFileSync(spec.path).equals(bytes)) throw new Error('the bytes changed');
        }),
    },
  ],
};
