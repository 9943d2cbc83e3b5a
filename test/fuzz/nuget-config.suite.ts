/**
 * nuget-config.ts (kind nuget) under fuzzing: NuGet.Config files as people, `dotnet nuget` and
 * JFrog's Set Me Up write them (attributes in any order and quoting, entity and character
 * references, comments, PIs, DOCTYPEs, namespaces, `<clear/>`, disabled sources, other sections,
 * every line break, other sources whose names and encoded element names look like Artikey's),
 * checked against the JDK's namespace-aware DOM parser with NuGet.Configuration's reading rules
 * (test/fuzz/oracles/XmlSettingsOracle.java).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { planMigration } from '../../electron/core/migrate.js';
import { findInText } from '../../electron/core/scan/scan.js';
import type { NuGetSpec } from '../../electron/core/targets/kinds/nuget-spec.js';
import { encodeSourceName } from '../../electron/core/targets/nuget-config.js';
import { definitionOf } from '../../electron/core/targets/target-kinds.js';
import { ToolFileError } from '../../electron/core/targets/tool-file.js';
import { renderWrite } from '../../electron/core/targets/targets.js';
import type { FuzzSuite } from './support/fuzz-run.js';
import { OraclePool } from './support/oracle-process.js';
import {
  credentials,
  cycle,
  diskCycle,
  expectRefusedUntouched,
  fileBytes,
  recordOf,
  removal,
  type Cycle,
  USERNAME,
} from './support/target-cycle.js';
import {
  lineBreak,
  lineText,
  matching,
  occurrences,
  token,
  word,
} from './support/text-arbitraries.js';
import {
  attributes,
  comment,
  doctype,
  layout,
  misc,
  processingInstruction,
  xmlDeclaration,
  type Layout,
} from './support/xml-arbitraries.js';
import { readByNuGet, type NuGetAnswer } from './support/xml-oracles.js';
import { expectNamesPlace } from './support/xml-refusals.js';
import { element, raw, renderPart, without, type XmlPart } from './support/xml-tree.js';

const HOME = mkdtempSync(join(tmpdir(), 'artikey-fuzz-nuget-'));
const ENVIRONMENT = { platform: 'linux' as const, env: {}, home: HOME };
const PLATFORMS = [
  'https://art.example.com/',
  'http://127.0.0.1:8081/',
  'https://art.example.com:8443/prefix/',
];
const REPO = 'nuget-virtual';

interface SpecChoice {
  platformUrl: string;
  sourceName: string | undefined;
  protocol: 'v3' | 'v2' | undefined;
}

/** Source names Artikey writes: printable ASCII without `%`, no space at either end. */
const sourceName = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom('Artifactory', 'My Feed', 'corp_x0020_feed', 'a:b', '1st', 'Feed (v3)'),
    fc
      .string({
        unit: fc.constantFrom(...'abcXYZ019 _-.:&<>"\'#@!'.split('')),
        minLength: 1,
        maxLength: 12,
      })
      .map((s) => s.trim())
      .filter((s) => s !== ''),
  );

const specChoice = (): fc.Arbitrary<SpecChoice> =>
  fc.record({
    platformUrl: fc.constantFrom(...PLATFORMS),
    sourceName: fc.option(sourceName(), { nil: undefined }),
    protocol: fc.constantFrom<SpecChoice['protocol']>('v3', 'v2', undefined),
  });

function specOf(choice: SpecChoice, path: string): NuGetSpec {
  return definitionOf('nuget').fromRequest({
    options: {
      ...(choice.sourceName === undefined ? {} : { sourceName: choice.sourceName }),
      ...(choice.protocol === undefined ? {} : { protocol: choice.protocol }),
    },
    platformUrl: choice.platformUrl,
    instanceName: null,
    artifactoryUrl: `${choice.platformUrl}artifactory/`,
    path,
    repo: () => REPO,
    environment: ENVIRONMENT,
  }) as NuGetSpec;
}

/** `<add key="…" value="…"/>` with its attributes in any order and quoting, and any ending. */
const add = (pairs: [string, string][], tag?: string): fc.Arbitrary<XmlPart> =>
  fc
    .tuple(attributes(pairs), fc.constantFrom(' />', '/>', '></add>', ' ></add>'))
    .map(([written, end]) => raw(`<add${written}${end}`, tag));

const emptyStyle = (): fc.Arbitrary<'self' | 'pair' | 'broken'> =>
  fc.constantFrom('self', 'pair', 'broken');

/** A section of items, with comments and PIs among them. */
const section = (name: string, items: XmlPart[], attributesText = ''): fc.Arbitrary<XmlPart> =>
  fc
    .tuple(
      fc.array(fc.oneof(comment(), processingInstruction()), { maxLength: 2 }),
      fc.array(fc.nat(items.length), { maxLength: 2 }),
      emptyStyle(),
      fc.boolean(),
    )
    .map(([notes, places, empty, inline]) => {
      const children = [...items];
      notes.forEach((note, i) =>
        children.splice(Math.min(places[i] ?? 0, children.length), 0, raw(note)),
      );
      return element(name, children, {
        empty,
        inline: inline && children.length < 3,
        attributes: attributesText,
      });
    });

/** Names that are not `name` to NuGet (nor to Artikey) though they look like it. */
const lookalikeName = (name: string): fc.Arbitrary<string> =>
  fc.constantFrom(`${name}-x`, `x${name}`, `${name}.`, `${name} 2`, `${name}${name}`, `_${name}`);

const otherName = (name: string): fc.Arbitrary<string> =>
  fc
    .oneof(word(), lookalikeName(name), fc.constant('nuget.org'))
    .filter((other) => other.toLowerCase() !== name.toLowerCase());

/** The same name to NuGet (which compares names ignoring case) spelt otherwise. */
const sameName = (name: string): fc.Arbitrary<string> =>
  fc.constantFrom(name, name.toLowerCase(), name.toUpperCase());

/** Element names for `name`'s credentials that decode to it: .NET's encoding, hex either case. */
const encodedNames = (name: string): fc.Arbitrary<string> =>
  fc
    .tuple(sameName(name), fc.boolean())
    .map(([spelt, lower]) =>
      lower
        ? encodeSourceName(spelt).replace(
            /_x([0-9A-F]{4})_/g,
            (_, hex: string) => `_x${hex.toLowerCase()}_`,
          )
        : encodeSourceName(spelt),
    );

const url = (host: string): fc.Arbitrary<string> =>
  fc.constantFrom(
    `https://${host}/artifactory/api/nuget/v3/other/index.json`,
    `https://sub.${host}/api/nuget/feed`,
    'https://api.nuget.org/v3/index.json',
    `https://${host}/artifactory/api/nuget/v3/${REPO}/index.json?x=1&y=2`,
  );

const otherSource = (name: string, host: string): fc.Arbitrary<XmlPart> =>
  fc
    .tuple(otherName(name), url(host), fc.option(fc.constantFrom('3', '2')))
    .chain(([key, value, version]) =>
      add([
        ['key', key],
        ['value', value],
        ...(version === null ? [] : [['protocolVersion', version] as [string, string]]),
      ]),
    );

const otherCredentials = (name: string): fc.Arbitrary<XmlPart> =>
  fc
    .tuple(
      otherName(name),
      lineText({ maxLength: 2 }),
      fc.oneof(token(), fc.constant('%FEED_TOKEN%')),
      fc.boolean(),
      fc.boolean(),
    )
    .chain(([other, user, secret, encrypted, inline]) =>
      fc
        .tuple(
          add([
            ['key', 'Username'],
            ['value', user || 'someone'],
          ]),
          add([
            ['key', encrypted ? 'Password' : 'ClearTextPassword'],
            ['value', secret],
          ]),
        )
        .map((adds) => element(encodeSourceName(other), adds, { inline })),
    );

export interface NuGetFile {
  prolog: string;
  root: XmlPart & { kind: 'element' };
  trailing: string;
  layout: Layout;
  /** The person's credentials of Artikey's source hold a `%VAR%` password (configure needs --replace-references). */
  ownReference: boolean;
  /** They stand before a `<clear />`, so NuGet reads no credentials of the source: Artikey refuses the file. */
  ownBeforeClear: boolean;
}

export const renderNuGet = (file: NuGetFile, root: XmlPart = file.root): string =>
  `${file.prolog}${renderPart(root, 0, file.layout)}${file.trailing}`;

interface NuGetFileOptions {
  /** Whether the person's own source and credentials of `name` may be there. */
  own: boolean;
  layout?: fc.Arbitrary<Layout>;
  /** Entries put among the others, their sections made when missing. */
  extraSource?: XmlPart;
  extraCredentials?: XmlPart;
}

/**
 * Where a `<clear />` goes among a section's items (0: first, as people mostly write it), or
 * none. Amid the entries it drops the person's own entry before it, which NuGet then ignores. A
 * file made for migrate has none: a credential before it would be one NuGet does not use.
 */
const clearAt = (options: NuGetFileOptions): fc.Arbitrary<number | null> =>
  options.extraSource !== undefined || options.extraCredentials !== undefined
    ? fc.constant(null)
    : fc.oneof(
        { weight: 3, arbitrary: fc.constant(null) },
        { weight: 2, arbitrary: fc.constant(0) },
        { weight: 1, arbitrary: fc.nat(4) },
      );

export const nugetFile = (
  name: string,
  options: NuGetFileOptions = { own: true },
): fc.Arbitrary<NuGetFile> => {
  const host = 'art.example.com';
  const ownSource = fc
    .tuple(sameName(name), url(host), fc.option(fc.constantFrom('3', '2')))
    .chain(([key, value, version]) =>
      add([
        ['key', key],
        ['value', value],
        ...(version === null ? [] : [['protocolVersion', version] as [string, string]]),
      ]),
    );
  // The person's credentials Artikey may take over and give back: a %VAR% password, or none yet.
  const ownCredentials = fc
    .tuple(
      encodedNames(name),
      fc.constantFrom('%FEED_USER%', 'ada'),
      // Without a password NuGet refuses the file (CredentialsItem): seldom, for the round trip only.
      fc.oneof(
        { weight: 4, arbitrary: fc.constant(true) },
        { weight: 1, arbitrary: fc.constant(false) },
      ),
    )
    .chain(([elementName, user, withPassword]) =>
      fc
        .tuple(
          add([
            ['key', 'Username'],
            ['value', user],
          ]),
          add([
            ['key', 'ClearTextPassword'],
            ['value', '%FEED_TOKEN%'],
          ]),
          emptyStyle(),
        )
        .map(([username, password, empty]) => ({
          part: element(elementName, withPassword ? [username, password] : [], { empty }),
          reference: withPassword,
        })),
    );
  const sources = fc
    .tuple(
      fc.array(otherSource(name, host), { maxLength: 3 }),
      options.own ? fc.option(ownSource, { freq: 3 }) : fc.constant(null),
      clearAt(options),
      fc.nat(),
    )
    .chain(([others, own, clear, at]) => {
      const items = [...others];
      if (own) items.splice(at % (items.length + 1), 0, own);
      if (options.extraSource) items.splice(at % (items.length + 1), 0, options.extraSource);
      if (clear !== null) items.splice(Math.min(clear, items.length), 0, raw('<clear />'));
      return section('packageSources', items);
    });
  const credentialsSection = fc
    .tuple(
      fc.array(otherCredentials(name), { maxLength: 2 }),
      options.own ? fc.option(ownCredentials, { freq: 3 }) : fc.constant(null),
      fc.nat(),
      clearAt(options),
    )
    .chain(([others, own, at, clear]) => {
      const items: XmlPart[] = [...others];
      if (own) items.splice(at % (items.length + 1), 0, own.part);
      if (options.extraCredentials)
        items.splice(at % (items.length + 1), 0, options.extraCredentials);
      const clearPart = raw('<clear />');
      if (clear !== null) items.splice(Math.min(clear, items.length), 0, clearPart);
      const dropped =
        own !== null && clear !== null && items.indexOf(own.part) < items.indexOf(clearPart);
      return fc.tuple(
        section('packageSourceCredentials', items),
        fc.constant({ reference: own?.reference ?? false, dropped }),
      );
    });
  const sometimes = <T>(arbitrary: fc.Arbitrary<T>, always: boolean): fc.Arbitrary<T | null> =>
    always ? arbitrary : fc.option(arbitrary);
  const sections = fc.tuple(
    sometimes(sources, options.extraSource !== undefined),
    sometimes(credentialsSection, options.extraCredentials !== undefined),
    fc.option(
      fc
        .tuple(otherName(name), fc.constantFrom('true', 'True'))
        .chain(([key, value]) =>
          add([
            ['key', key],
            ['value', value],
          ]),
        )
        .chain((item) => section('disabledPackageSources', [item])),
    ),
    fc.option(
      add([
        ['key', 'globalPackagesFolder'],
        ['value', '%HOME%/packages & more'],
      ]).chain((item) => section('config', [item])),
    ),
    fc.option(
      fc.constant(
        element('packageSourceMapping', [
          element('packageSource', [raw('<package pattern="*" />')], {
            attributes: ' key="nuget.org"',
          }),
        ]),
      ),
    ),
    fc.option(
      fc.constant(
        raw(
          '<x:extra xmlns:x="urn:example:extra" x:note=\'kept\'><x:item>a &amp; b</x:item></x:extra>',
        ),
      ),
    ),
    misc(),
  );
  return fc
    .tuple(
      sections,
      fc.constantFrom('', '', ' xmlns:x="urn:example:extra"', ' xmlns="urn:example:nuget"'),
      fc.option(xmlDeclaration(), { freq: 2 }),
      fc.option(doctype('configuration'), { freq: 6 }),
      misc(),
      fc.constantFrom('', '\n', '\r\n', '\n\n', '\n<!-- end -->\n'),
      options.layout ?? layout(),
      emptyStyle(),
    )
    .chain(
      ([
        [sourcesPart, credentialsPart, disabled, config, mapping, extra, notes],
        rootAttributes,
        declaration,
        type,
        prologNotes,
        trailing,
        fileLayout,
        empty,
      ]) => {
        const parts = [
          sourcesPart,
          credentialsPart?.[0] ?? null,
          disabled,
          config,
          mapping,
          extra,
        ].filter((p): p is XmlPart => p !== null);
        return fc
          .shuffledSubarray(parts, { minLength: parts.length, maxLength: parts.length })
          .map((ordered) => {
            const eol = fileLayout.eol;
            const prolog = [declaration, ...prologNotes, type].filter(
              (p): p is string => p !== null,
            );
            return {
              prolog: prolog.map((p) => `${p}${eol()}`).join(''),
              root: element('configuration', [...ordered, ...notes.map((n) => raw(n))], {
                attributes: rootAttributes,
                empty,
              }),
              trailing,
              layout: fileLayout,
              ownReference: credentialsPart?.[1].reference ?? false,
              ownBeforeClear: credentialsPart?.[1].dropped ?? false,
            };
          });
      },
    );
};

const pool = new OraclePool();
const nuget = (text: string | Buffer): Promise<NuGetAnswer> => readByNuGet(pool, text);

const same = (a: string | undefined, b: string): boolean =>
  a !== undefined && a.toLowerCase() === b.toLowerCase();

/** What NuGet reads apart from Artikey's source and credentials. */
const othersOf = (answer: NuGetAnswer, name: string): string =>
  JSON.stringify({
    sources: answer.sources?.filter((s) => !same(s.key, name)),
    credentials: answer.credentials?.filter((c) => !same(c.name, name)),
    disabled: answer.disabled,
    others: answer.others,
  });

function expectEqual(actual: unknown, expected: unknown, what: string): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}\n  expected: ${e}\n  actual:   ${a}`);
}

/** NuGet reads Artikey's source and credentials with the token, and every other entry as before. */
function expectNuGetReads(
  before: NuGetAnswer,
  after: NuGetAnswer,
  spec: NuGetSpec,
  password: string,
): void {
  if (after.error !== undefined) throw new Error(`NuGet no longer reads the file: ${after.error}`);
  const sources = (after.sources ?? []).filter((s) => same(s.key, spec.name));
  expectEqual(
    sources.map((s) => s.value),
    [spec.url],
    `NuGet's sources named ${spec.name}`,
  );
  const version = sources[0]?.protocolVersion ?? null;
  if ((spec.protocol === 'v3') !== (version === '3'))
    throw new Error(`a ${spec.protocol} source with protocolVersion ${version}`);
  // NuGet takes the first credentials of the name (PackageSourceProvider), ignoring case.
  const found = (after.credentials ?? []).find((c) => same(c.name, spec.name));
  expectEqual(
    found && [found.username, found.password, found.clearText],
    [USERNAME, password, true],
    `NuGet's credentials of ${spec.name}`,
  );
  expectEqual(othersOf(after, spec.name), othersOf(before, spec.name), 'the other entries');
}

/**
 * The cycle as the product runs it; null when the file holds the person's credentials of the
 * source before a `<clear />`, which Artikey must refuse (NuGet would read no credentials of it).
 */
function nugetCycle(
  spec: NuGetSpec,
  original: string,
  file: NuGetFile,
  first: string,
  second: string,
): Cycle | null {
  if (!file.ownBeforeClear)
    return cycle(spec, original, first, second, { replaceReferences: file.ownReference });
  try {
    cycle(spec, original, first, second, { replaceReferences: true });
  } catch (error) {
    if (error instanceof ToolFileError && error.code === 'tool-file-conflict') return null;
    throw error;
  }
  throw new Error('credentials before a <clear /> were not refused');
}

const caseOf = (): fc.Arbitrary<{ choice: SpecChoice; file: NuGetFile }> =>
  specChoice().chain((choice) =>
    nugetFile(specOf(choice, join(HOME, 'NuGet.Config')).name).map((file) => ({ choice, file })),
  );

const firstAndSecond = (): fc.Arbitrary<[string, string]> =>
  fc.tuple(token(), token()).filter(([a, b]) => a !== b && !a.includes(b) && !b.includes(a));

const refusedFile = (): fc.Arbitrary<{ choice: SpecChoice; text: string }> =>
  caseOf().chain(({ choice, file }) => {
    const text = renderNuGet(file);
    const rendered = renderPart(file.root, 0, file.layout);
    const openEnd = file.prolog.length + rendered.indexOf('>') + 1;
    const rootEnd = file.prolog.length + rendered.length;
    const at = (position: number, insert: string): string =>
      text.slice(0, position) + insert + text.slice(position);
    return fc
      .constantFrom(
        at(openEnd, '&bogus;'),
        at(openEnd, '<add key="a" value="b & c" />'),
        at(openEnd, '<add key="a" key=\'b\' />'),
        at(openEnd, '<add key=a />'),
        at(openEnd, '<add key="<" />'),
        at(openEnd, '<packageSources></packageSource>'),
        at(openEnd, '<packageSources>'),
        `${text}<configuration/>`,
        at(rootEnd, 'x'),
        `${text}<!-- open`,
        at(openEnd, '<![CDATA[open'),
        `<!DOCTYPE configuration [<!ENTITY e "x">]>\n${text.slice(file.prolog.length)}`,
        text
          .replace(/<configuration\b/, '<settings')
          .replace(/<\/configuration>$|<\/configuration>(?=[^]*$)/, '</settings>'),
        file.prolog,
      )
      .map((broken) => ({ choice, text: broken }));
  });

/** A plain-text password of the instance in a source's credentials: what migrate adopts. */
const adoptableCase = (): fc.Arbitrary<{
  file: NuGetFile;
  name: string;
  secret: string;
  platformUrl: string;
}> =>
  fc
    .tuple(
      fc.constantFrom(...PLATFORMS),
      fc.oneof(fc.constant('Artifactory'), fc.constantFrom('Corp Feed', 'corp'), word()),
      matching(/^[A-Za-z0-9]{68,80}$/).map((k) => `AKCp8${k}`),
      lineBreak(),
      fc.constantFrom('  ', '\t'),
      fc.constantFrom(
        `api/nuget/v3/${REPO}/index.json`,
        `api/nuget/v3/${REPO}`,
        `api/nuget/${REPO}`,
      ),
    )
    .chain(([platformUrl, name, secret, eol, unit, path]) =>
      fc
        .tuple(
          add([
            ['key', name],
            ['value', `${platformUrl}artifactory/${path}`],
          ]),
          add([
            ['key', 'Username'],
            ['value', 'alice'],
          ]),
          add(
            [
              ['key', 'ClearTextPassword'],
              ['value', secret],
            ],
            'adopted',
          ),
          fc.boolean(),
        )
        .chain(([source, username, password, passwordFirst]) =>
          nugetFile(name, {
            own: false,
            // One kind of line break: the file is rendered twice (with and without the password).
            layout: fc.constant({ unit, eol: () => eol }),
            extraSource: source,
            extraCredentials: element(
              encodeSourceName(name),
              passwordFirst ? [password, username] : [username, password],
              {
                tag: 'credentials',
              },
            ),
          }),
        )
        .map((file) => ({ file, name, secret, platformUrl })),
    );

export const suite: FuzzSuite = {
  editor: 'nuget-config.ts (nuget)',
  close: async () => {
    await pool.close();
    rmSync(HOME, { recursive: true, force: true });
  },
  properties: [
    {
      name: 'configure, refresh and unconfigure give back the exact original bytes',
      cases: 100,
      property: () =>
        fc.property(caseOf(), firstAndSecond(), ({ choice, file }, [first, second]) => {
          const original = renderNuGet(file);
          const spec = specOf(choice, join(HOME, 'NuGet.Config'));
          const done = nugetCycle(spec, original, file, first, second);
          if (done === null) return;
          const { configured, refreshed, removed } = done;
          if (configured === original) throw new Error('configure changed nothing');
          if (refreshed !== configured.replace(first, second))
            throw new Error('the refresh changed more than the token');
          if (removed !== original)
            throw new Error(
              `unconfigure did not give back the original:\n${JSON.stringify(original)}\n${JSON.stringify(removed)}`,
            );
        }),
    },
    {
      name: 'a file Artikey refuses keeps its bytes and mtime, and the error names a line and column inside it',
      cases: 30,
      benchCases: 2_000,
      property: () =>
        fc.asyncProperty(
          refusedFile(),
          token(),
          fc.boolean(),
          async ({ choice, text }, secret, bom) => {
            const spec = specOf(choice, join(HOME, 'refused-NuGet.Config'));
            const bytes = fileBytes(text, bom);
            const message = await expectRefusedUntouched(spec, bytes, secret);
            expectNamesPlace(message, text);
          },
        ),
    },
    {
      name: "NuGet reads Artikey's source and credentials with the token, and every other entry as before",
      cases: 30,
      property: () =>
        fc.asyncProperty(caseOf(), firstAndSecond(), async ({ choice, file }, [first, second]) => {
          const original = renderNuGet(file);
          const before = await nuget(original);
          fc.pre(before.error === undefined);
          const spec = specOf(choice, join(HOME, 'NuGet.Config'));
          const done = nugetCycle(spec, original, file, first, second);
          if (done === null) return;
          const { configured, refreshed, removed } = done;
          expectNuGetReads(before, await nuget(configured), spec, first);
          expectNuGetReads(before, await nuget(refreshed), spec, second);
          if (removed !== null)
            expectEqual(await nuget(removed), before, 'NuGet after unconfigure');
        }),
    },
    {
      name: "the token is only in Artikey's credentials: once in the text, only its password to NuGet, gone after unconfigure",
      cases: 30,
      property: () =>
        fc.asyncProperty(caseOf(), firstAndSecond(), async ({ choice, file }, [first, second]) => {
          const original = renderNuGet(file);
          const spec = specOf(choice, join(HOME, 'NuGet.Config'));
          const done = nugetCycle(spec, original, file, first, second);
          if (done === null) return;
          const { configured, refreshed, removed } = done;
          if (occurrences(configured, first) !== 1)
            throw new Error(`the token is ${occurrences(configured, first)} times in the file`);
          if (occurrences(refreshed, first) !== 0 || occurrences(refreshed, second) !== 1)
            throw new Error(
              'after the refresh the old token stays or the new one is not there once',
            );
          if (removed !== null && occurrences(removed, first) + occurrences(removed, second) > 0)
            throw new Error('a token is left after unconfigure');
          const read = await nuget(configured);
          fc.pre(read.error === undefined);
          const inPassword = (read.credentials ?? []).filter(
            (c) => same(c.name, spec.name) && c.password === first,
          ).length;
          if (occurrences(JSON.stringify(read), first) !== 1 || inPassword !== 1)
            throw new Error(
              `NuGet reads the token ${occurrences(JSON.stringify(read), first)} times, ${inPassword} as the source's password`,
            );
        }),
    },
    {
      name: 'migrate: NuGet reads the new token for the adopted source, the old secret nowhere; unconfigure leaves the original minus that credential',
      cases: 30,
      property: () =>
        fc.asyncProperty(
          adoptableCase(),
          token(),
          async ({ file, name, secret, platformUrl }, fresh) => {
            const original = renderNuGet(file);
            const path = join(HOME, '.nuget', 'NuGet', 'NuGet.Config');
            const instance = { id: 'fuzz', platformUrl, registryHost: new URL(platformUrl).host };
            const found = findInText('nuget', path, original, [instance]);
            const steps = planMigration(
              found,
              { id: 'fuzz', platformUrl, username: 'alice' },
              [],
              ENVIRONMENT,
            );
            const step = steps.find(
              (s) =>
                s.action === 'replace' &&
                s.credential.location === `packageSourceCredentials/${name}/ClearTextPassword`,
            );
            if (!step || step.action !== 'replace')
              throw new Error(`migrate plans no replacement: ${JSON.stringify(steps)}`);
            if (step.cleanup !== null) throw new Error('a nuget adoption has no cleanup');
            const spec = step.target as NuGetSpec;
            const { text: migrated, restore } = renderWrite(spec, original, credentials(fresh), {});
            const before = await nuget(original);
            fc.pre(before.error === undefined);
            if (occurrences(migrated, secret) !== 0)
              throw new Error('the old secret is still in the file');
            expectNuGetReads(before, await nuget(migrated), spec, fresh);
            // Documented exception to byte-for-byte removal: the adopted ClearTextPassword was the
            // person's plain-text credential, which migrate replaces for good. NuGet refuses a
            // credentials element with a user name and no password (CredentialsItem), so
            // unconfigure takes the adopted source's credentials out whole and gives back
            // everything else (a <packageSourceCredentials> left empty goes with them).
            const left = removal(recordOf(spec, original, restore), migrated);
            const expected = renderNuGet(
              file,
              without(file.root, 'credentials', (parent) => parent.children.length === 0) ??
                file.root,
            );
            if (left !== expected)
              throw new Error(
                `unconfigure after migrate:\n${JSON.stringify(expected)}\n${JSON.stringify(left)}`,
              );
            const after = await nuget(left ?? '');
            if (after.error !== undefined)
              throw new Error(`NuGet cannot read the file after unconfigure: ${after.error}`);
          },
        ),
    },
    {
      name: 'on disk, with or without a byte-order mark: configure then unconfigure leave the same bytes',
      cases: 10,
      benchCases: 2_000,
      property: () =>
        fc.asyncProperty(caseOf(), token(), fc.boolean(), async ({ choice, file }, secret, bom) => {
          // diskCycle writes without --replace-references, which a %VAR% password of its source needs.
          fc.pre(!file.ownReference && !file.ownBeforeClear);
          const spec = specOf(choice, join(HOME, 'disk-NuGet.Config'));
          const bytes = fileBytes(renderNuGet(file), bom);
          const left = await diskCycle(spec, bytes, secret);
          if (left === null || !left.equals(bytes)) throw new Error('the file on disk changed');
        }),
    },
  ],
};
