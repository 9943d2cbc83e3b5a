/**
 * maven-settings.ts (kind maven) under fuzzing: settings.xml files as people and tools write them
 * (Maven's default namespace, comments, PIs, CDATA, entity and character references, DOCTYPEs,
 * every line break, other servers and mirrors whose ids and URLs look like Artikey's), checked
 * against Maven's own reader (SettingsXpp3Reader, strict as Maven reads first) in
 * test/fuzz/oracles/XmlSettingsOracle.java.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { planMigration } from '../../electron/core/migrate.js';
import { findInText } from '../../electron/core/scan/scan.js';
import type { MavenSpec } from '../../electron/core/targets/kinds/maven-spec.js';
import { definitionOf } from '../../electron/core/targets/target-kinds.js';
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
  USERNAME,
} from './support/target-cycle.js';
import {
  envReference,
  lineBreak,
  lineText,
  occurrences,
  token,
  word,
  matching,
} from './support/text-arbitraries.js';
import {
  attributes,
  comment,
  content,
  doctype,
  layout,
  misc,
  processingInstruction,
  xmlDeclaration,
  type Layout,
} from './support/xml-arbitraries.js';
import { readByMaven, type MavenAnswer, type MavenSettingsView } from './support/xml-oracles.js';
import { element, raw, renderPart, without, type XmlPart } from './support/xml-tree.js';
import { expectNamesPlace } from './support/xml-refusals.js';

const HOME = mkdtempSync(join(tmpdir(), 'artikey-fuzz-maven-'));
const ENVIRONMENT = { platform: 'linux' as const, env: {}, home: HOME };
const PLATFORMS = [
  'https://art.example.com/',
  'http://127.0.0.1:8081/',
  'https://art.example.com:8443/prefix/',
];
const REPO = 'maven-virtual';
/** Comments and PIs Maven's parser can read (see MarkupOptions). */
const MXPARSER = { mxparser: true };

interface SpecChoice {
  platformUrl: string;
  serverId: string | undefined;
  mirror: 'none' | 'mirror' | 'repo';
}

const specChoice = (): fc.Arbitrary<SpecChoice> =>
  fc.record({
    platformUrl: fc.constantFrom(...PLATFORMS),
    serverId: fc.option(
      fc.oneof(fc.constant('artifactory-mirror'), matching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,14}$/)),
      { nil: undefined },
    ),
    mirror: fc.constantFrom<SpecChoice['mirror']>('none', 'mirror', 'repo'),
  });

/** The spec as `artikey configure maven` builds it from these options. */
function specOf(choice: SpecChoice, path: string): MavenSpec {
  const options =
    choice.mirror === 'mirror'
      ? { mirror: 'libs-release' }
      : choice.mirror === 'repo'
        ? { repo: REPO }
        : {};
  return definitionOf('maven').fromRequest({
    options: { serverId: choice.serverId, ...options },
    platformUrl: choice.platformUrl,
    instanceName: null,
    artifactoryUrl: `${choice.platformUrl}artifactory/`,
    path,
    repo: () => REPO,
    environment: ENVIRONMENT,
  }) as MavenSpec;
}

/** `<name>value</name>`, the value spelt any way XML allows, with white space Maven trims around it. */
const leaf = (name: string, value: string): fc.Arbitrary<XmlPart> =>
  fc
    .tuple(content(value), fc.constantFrom('', '', '', ' ', '\n      ', '\t'))
    .map(([text, pad]) => raw(`<${name}>${pad}${text}${pad}</${name}>`));

const emptyStyle = (): fc.Arbitrary<'self' | 'pair' | 'broken'> =>
  fc.constantFrom('self', 'pair', 'broken');

/** A container of entries, with comments and PIs among them. */
const container = (name: string, entries: XmlPart[]): fc.Arbitrary<XmlPart> =>
  fc
    .tuple(
      fc.array(fc.oneof(comment(MXPARSER), processingInstruction(MXPARSER)), { maxLength: 2 }),
      fc.array(fc.nat(entries.length), { maxLength: 2 }),
      emptyStyle(),
    )
    .map(([notes, places, empty]) => {
      const children = [...entries];
      notes.forEach((note, i) =>
        children.splice(Math.min(places[i] ?? 0, children.length), 0, raw(note)),
      );
      return element(name, children, { empty });
    });

/** Ids that are not `id` but look like it, and ones that are `id` to Maven though spelt otherwise. */
const lookalikeId = (id: string): fc.Arbitrary<string> =>
  fc.constantFrom(
    `${id}-x`,
    `x${id}`,
    `${id}.`,
    id.toUpperCase() === id ? `${id}a` : id.toUpperCase(),
    `${id}\u00a0`,
    `\u00a0${id}`,
    `${id}\u2028`,
    `${id} x`,
    `${id}${id}`,
  );

const otherId = (id: string): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 2, arbitrary: word().filter((w) => w !== id) },
    { weight: 2, arbitrary: lookalikeId(id) },
  );

const secretText = (): fc.Arbitrary<string> =>
  fc.oneof(lineText({ maxLength: 4 }), envReference(), fc.constant('{COQLCE6DU6GtcS5P=}'), token());

const httpHeaders = (): fc.Arbitrary<XmlPart> =>
  fc
    .tuple(word(), secretText(), fc.boolean())
    .chain(([name, value, prefixed]) =>
      fc
        .tuple(leaf('name', name), leaf('value', value))
        .map(([n, v]) =>
          element('configuration', [
            element('httpHeaders', [element('property', [n, v])]),
            ...(prefixed
              ? [raw('<x:note xmlns:x="urn:example:notes" x:kept=\'yes\'>team &amp; ops</x:note>')]
              : []),
          ]),
        ),
    );

/** Another person's server: any of Maven's fields, in any order. */
const otherServer = (id: string): fc.Arbitrary<XmlPart> =>
  fc
    .tuple(
      otherId(id).chain((other) => leaf('id', other)),
      fc.option(lineText({ maxLength: 3 }).chain((u) => leaf('username', u))),
      fc.option(secretText().chain((p) => leaf('password', p))),
      fc.option(leaf('filePermissions', '664')),
      fc.option(httpHeaders()),
      fc.option(comment(MXPARSER).map((c) => raw(c))),
      fc.boolean(),
    )
    .chain(([idPart, ...rest]) => {
      const inline = rest.pop() as boolean;
      const fields = [
        idPart,
        ...(rest as (XmlPart | null)[]).filter((f): f is XmlPart => f !== null),
      ];
      return fc
        .shuffledSubarray(fields, { minLength: fields.length, maxLength: fields.length })
        .map((children) => element('server', children, { inline }));
    });

/** The person's own server of Artikey's id, its password read from the environment. */
const ownServer = (id: string): fc.Arbitrary<XmlPart> =>
  fc
    .tuple(
      leaf('id', id),
      fc.option(fc.oneof(envReference(), word()).chain((u) => leaf('username', u))),
      envReference().chain((p) =>
        fc.oneof(leaf('password', `\${env.${p.slice(2, -1)}}`), leaf('password', p)),
      ),
    )
    .map(([i, u, p]) => element('server', u === null ? [i, p] : [i, u, p], { tag: 'own' }));

const mirror = (id: string | fc.Arbitrary<string>, host: string): fc.Arbitrary<XmlPart> =>
  fc
    .tuple(
      (typeof id === 'string' ? fc.constant(id) : id).chain((i) => leaf('id', i)),
      fc.option(leaf('name', 'Team mirror')),
      fc
        .constantFrom(
          `https://${host}/artifactory/libs/`,
          `https://sub.${host}/m2/`,
          'https://repo.maven.apache.org/maven2/',
        )
        .chain((u) => leaf('url', u)),
      fc.option(fc.constantFrom('*', 'central', '*,!internal').chain((m) => leaf('mirrorOf', m))),
    )
    .map(([i, n, u, m]) => element('mirror', [i, ...(n ? [n] : []), u, ...(m ? [m] : [])]));

const profile = (id: string, host: string, index: number): fc.Arbitrary<XmlPart> =>
  fc
    .tuple(
      // Distinct profile ids: Maven warns about duplicates, which the mvn property must not see.
      leaf('id', index === 0 ? 'team' : `team${index}`),
      fc.oneof(fc.constant(id), word()).chain((r) => leaf('id', r)),
      leaf('url', `https://${host}/artifactory/libs-release/`),
      leaf('team.home', '${env.HOME}/&amp;'),
    )
    .map(([pid, rid, url, property]) =>
      element('profile', [
        pid,
        element('properties', [property]),
        element('repositories', [element('repository', [rid, url])]),
      ]),
    );

export interface MavenFile {
  prolog: string;
  root: XmlPart & { kind: 'element' };
  trailing: string;
  layout: Layout;
  /** The person's own server of Artikey's id (its password a `${…}` reference) is there. */
  ownServer: boolean;
}

export const renderMaven = (file: MavenFile, root: XmlPart = file.root): string =>
  `${file.prolog}${renderPart(root, 0, file.layout)}${file.trailing}`;

/**
 * A settings.xml for a server `id` (and a mirror of it when `withMirror`): Maven's containers in
 * any order, other servers, mirrors, proxies and profiles, and comments and PIs everywhere.
 */
export const mavenFile = (
  id: string,
  options: {
    own: boolean;
    layout?: fc.Arbitrary<Layout>;
    /** Put into <servers> and <mirrors> at a random place, those containers made when missing. */
    extraServer?: XmlPart;
    extraMirror?: XmlPart;
  } = { own: true },
): fc.Arbitrary<MavenFile> => {
  const host = 'art.example.com';
  const servers = fc
    .tuple(
      fc.array(otherServer(id), { maxLength: 3 }),
      options.own ? fc.option(ownServer(id), { freq: 3 }) : fc.constant(null),
      fc.nat(),
    )
    .chain(([others, own, at]) => {
      const entries = [...others];
      if (own) entries.splice(at % (entries.length + 1), 0, own);
      if (options.extraServer) entries.splice(at % (entries.length + 1), 0, options.extraServer);
      return fc.tuple(container('servers', entries), fc.constant(own !== null));
    });
  const mirrors = fc
    .tuple(
      fc.array(mirror(otherId(id), host), { maxLength: 2 }),
      options.own ? fc.option(mirror(id, host), { freq: 3 }) : fc.constant(null),
    )
    .chain(([others, own]) =>
      container('mirrors', [
        ...others,
        ...(own ? [own] : []),
        ...(options.extraMirror ? [options.extraMirror] : []),
      ]),
    );
  const sometimes = <T>(arbitrary: fc.Arbitrary<T>, always: boolean): fc.Arbitrary<T | null> =>
    always ? arbitrary : fc.option(arbitrary);
  const children = fc.tuple(
    fc.option(leaf('localRepository', '${user.home}/.m2/repo sitory')),
    fc.option(leaf('offline', 'false')),
    fc.option(leaf('interactiveMode', 'true')),
    fc.option(
      fc.constant(element('pluginGroups', [raw('<pluginGroup>org.example</pluginGroup>')])),
    ),
    sometimes(servers, options.extraServer !== undefined),
    sometimes(mirrors, options.extraMirror !== undefined),
    fc.option(
      fc
        .tuple(leaf('id', 'corp'), leaf('host', `proxy.${host}`), leaf('port', '3128'))
        .map((fields) => element('proxies', [element('proxy', fields)])),
    ),
    fc.option(
      fc.tuple(profile(id, host, 0), fc.option(profile(id, host, 1))).map((p) =>
        element(
          'profiles',
          p.filter((x): x is XmlPart => x !== null),
        ),
      ),
    ),
    fc.option(fc.constant(element('activeProfiles', [raw('<activeProfile>team</activeProfile>')]))),
    misc(MXPARSER),
  );
  return fc
    .tuple(
      children,
      attributes([
        ['xmlns', 'http://maven.apache.org/SETTINGS/1.2.0'],
        ['xmlns:xsi', 'http://www.w3.org/2001/XMLSchema-instance'],
        [
          'xsi:schemaLocation',
          'http://maven.apache.org/SETTINGS/1.2.0 https://maven.apache.org/xsd/settings-1.2.0.xsd',
        ],
      ]).chain((all) =>
        fc.constantFrom(all, '', ' xmlns="http://maven.apache.org/SETTINGS/1.0.0"'),
      ),
      fc.option(xmlDeclaration(), { freq: 2 }),
      fc.option(doctype('settings'), { freq: 6 }),
      misc(MXPARSER),
      fc.constantFrom('', '\n', '\r\n', '\n\n', '\n<!-- end -->\n'),
      options.layout ?? layout(),
      emptyStyle(),
    )
    .chain(
      ([
        [
          local,
          offline,
          interactive,
          groups,
          serversOwn,
          mirrorsPart,
          proxies,
          profiles,
          active,
          notes,
        ],
        rootAttributes,
        declaration,
        type,
        prologNotes,
        trailing,
        fileLayout,
        empty,
      ]) => {
        const parts = [
          local,
          offline,
          interactive,
          groups,
          serversOwn?.[0] ?? null,
          mirrorsPart,
          proxies,
          profiles,
          active,
        ].filter((p): p is XmlPart => p !== null);
        return fc
          .shuffledSubarray(parts, { minLength: parts.length, maxLength: parts.length })
          .map((ordered) => {
            const body = [...ordered, ...notes.map((n) => raw(n))];
            const eol = fileLayout.eol;
            const prolog = [declaration, ...prologNotes, type].filter(
              (p): p is string => p !== null,
            );
            return {
              prolog: prolog.map((p) => `${p}${eol()}`).join(''),
              root: element('settings', body, { attributes: rootAttributes, empty }) as XmlPart & {
                kind: 'element';
              },
              trailing,
              layout: fileLayout,
              ownServer: serversOwn?.[1] ?? false,
            };
          });
      },
    );
};

const pool = new OraclePool();
const maven = (text: string | Buffer): Promise<MavenAnswer> => readByMaven(pool, text);

/** Maven's servers and mirrors other than the one of `id`, and everything else it reads, as JSON. */
function othersOf(settings: MavenSettingsView, id: string): string {
  return JSON.stringify({
    ...settings,
    servers: settings.servers.filter((s) => s.id !== id),
    mirrors: settings.mirrors.filter((m) => m.id !== id),
  });
}

const caseOf = (): fc.Arbitrary<{ choice: SpecChoice; file: MavenFile }> =>
  specChoice().chain((choice) =>
    mavenFile(specOf(choice, join(HOME, 'settings.xml')).serverId).map((file) => ({
      choice,
      file,
    })),
  );

const firstAndSecond = (): fc.Arbitrary<[string, string]> =>
  fc.tuple(token(), token()).filter(([a, b]) => a !== b && !a.includes(b) && !b.includes(a));

function expectEqual(actual: unknown, expected: unknown, what: string): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}\n  expected: ${e}\n  actual:   ${a}`);
}

/** Maven reads exactly Artikey's server (and mirror), and every other entry as it read them before. */
function expectMavenReads(
  before: MavenSettingsView,
  after: MavenAnswer,
  spec: MavenSpec,
  password: string,
): void {
  if (!after.strict || after.settings === null)
    throw new Error(`Maven no longer reads the file strictly: ${after.strictError ?? after.error}`);
  const ours = after.settings.servers.filter((s) => s.id === spec.serverId);
  expectEqual(
    ours.map((s) => [s.username, s.password]),
    [[USERNAME, password]],
    `Maven's servers of id ${spec.serverId}`,
  );
  if (spec.mirror) {
    const mirrors = after.settings.mirrors.filter((m) => m.id === spec.serverId);
    expectEqual(
      mirrors.map((m) => [m.url, m.mirrorOf]),
      [[spec.mirror.url, spec.mirror.mirrorOf]],
      `Maven's mirrors of id ${spec.serverId}`,
    );
  }
  expectEqual(
    othersOf(after.settings, spec.serverId),
    othersOf(before, spec.serverId),
    'the other entries',
  );
}

const refusedFile = (): fc.Arbitrary<{ choice: SpecChoice; text: string; breakage: string }> =>
  caseOf().chain(({ choice, file }) => {
    const text = renderMaven(file);
    const openEnd = file.prolog.length + renderPart(file.root, 0, file.layout).indexOf('>') + 1;
    const rootEnd = file.prolog.length + renderPart(file.root, 0, file.layout).length;
    const at = (position: number, insert: string): string =>
      text.slice(0, position) + insert + text.slice(position);
    return fc
      .constantFrom(
        ['an undefined entity', at(openEnd, '&bogus;')],
        ['a bare ampersand', at(openEnd, 'a & b')],
        ['a duplicate attribute', at(openEnd, '<a b="1" b=\'2\'/>')],
        ['an unquoted attribute', at(openEnd, '<a b=1/>')],
        ["a '<' in an attribute", at(openEnd, '<a b="<"/>')],
        ['a mismatched end tag', at(openEnd, '<servers></server>')],
        ['an unclosed element', at(openEnd, '<servers>')],
        ['a second root', `${text}<settings/>`],
        ['text after the root', at(rootEnd, 'x')],
        ['an unterminated comment', `${text}<!-- open`],
        ['an unterminated CDATA section', at(openEnd, '<![CDATA[open')],
        [
          'an entity declaration',
          `<!DOCTYPE settings [<!ENTITY e "x">]>\n${text.slice(file.prolog.length)}`,
        ],
        [
          'another root element',
          text
            .replace(/<settings\b/, '<configuration')
            .replace(/<\/settings>|<settings\/>/, (m) => m.replace('settings', 'configuration')),
        ],
        ['no root at all', file.prolog],
      )
      .map(([breakage, broken]) => ({ choice, text: broken!, breakage: breakage! }));
  });

/** A plain-text credential of the instance in a server with a mirror on it: what migrate adopts. */
const adoptableCase = (): fc.Arbitrary<{
  file: MavenFile;
  id: string;
  secret: string;
  platformUrl: string;
}> =>
  fc
    .tuple(
      fc.constantFrom(...PLATFORMS),
      fc.oneof(fc.constant('artifactory'), word()),
      matching(/^[A-Za-z0-9]{68,80}$/).map((k) => `AKCp8${k}`),
      lineBreak(),
      fc.constantFrom('  ', '\t'),
    )
    .chain(([platformUrl, id, secret, eol, unit]) =>
      fc
        .tuple(
          fc.tuple(leaf('id', id), leaf('username', 'alice'), leaf('password', secret)),
          // The mirror names the instance's URL for the server's id: that is how the scan knows it.
          fc.tuple(
            leaf('id', id),
            leaf('url', `${platformUrl}artifactory/libs/`),
            leaf('mirrorOf', '*'),
          ),
        )
        .chain(([serverFields, mirrorFields]) =>
          mavenFile(id, {
            own: false,
            // One kind of line break: the file is rendered twice (with and without the server).
            layout: fc.constant({ unit, eol: () => eol }),
            extraServer: element('server', serverFields, { tag: 'adopted' }),
            extraMirror: element('mirror', mirrorFields),
          }),
        )
        .map((file) => ({ file, id, secret, platformUrl })),
    );

/** A project of nothing but a `pom` packaging: `mvn validate` on it reads settings and runs no plugin, offline. */
const EMPTY_PROJECT =
  '<project><modelVersion>4.0.0</modelVersion><groupId>fuzz</groupId><artifactId>settings</artifactId><version>1</version><packaging>pom</packaging></project>';

/**
 * What the real `mvn` says about the settings file when it builds the effective settings: its
 * warnings, and its errors (a mirror without `mirrorOf` stops Maven). Any other failure throws.
 */
function mavenSettingsProblems(settings: string): string[] {
  const project = join(HOME, 'project');
  rmSync(project, { recursive: true, force: true });
  mkdirSync(project, { recursive: true });
  writeFileSync(join(project, 'pom.xml'), EMPTY_PROJECT);
  const file = join(project, 'settings.xml');
  writeFileSync(file, settings);
  const run = spawnSync(
    'mvn',
    ['-o', '-B', '-s', file, '-f', join(project, 'pom.xml'), 'validate'],
    {
      encoding: 'utf8',
      env: { ...process.env, MAVEN_OPTS: '-Xshare:auto' },
      timeout: 120_000,
    },
  );
  // Maven colours its output even in batch mode.
  const lines = run.stdout.replace(/\x1b\[[0-9;]*m/g, '').split(/\r?\n/);
  // "Some problems were encountered…" (warnings) or "2 problems were encountered…" (an error among them).
  const start = lines.findIndex((line) =>
    /problems? (was|were) encountered while building the effective settings/.test(line),
  );
  const problems: string[] = [];
  // The block ends at a bare "[WARNING]" or an empty line; positions move with Artikey's insertion.
  for (let i = start + 1; start >= 0 && /^\[(WARNING|ERROR)\] \S/.test(lines[i] ?? ''); i++)
    problems.push(lines[i]!.replace(/, line \d+, column \d+|@\d+:\d+/g, ''));
  if (run.error || (run.status !== 0 && !problems.some((line) => line.startsWith('[ERROR]'))))
    throw new Error(
      `mvn validate failed (${run.error?.message ?? run.status}): ${run.stdout.slice(-2000)}`,
    );
  return problems;
}

export const suite: FuzzSuite = {
  editor: 'maven-settings.ts (maven)',
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
          const original = renderMaven(file);
          const spec = specOf(choice, join(HOME, 'settings.xml'));
          const { configured, refreshed, removed } = cycle(spec, original, first, second, {
            replaceReferences: file.ownServer,
          });
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
            const spec = specOf(choice, join(HOME, 'refused-settings.xml'));
            const bytes = fileBytes(text, bom);
            const message = await expectRefusedUntouched(spec, bytes, secret);
            expectNamesPlace(message, text);
          },
        ),
    },
    {
      name: "Maven reads Artikey's server (and mirror) with the token, and every other entry as before",
      cases: 30,
      property: () =>
        fc.asyncProperty(caseOf(), firstAndSecond(), async ({ choice, file }, [first, second]) => {
          const original = renderMaven(file);
          const before = await maven(original);
          fc.pre(before.strict && before.settings !== null);
          const spec = specOf(choice, join(HOME, 'settings.xml'));
          const { configured, refreshed } = cycle(spec, original, first, second, {
            replaceReferences: file.ownServer,
          });
          expectMavenReads(before.settings!, await maven(configured), spec, first);
          expectMavenReads(before.settings!, await maven(refreshed), spec, second);
        }),
    },
    {
      name: 'the token is only in Artikey’s server: once in the text, only its password to Maven, gone after unconfigure',
      cases: 30,
      property: () =>
        fc.asyncProperty(caseOf(), firstAndSecond(), async ({ choice, file }, [first, second]) => {
          const original = renderMaven(file);
          const spec = specOf(choice, join(HOME, 'settings.xml'));
          const { configured, refreshed, removed } = cycle(spec, original, first, second, {
            replaceReferences: file.ownServer,
          });
          if (occurrences(configured, first) !== 1)
            throw new Error(`the token is ${occurrences(configured, first)} times in the file`);
          if (occurrences(refreshed, first) !== 0 || occurrences(refreshed, second) !== 1)
            throw new Error(
              'after the refresh the old token stays or the new one is not there once',
            );
          if (removed !== null && occurrences(removed, first) + occurrences(removed, second) > 0)
            throw new Error('a token is left after unconfigure');
          const read = await maven(configured);
          fc.pre(read.settings !== null);
          const whole = JSON.stringify(read.settings);
          const inPassword = read.settings!.servers.filter(
            (s) => s.id === spec.serverId && s.password === first,
          ).length;
          if (occurrences(whole, first) !== 1 || inPassword !== 1)
            throw new Error(
              `Maven reads the token ${occurrences(whole, first)} times, ${inPassword} in the server's password`,
            );
        }),
    },
    {
      name: 'migrate: Maven reads the new token at the adopted server, the old secret nowhere; unconfigure leaves the original minus that server',
      cases: 30,
      property: () =>
        fc.asyncProperty(
          adoptableCase(),
          token(),
          async ({ file, id, secret, platformUrl }, fresh) => {
            const original = renderMaven(file);
            const path = join(HOME, '.m2', 'settings.xml');
            const instance = { id: 'fuzz', platformUrl, registryHost: new URL(platformUrl).host };
            const found = findInText('maven', path, original, [instance]);
            const steps = planMigration(
              found,
              { id: 'fuzz', platformUrl, username: 'alice' },
              [],
              ENVIRONMENT,
            );
            const step = steps.find(
              (s) =>
                s.action === 'replace' &&
                s.credential.location === `servers/server[id=${id}]/password`,
            );
            if (!step || step.action !== 'replace')
              throw new Error(`migrate plans no replacement: ${JSON.stringify(steps)}`);
            if (step.cleanup !== null) throw new Error('a maven adoption has no cleanup');
            const spec = step.target as MavenSpec;
            const { text: migrated, restore } = renderWrite(spec, original, credentials(fresh), {});
            const before = await maven(original);
            const after = await maven(migrated);
            fc.pre(before.strict);
            if (occurrences(migrated, secret) !== 0)
              throw new Error('the old secret is still in the file');
            expectMavenReads(before.settings!, after, spec, fresh);
            // Documented exception to byte-for-byte removal: the adopted server was the person's
            // plain-text credential, which migrate replaces for good; unconfigure takes Artikey's
            // server out and gives back everything else (a <servers> left empty goes with it).
            const left = removal(recordOf(spec, original, restore), migrated);
            const expected = renderMaven(
              file,
              without(file.root, 'adopted', (parent) => parent.children.length === 0) ?? file.root,
            );
            if (left !== expected)
              throw new Error(
                `unconfigure after migrate:\n${JSON.stringify(expected)}\n${JSON.stringify(left)}`,
              );
          },
        ),
    },
    {
      name: 'the real mvn finds no other problem in the configured file than in the original',
      cases: 1,
      benchCases: 20,
      property: () =>
        fc.asyncProperty(caseOf(), token(), ({ choice, file }, secret) => {
          const original = renderMaven(file);
          const spec = specOf(choice, join(HOME, 'settings.xml'));
          const { configured } = cycle(spec, original, secret, secret, {
            replaceReferences: file.ownServer,
          });
          // Artikey may mend a problem (a person's mirror of Artikey's id gains its mirrorOf), never add one.
          const before = mavenSettingsProblems(original);
          const added = mavenSettingsProblems(configured).filter((line) => !before.includes(line));
          expectEqual(added, [], 'problems mvn finds in the configured file only');
          return Promise.resolve();
        }),
    },
    {
      name: 'on disk, with or without a byte-order mark: configure then unconfigure leave the same bytes',
      cases: 10,
      benchCases: 2_000,
      property: () =>
        fc.asyncProperty(caseOf(), token(), fc.boolean(), async ({ choice, file }, secret, bom) => {
          const spec = specOf(choice, join(HOME, 'disk-settings.xml'));
          const bytes = fileBytes(renderMaven(file), bom);
          // diskCycle writes without --replace-references, which a ${…} password of its id needs.
          fc.pre(!file.ownServer);
          const left = await diskCycle(spec, bytes, secret);
          if (left === null || !left.equals(bytes)) throw new Error('the file on disk changed');
        }),
    },
  ],
};
