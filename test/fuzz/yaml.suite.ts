/**
 * The YAML editor (`yaml-file.ts`) and its kinds: yarn (`.yarnrc.yml`: `npmRegistries[key]`
 * npmAuthToken/npmAlwaysAuth, `npmRegistryServer` at the top or per scope) and helm
 * (`repositories.yaml`: the entry of a name with url, username, password).
 *
 * Oracles: Helm's own reading (test/fuzz/oracles/yaml_oracle.go: gopkg.in/yaml.v2, then JSON
 * into helm's repo.File, as sigs.k8s.io/yaml does); Yarn's (test/fuzz/oracles/yaml_oracle.py:
 * PyYAML's BaseLoader, the reader that matches the js-yaml FAILSAFE schema behind
 * @yarnpkg/parsers' parseSyml: every scalar a string, no merge, a later duplicate wins), and
 * in a bounded property the real `yarn config get` on the file.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import type { HelmSpec } from '../../electron/core/targets/kinds/helm-spec.js';
import type { YarnSpec } from '../../electron/core/targets/kinds/yarn-spec.js';
import { planMigration } from '../../electron/core/migrate.js';
import { findInHelmRepositories } from '../../electron/core/scan/helm.js';
import { findInYarnrc } from '../../electron/core/scan/yarn.js';
import { cleanerOf } from '../../electron/core/targets/target-kinds.js';
import type { TargetSpec } from '../../electron/core/targets/target-record.js';
import { removeTarget, renderWrite, writeTarget } from '../../electron/core/targets/targets.js';
import { ToolFileError } from '../../electron/core/targets/tool-file.js';
import type { FuzzSuite } from './support/fuzz-run.js';
import { goProgram, OracleProcess, OraclePool } from './support/oracle-process.js';
import {
  USERNAME,
  credentials,
  cycle,
  expectRefusedUntouched,
  invalidRefusal,
  recordOf,
  removal,
} from './support/target-cycle.js';
import { lineBreaks, lookalikeHost, occurrences, token, word } from './support/text-arbitraries.js';
import {
  blockMap,
  entry,
  joinLines,
  layout,
  map,
  otherValue,
  rarely,
  render,
  sharingSnippet,
  type Entry,
  type Layout,
  type Node,
  type Scalar,
  type YMap,
} from './support/yaml-arbitraries.js';

interface Instance {
  host: string;
  port: number | null;
  prefix: string;
  scheme: 'https' | 'http';
}

const instance = (): fc.Arbitrary<Instance> =>
  fc.record({
    host: fc.constantFrom('art.example.com', 'acme.jfrog.io', '127.0.0.1'),
    port: fc.constantFrom(null, 8081),
    prefix: fc.constantFrom('artifactory/', 'tools/artifactory/'),
    scheme: fc.constantFrom<'https' | 'http'>('https', 'https', 'http'),
  });

const hostPort = (i: Instance): string => `${i.host}${i.port === null ? '' : `:${i.port}`}`;
const platformOf = (i: Instance): string => `${i.scheme}://${hostPort(i)}/`;

/** A file as generated: its text, and whether the generator put something there Artikey must refuse to write over. */
interface Generated<S> {
  spec: S;
  text: string;
  /** A rival entry, a `${VAR}`, a same-named repository elsewhere, a non-mapping on Artikey's path. */
  hazard: boolean;
}

const str = (text: string, style: Scalar['style'] = 'plain'): Scalar => ({
  t: 'scalar',
  text,
  style,
  tag: false,
});

const anyStyle = (text: string): fc.Arbitrary<Scalar> =>
  fc
    .record({
      style: fc.constantFrom<Scalar['style']>('plain', 'single', 'double'),
      tag: fc.boolean(),
    })
    .map(({ style, tag }) => ({ t: 'scalar', text, style, tag }));

/** Entries of other keys (never one of `reserved`), anchors on some. */
const others = (reserved: string[], maxLength = 3): fc.Arbitrary<Entry[]> =>
  fc.uniqueArray(
    entry(
      word().filter((w) => !reserved.includes(w)),
      otherValue(),
      true,
    ),
    { maxLength, selector: (e) => e.key },
  );

/** Renders the root's entries in order, with a block of shared anchors/aliases/merge among them. */
function renderFile(
  root: YMap,
  look: Layout,
  snippet: string[] | null,
  at: number,
  eol: () => string,
  finalBreak: boolean,
): string {
  if (root.flow || snippet === null) return joinLines(render(root, look), eol, finalBreak);
  const parts = root.entries.map((e) => blockMap({ ...root, entries: [e] }, 0, look));
  parts.splice(at % (parts.length + 1), 0, snippet);
  const doc = render({ ...root, entries: [] }, look).filter((l) => l !== '{}');
  const start = doc.indexOf(look.documentStart ?? '\0');
  const body = parts.flat();
  const lines =
    start >= 0
      ? [...doc.slice(0, start + 1), ...body, ...doc.slice(start + 1)]
      : [...look.header, ...body, ...doc.slice(look.header.length)];
  return joinLines(lines, eol, finalBreak);
}

const fileFrame = fc.record({
  look: layout(),
  eol: lineBreaks().map((next) => () => {
    // A lone CR is no line break in YAML's sense of a file people edit; LF and CRLF are.
    const eol = next();
    return eol === '\r' ? '\n' : eol;
  }),
  finalBreak: fc.boolean(),
  snippet: rarely(sharingSnippet(2), 4),
  at: fc.nat(),
  flowRoot: fc.oneof(
    { weight: 12, arbitrary: fc.constant(false) },
    { weight: 1, arbitrary: fc.constant(true) },
  ),
});

// ---------------------------------------------------------------- yarn

const yarnSpec = (i: Instance): fc.Arbitrary<YarnSpec> =>
  fc
    .record({
      repo: fc.constantFrom('npm-virtual', 'npm', 'Npm.Remote-1'),
      scope: fc.option(fc.constantFrom('acme', 'my-org', 'a.b', 'true', 'null', '1000'), {
        nil: null,
      }),
      setRegistry: fc.boolean(),
    })
    .map(({ repo, scope, setRegistry }) => {
      const registryUrl = `${platformOf(i)}${i.prefix}api/npm/${repo}/`;
      return {
        kind: 'yarn',
        path: '/home/fuzz/.yarnrc.yml',
        registryUrl,
        registryKey: registryUrl.replace(/^[a-z]+:/, ''),
        scope,
        setRegistry: setRegistry || scope !== null,
      };
    });

const YARN_TOP = ['npmRegistries', 'npmScopes', 'npmRegistryServer'];

/** What a yarnrc may hold at Artikey's setting before the first write. */
const priorValue = (
  secret: boolean,
  withSecrets: boolean,
): fc.Arbitrary<{ node: Node | null; hazard: boolean } | null> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constant(null) },
    {
      weight: secret && !withSecrets ? 0 : 2,
      arbitrary: fc
        .constantFrom('npm_oldSecretToken123', 'true', 'false', 'https://registry.yarnpkg.com/')
        .chain((t) => anyStyle(t))
        .map((node) => ({ node, hazard: false })),
    },
    { weight: 1, arbitrary: fc.constant({ node: null, hazard: false }) },
    { weight: 1, arbitrary: anyStyle('').map((node) => ({ node, hazard: false })) },
    {
      weight: 1,
      arbitrary: rarely(anyStyle('${NPM_TOKEN}'), 4).map((node) => ({
        node,
        hazard: node !== null,
      })),
    },
  );

/** The registry entries: Artikey's (or not yet), look-alike hosts, rivals Yarn would read instead. */
function yarnRegistries(
  i: Instance,
  spec: YarnSpec,
  withSecrets: boolean,
): fc.Arbitrary<{ entries: Entry[]; hazard: boolean; empty: boolean }> {
  const path = spec.registryKey.slice(`//${hostPort(i)}`.length);
  const lookalikes = fc
    .tuple(
      lookalikeHost(i.host, i.port),
      fc.constantFrom(path, '/', `${path}x/`, path.replace(/\/$/, '/other/')),
    )
    .map(([h, p]) => `//${h}${p}`);
  const setting = (name: string, secret: boolean): fc.Arbitrary<Entry | null> =>
    priorValue(secret, withSecrets).chain((prior) =>
      prior === null
        ? fc.constant(null)
        : entry(fc.constant(name), fc.constant(prior.node)).map((e) => ({
            ...e,
            hazard: prior.hazard,
          })),
    );
  const ours = fc
    .tuple(
      setting('npmAuthToken', true),
      setting('npmAlwaysAuth', false),
      others(['npmAuthToken', 'npmAlwaysAuth', 'npmAuthIdent'], 2),
      fc.constantFrom('map', 'map', 'map', 'map', 'map', 'map', 'null', 'scalar'),
    )
    .chain(([token, always, rest, shape]) => {
      const fields = [token, always].filter((e): e is Entry => e !== null);
      const hazard =
        fields.some((e) => (e as Entry & { hazard?: boolean }).hazard === true) ||
        shape === 'scalar';
      const value: fc.Arbitrary<Node | null> =
        shape === 'null'
          ? fc.constant(null)
          : shape === 'scalar'
            ? fc.constant(str('x'))
            : map(
                fc
                  .shuffledSubarray([...fields, ...rest], {
                    minLength: fields.length + rest.length,
                  })
                  .map((e) => e),
              );
      return entry(fc.constant(spec.registryKey), value).map((e) => ({
        e,
        hazard,
        empty: shape === 'null',
      }));
    });
  const other = fc
    .tuple(lookalikes, others([], 3))
    .chain(([key, fields]) =>
      entry(fc.constant(key), fc.constant<Node>({ t: 'map', entries: fields, flow: false })),
    );
  const rival = fc
    .constantFrom(
      spec.registryKey.replace(/\/$/, ''),
      spec.registryUrl,
      spec.registryUrl.replace(/\/$/, ''),
      `${spec.registryKey}/`,
    )
    .filter((k) => k !== spec.registryKey)
    .chain((key) => entry(fc.constant(key), fc.constant<Node | null>(null)));
  return fc
    .tuple(
      fc.option(ours, { nil: null }),
      fc.uniqueArray(other, { maxLength: 3, selector: (e) => e.key }),
      rarely(rival, 8),
      fc.nat(),
    )
    .map(([o, list, r, at]) => {
      const entries = list.filter((e) => e.key !== spec.registryKey && e.key !== r?.key);
      if (o) entries.splice(at % (entries.length + 1), 0, o.e);
      // A rival only conflicts with Artikey's key when its slot is Artikey's; a doubled slash is another key.
      const rivalHazard = r !== null && !r.key.endsWith('//');
      if (r) entries.push(r);
      return { entries, hazard: (o?.hazard ?? false) || rivalHazard, empty: o?.empty ?? false };
    });
}

const yarnFile = (
  i: Instance,
  spec: YarnSpec,
  withSecrets: boolean,
): fc.Arbitrary<Generated<YarnSpec>> =>
  fc
    .tuple(
      yarnRegistries(i, spec, withSecrets),
      fc.option(anyStyle('npmRegistries'), { nil: null }),
      fc.option(priorValue(false, false), { nil: null }),
      fc.uniqueArray(
        entry(
          // `TRUE`, `~` and `1e3` read to YAML 1.2 as true, null and 1000, to Yarn as their text.
          fc.constantFrom('acme', 'other', 'my-org', 'a.b', 'zeta', 'TRUE', '~', '1e3'),
          fc.option(
            map(
              fc.uniqueArray(
                entry(
                  fc.constantFrom('npmRegistryServer', 'npmAlwaysAuth'),
                  fc.constant<Node>(str('https://other.example/')),
                ),
                { maxLength: 2, selector: (e) => e.key },
              ),
            ),
            { nil: null },
          ),
        ),
        { maxLength: 3, selector: (e) => e.key },
      ),
      others(YARN_TOP),
      fc.boolean(),
      fileFrame,
    )
    .map(([registries, registriesKey, server, scopes, rest, withRegistries, frame]) => {
      const top: Entry[] = [...rest];
      if (withRegistries || registries.entries.length > 0)
        top.push({
          key: 'npmRegistries',
          keyStyle:
            registriesKey?.style === 'single'
              ? 'single'
              : registriesKey?.style === 'double'
                ? 'double'
                : 'plain',
          value: { t: 'map', entries: registries.entries, flow: false },
          comments: [],
          blankBefore: false,
          trailing: null,
          anchor: null,
        });
      if (server?.node)
        top.push({
          key: 'npmRegistryServer',
          keyStyle: 'plain',
          value: server.node,
          comments: [],
          blankBefore: false,
          trailing: null,
          anchor: null,
        });
      if (scopes.length > 0)
        top.push({
          key: 'npmScopes',
          keyStyle: 'plain',
          value: { t: 'map', entries: scopes, flow: false },
          comments: [],
          blankBefore: true,
          trailing: null,
          anchor: null,
        });
      // An entry without a value reads as '' in a flow-style file: no mapping to write into,
      // for the registry's entry and for the scope's alike.
      const emptyScope = scopes.some((e) => e.key === spec.scope && e.value === null);
      const hazard =
        registries.hazard ||
        (server?.hazard ?? false) ||
        (frame.flowRoot && (registries.empty || emptyScope));
      const root: YMap = { t: 'map', entries: top, flow: frame.flowRoot };
      return {
        spec,
        text: renderFile(root, frame.look, frame.snippet, frame.at, frame.eol, frame.finalBreak),
        hazard,
      };
    });

// ---------------------------------------------------------------- helm

const helmSpec = (i: Instance): fc.Arbitrary<HelmSpec> =>
  fc
    .record({
      repo: fc.constantFrom('helm', 'helm-virtual', 'Charts.1'),
      name: fc.option(fc.constantFrom('stable', 'my charts', 'é-charts', '123', 'true'), {
        nil: null,
      }),
    })
    .map(({ repo, name }) => ({
      kind: 'helm',
      path: '/home/fuzz/.config/helm/repositories.yaml',
      name: name ?? repo,
      url: `${platformOf(i)}${i.prefix}api/helm/${repo}`,
    }));

const HELM_FIELDS = [
  'name',
  'url',
  'username',
  'password',
  'caFile',
  'certFile',
  'keyFile',
  'insecure_skip_tls_verify',
  'pass_credentials_all',
];

/** One repository entry: the fields helm writes, any style, in any order, with unknown ones. */
const helmEntry = (
  name: fc.Arbitrary<string>,
  url: fc.Arbitrary<string>,
  password: fc.Arbitrary<string | null>,
): fc.Arbitrary<Node> =>
  fc
    .tuple(
      name.chain(anyStyle),
      url.chain(anyStyle),
      fc.option(fc.constantFrom('ada', 'ci-bot', '').chain(anyStyle), { nil: null }),
      password.chain((p) => (p === null ? fc.constant(null) : anyStyle(p))),
      fc.constantFrom('', '/etc/ssl/ca.pem'),
      fc.constantFrom('true', 'false', 'yes', 'no'),
      others(HELM_FIELDS, 1),
      fc.boolean(),
    )
    .chain(([n, u, user, pw, ca, insecure, extra, flow]) => {
      const fields: [string, Node | null][] = [
        ['name', n],
        ['url', u],
        ...(user === null ? [] : [['username', user] as [string, Node]]),
        ...(pw === null ? [] : [['password', pw] as [string, Node]]),
        ['caFile', str(ca)],
        ['insecure_skip_tls_verify', str(insecure)],
      ];
      return fc
        .tuple(...fields.map(([key, value]) => entry(fc.constant(key), fc.constant(value))))
        .chain((entries) =>
          fc.shuffledSubarray([...entries, ...extra], { minLength: entries.length + extra.length }),
        )
        .map((entries): Node => ({ t: 'map', entries, flow }));
    });

const helmFile = (
  i: Instance,
  spec: HelmSpec,
  withSecrets: boolean,
): fc.Arbitrary<Generated<HelmSpec>> => {
  const others$ = fc.uniqueArray(
    fc.tuple(
      fc.constantFrom(
        `${spec.name}2`,
        `x${spec.name}`,
        spec.name.toUpperCase(),
        ...(HELM_READS_AS[spec.name] ?? []),
        'bitnami',
        'stable',
        'local',
      ),
      fc.constantFrom(
        `https://${hostPort(i)}/${i.prefix}api/helm/other`,
        'https://charts.bitnami.com/bitnami',
        `https://sub.${i.host}/${i.prefix}api/helm/helm`,
      ),
    ),
    { maxLength: 3, selector: ([n]) => n },
  );
  const ours = fc.constantFrom(
    spec.url,
    spec.url,
    `${spec.url}/`,
    spec.url,
    `${spec.url}/`,
    'https://elsewhere.example/charts',
    `https://bob:${OTHER_SECRET}@elsewhere.example/charts`,
  );
  return fc
    .tuple(
      others$,
      fc.option(ours, { nil: null }),
      fc
        .constantFrom<string | null>('', ...(withSecrets ? ['old-pass-W0rd'] : []))
        .chain((p) => fc.option(fc.constant(p), { nil: null })),
      fc.nat(),
      fc.option(fc.constantFrom('v1', '', 'v2'), { nil: null }),
      fc.option(
        fc.constantFrom(
          '2024-05-01T10:00:00.123456789Z',
          '0001-01-01T00:00:00Z',
          '2023-01-01T00:00:00+02:00',
        ),
        { nil: null },
      ),
      others(['apiVersion', 'generated', 'repositories'], 2),
      fc.boolean(),
      fc.boolean(),
      fileFrame,
    )
    .chain(
      ([list, oursUrl, password, at, api, generated, rest, withRepositories, compact, frame]) => {
        const items = list
          .filter(([n]) => n !== spec.name)
          .map(([n, u]) => helmEntry(fc.constant(n), fc.constant(u), fc.constant(null)));
        if (oursUrl !== null)
          items.splice(
            at % (items.length + 1),
            0,
            helmEntry(fc.constant(spec.name), fc.constant(oursUrl), fc.constant(password)),
          );
        return (items.length === 0 ? fc.constant<Node[]>([]) : fc.tuple(...items)).chain(
          (repositories) => {
            const top: [string, Node | null][] = [];
            if (api !== null) top.push(['apiVersion', str(api)]);
            if (generated !== null) top.push(['generated', str(generated)]);
            if (withRepositories || repositories.length > 0)
              top.push([
                'repositories',
                repositories.length === 0
                  ? { t: 'seq', items: [], flow: true, compact }
                  : { t: 'seq', items: repositories, flow: false, compact },
              ]);
            return fc
              .tuple(...top.map(([k, v]) => entry(fc.constant(k), fc.constant(v))))
              .map((entries) => {
                const root: YMap = {
                  t: 'map',
                  entries: [...entries, ...rest],
                  flow: frame.flowRoot,
                };
                const text = renderFile(
                  root,
                  frame.look,
                  frame.snippet,
                  frame.at,
                  frame.eol,
                  frame.finalBreak,
                );
                // A U+FEFF in the text (the comments have them) is refused as a conflict: Helm's
                // go-yaml v2 may skip a character after one, wherever the edit moves it.
                const hazard = readsElsewhere(text, spec) || text.includes('\uFEFF');
                return { spec, text, hazard };
              });
          },
        );
      },
    );
};

/**
 * Plain names Helm reads as another spec name (yaml.v2 resolves YAML 1.1 types, sigs.k8s.io/yaml
 * prints them back into the string field): `TRUE`, `yes` and `on` are the repository "true",
 * `0x7B`, `0173` and `1.23e2` the repository "123".
 */
const HELM_READS_AS: Record<string, string[]> = {
  true: ['yes', 'ON', 'True', 'y'],
  '123': ['0x7B', '0173', '1.23e2', '+123'],
};

/** The password in the URL of another repository under Artikey's name, which a refusal names. */
const OTHER_SECRET = 'other-pass-W0rd';

/**
 * Artikey may refuse (a conflict) where the first entry Helm reads under the spec's name points
 * elsewhere. Names are read as YAML 1.1 reads them (the `yaml` library's 1.1 schema, standing in
 * for yaml.v2; the Helm oracle property checks the real reader), a scalar printed as its text.
 */
function readsElsewhere(text: string, spec: HelmSpec): boolean {
  const doc = parseAllDocuments(text, { version: '1.1', merge: true });
  const first = Array.isArray(doc) ? doc[0] : undefined;
  if (first === undefined || first.errors.length > 0) return false;
  const root: unknown = first.toJS();
  const list = (root as { repositories?: unknown } | null)?.repositories;
  if (!Array.isArray(list)) return false;
  const ours = (list as unknown[]).find((item) => {
    const name = (item as { name?: unknown } | null)?.name;
    return (name === null ? '' : String(name)) === spec.name;
  }) as { url?: unknown } | undefined;
  return ours !== undefined && String(ours.url ?? '').replace(/\/+$/, '') !== spec.url;
}

// ---------------------------------------------------------------- shared checks

const bothTokens = fc.tuple(token(), token()).filter(([a, b]) => a !== b);

const withInstance = <T>(make: (i: Instance) => fc.Arbitrary<T>): fc.Arbitrary<[Instance, T]> =>
  instance().chain((i) => make(i).map((value): [Instance, T] => [i, value]));

const yarnCase = (withSecrets = false): fc.Arbitrary<[Instance, Generated<YarnSpec>]> =>
  withInstance((i) => yarnSpec(i).chain((spec) => yarnFile(i, spec, withSecrets)));
const helmCase = (withSecrets = false): fc.Arbitrary<[Instance, Generated<HelmSpec>]> =>
  withInstance((i) => helmSpec(i).chain((spec) => helmFile(i, spec, withSecrets)));

/**
 * Runs `step`; a refusal is fine only where the generator put a hazard (then it must be a
 * conflict, never a claim that a valid file is invalid). Returns null when refused.
 */
function allowedRefusal<T>(generated: Generated<TargetSpec>, step: () => T): T | null {
  try {
    return step();
  } catch (error) {
    if (error instanceof Error && error.message.includes(OTHER_SECRET))
      throw new Error(`the refusal quotes another entry's password: ${error.message}`);
    if (generated.hazard && error instanceof ToolFileError && error.code === 'tool-file-conflict')
      return null;
    throw error;
  }
}

function roundTrip(
  generated: Generated<TargetSpec>,
  first: string,
  second: string,
  original: string | null,
): void {
  const result = allowedRefusal(generated, () => cycle(generated.spec, original, first, second));
  if (result === null) return;
  if (original === null ? result.removed !== null : result.removed !== original)
    throw new Error(
      `unconfigure left ${JSON.stringify(result.removed)}\nexpected ${JSON.stringify(original)}`,
    );
}

/** Occurrences of the token: once after configure (its own entry), the refresh's alone after a refresh, none after unconfigure. */
function tokenCounts(generated: Generated<TargetSpec>, first: string, second: string): void {
  const result = allowedRefusal(generated, () =>
    cycle(generated.spec, generated.text, first, second),
  );
  if (result === null) return;
  const counts = [
    occurrences(result.configured, first),
    occurrences(result.refreshed, first),
    occurrences(result.refreshed, second),
    occurrences(result.removed ?? '', first) + occurrences(result.removed ?? '', second),
  ];
  if (counts.join() !== '1,0,1,0')
    throw new Error(
      `the token occurs ${counts.join()} times (configured, refreshed: old and new, removed), expected 1,0,1,0`,
    );
  if (JSON.stringify(result.record.restore).includes(first))
    throw new Error('the state notes the token');
}

// ---------------------------------------------------------------- oracles

const pool = new OraclePool();
const helmOracle = (): OracleProcess =>
  pool.get(
    'helm',
    () =>
      new OracleProcess(
        "Helm's reader (yaml.v2 + repo.File)",
        goProgram('test/fuzz/oracles/yaml_oracle.go'),
        [],
      ),
  );
const yarnOracle = (): OracleProcess =>
  pool.get(
    'yarn',
    () =>
      new OracleProcess("Yarn's reader (PyYAML BaseLoader)", 'python3', [
        'test/fuzz/oracles/yaml_oracle.py',
      ]),
  );

type Json = null | string | number | boolean | Json[] | { [key: string]: Json };

async function readsAs(
  oracle: OracleProcess,
  text: string,
  field: 'value' | 'file',
): Promise<Json | { error: string }> {
  const answer = await oracle.ask<Record<string, Json> & { error?: string }>({ text });
  return answer.error !== undefined ? { error: answer.error } : answer[field]!;
}

const canonical = (value: Json): string =>
  JSON.stringify(value, (_key, v: Json) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );

function same(actual: Json, expected: Json, when: string): void {
  const a = canonical(actual);
  const e = canonical(expected);
  if (a !== e) throw new Error(`${when} reads\n${a.slice(0, 3000)}\nexpected\n${e.slice(0, 3000)}`);
}

const clone = (value: Json): Json => JSON.parse(JSON.stringify(value)) as Json;
const asObject = (value: Json | undefined): { [key: string]: Json } =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {};

/** Yarn's reading after configure: the file's reading before with Artikey's settings in it. */
function yarnExpected(before: Json, spec: YarnSpec, token: string): Json {
  const root = asObject(clone(before));
  const registries = asObject(root['npmRegistries']);
  const ours = asObject(registries[spec.registryKey]);
  ours['npmAuthToken'] = token;
  ours['npmAlwaysAuth'] = 'true';
  registries[spec.registryKey] = ours;
  root['npmRegistries'] = registries;
  if (spec.setRegistry) {
    if (spec.scope === null) root['npmRegistryServer'] = spec.registryUrl;
    else {
      const scopes = asObject(root['npmScopes']);
      scopes[spec.scope] = { ...asObject(scopes[spec.scope]), npmRegistryServer: spec.registryUrl };
      root['npmScopes'] = scopes;
    }
  }
  return root;
}

interface HelmEntry {
  [key: string]: Json;
  name: string;
  url: string;
  username: string;
  password: string;
}

/** Helm's reading after configure: the entry of the name (the first) with Artikey's url and credentials, or a new one with helm's defaults. */
function helmExpected(before: Json, spec: HelmSpec, token: string, blank: boolean): Json {
  const file = asObject(clone(before));
  const repositories = (
    Array.isArray(file['repositories']) ? file['repositories'] : []
  ) as HelmEntry[];
  const at = repositories.findIndex((r) => r.name === spec.name);
  const base: HelmEntry =
    at >= 0
      ? repositories[at]!
      : {
          name: spec.name,
          url: '',
          username: '',
          password: '',
          certFile: '',
          keyFile: '',
          caFile: '',
          insecure_skip_tls_verify: false,
          pass_credentials_all: false,
        };
  const entry = { ...base, url: spec.url, username: USERNAME, password: token };
  if (at >= 0) repositories[at] = entry;
  else repositories.push(entry);
  file['repositories'] = repositories;
  if (blank) {
    file['apiVersion'] = '';
    file['generated'] = '0001-01-01T00:00:00Z';
  }
  return file;
}

/** The registry's entry emptied by the removal reads as `{}` or as nothing (`key:`): the same to Yarn. */
function emptyAsNull(reading: Json, key: string): Json {
  const copy = asObject(clone(reading));
  const registries = asObject(copy['npmRegistries']);
  const ours = registries[key];
  if (ours !== undefined && (ours === null || Object.keys(asObject(ours)).length === 0))
    registries[key] = null;
  return copy;
}

/** Where in the reading a string holds `needle`: paths like `npmRegistries."//x/".npmAuthToken`. */
function placesOf(value: Json, needle: string, path = ''): string[] {
  if (typeof value === 'string') return value.includes(needle) ? [path] : [];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, v]) => [
    ...(key.includes(needle) ? [`${path}.<key ${key.slice(0, 20)}>`] : []),
    ...placesOf(v, needle, `${path}.${JSON.stringify(key)}`),
  ]);
}

// ---------------------------------------------------------------- refused files

/** A valid file made invalid: a duplicate key, a second document, a tab in the indentation, an unclosed flow collection, a key out of its indentation. */
const breakFile = (text: string): fc.Arbitrary<string> =>
  fc.constantFrom('duplicate', 'document', 'tab', 'flow', 'indent').map((how) => {
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    const ended = text === '' || text.endsWith('\n') ? text : text + eol;
    const clean = ended.replace(/^\.\.\..*$/m, '').replace(/^---.*$/m, '');
    switch (how) {
      case 'duplicate':
        return `zz_dup: 1${eol}${clean}zz_dup: 2${eol}`;
      case 'document':
        // The `...` ends the first document even when the file held only comments or nothing:
        // without it, `---` there starts the first document, and the file is one document.
        return `${clean}...${eol}---${eol}second: document${eol}`;
      case 'tab':
        return `tabbed:${eol}\tkey: value${eol}${clean}`;
      case 'flow':
        return `${clean}unclosed: [a, b${eol}`;
      case 'indent':
        return `nested:${eol}    a: 1${eol}  b: 2${eol}${clean}`;
    }
    return text;
  });

// ---------------------------------------------------------------- migrate

const MIGRATED = 'eyJ2ZXIiOiIyIn0.migrated.token';

/** Migrate as `artikey migrate` runs it: scan, plan, each replacing write, then its cleanup. */
function migrate(
  tool: 'yarn' | 'helm',
  file: string,
  original: string,
  platformUrl: string,
): { text: string; spec: TargetSpec; restore: Record<string, string> } | null {
  const context = { tool, file, instances: [{ id: 'ours', platformUrl, registryHost: '' }] };
  const found = (tool === 'yarn' ? findInYarnrc : findInHelmRepositories)(context, original).found;
  const environment = { platform: 'linux' as const, env: {}, home: '/home/fuzz' };
  const steps = planMigration(
    found,
    { id: 'ours', platformUrl, username: USERNAME },
    [],
    environment,
  );
  let text = original;
  let adopted: { spec: TargetSpec; restore: Record<string, string> } | null = null;
  for (const step of steps) {
    if (step.action !== 'replace') continue;
    const write = renderWrite(step.target, text, credentials(MIGRATED));
    text = write.text;
    adopted ??= { spec: step.target, restore: write.restore };
    if (step.cleanup) text = cleanerOf(step.cleanup.kind)!.edit(text, step.cleanup);
  }
  return adopted === null ? null : { text, ...adopted };
}

// ---------------------------------------------------------------- the real yarn

const YARN = join(process.cwd(), 'node_modules', '.bin', 'yarn');

/**
 * What the real Yarn reads for the registries and scopes, from `home`'s .yarnrc.yml (a project
 * beside it). A setting the file leaves unset Yarn 4 prints as `undefined`, which is no JSON: it
 * reads as undefined here (the property failed on every file without npmScopes before).
 */
function yarnConfig(home: string): {
  registries: Json | undefined;
  scopes: Json | undefined;
  server: Json | undefined;
} {
  const project = join(home, 'project');
  mkdirSync(project, { recursive: true });
  writeFileSync(join(project, 'package.json'), '{"name":"fuzz"}\n');
  const get = (key: string): Json | undefined => {
    const run = spawnSync(YARN, ['config', 'get', key, '--json', '--no-redacted'], {
      cwd: project,
      encoding: 'utf8',
      env: {
        PATH: process.env['PATH'],
        HOME: home,
        YARN_ENABLE_TELEMETRY: '0',
        YARN_IGNORE_PATH: '1',
      },
    });
    if (run.status !== 0)
      throw new Error(`yarn config get ${key} failed: ${run.stdout}${run.stderr}`);
    return run.stdout.trim() === 'undefined' ? undefined : (JSON.parse(run.stdout) as Json);
  };
  return {
    registries: get('npmRegistries'),
    scopes: get('npmScopes'),
    server: get('npmRegistryServer'),
  };
}

export const suite: FuzzSuite = {
  editor: 'yaml-file.ts (yarn, helm)',
  close: () => pool.close(),
  properties: [
    {
      name: 'yarn: configure, refresh, unconfigure give back the original bytes',
      cases: 60,
      property: () =>
        fc.property(
          yarnCase(),
          fc.boolean(),
          bothTokens,
          ([, generated], absent, [first, second]) =>
            roundTrip(generated, first, second, absent ? null : generated.text),
        ),
    },
    {
      name: 'helm: configure, refresh, unconfigure give back the original bytes',
      cases: 60,
      property: () =>
        fc.property(
          helmCase(),
          fc.boolean(),
          bothTokens,
          ([, generated], absent, [first, second]) =>
            roundTrip(generated, first, second, absent ? null : generated.text),
        ),
    },
    {
      name: 'a file the YAML parser refuses is refused by configure and unconfigure, naming line and column',
      cases: 100,
      property: () =>
        fc.property(
          fc
            .oneof(yarnCase(), helmCase())
            .chain(([, g]) => breakFile(g.text).map((text) => ({ ...g, text }))),
          token(),
          (generated, first) => {
            const record = recordOf(generated.spec, generated.text, {});
            for (const operation of [
              () => cycle(generated.spec, generated.text, first, first),
              () => removal(record, generated.text),
            ]) {
              let refused: unknown = null;
              try {
                operation();
              } catch (error) {
                refused = error;
              }
              invalidRefusal(refused, first);
            }
          },
        ),
    },
    {
      name: 'a refused file on disk keeps its bytes (byte-order mark included) and mtime',
      cases: 15,
      benchCases: 2_000,
      property: () =>
        fc.asyncProperty(
          fc.oneof(yarnCase(), helmCase()).chain(([, g]) =>
            fc.tuple(
              breakFile(g.text).map((text) => ({ ...g, text })),
              fc.boolean(),
            ),
          ),
          token(),
          async ([generated, bom], first) => {
            const dir = mkdtempSync(join(tmpdir(), 'artikey-fuzz-yaml-'));
            try {
              const spec = { ...generated.spec, path: join(dir, 'file.yaml') };
              await expectRefusedUntouched(
                spec,
                Buffer.from((bom ? '\uFEFF' : '') + generated.text, 'utf8'),
                first,
              );
            } finally {
              rmSync(dir, { recursive: true, force: true });
            }
          },
        ),
    },
    {
      name: 'yarn and helm: the token occurs once, in its own entry, the refreshed one alone after a refresh, never after unconfigure',
      cases: 60,
      property: () =>
        fc.property(
          fc.oneof(yarnCase(), helmCase()),
          bothTokens,
          ([, generated], [first, second]) => tokenCounts(generated, first, second),
        ),
    },
    {
      name: "yarn: Yarn's reader sees Artikey's token and settings after configure and refresh, nothing else changed, the original after unconfigure",
      cases: 40,
      property: () =>
        fc.asyncProperty(yarnCase(true), bothTokens, async ([, generated], [first, second]) => {
          const result = allowedRefusal(generated, () =>
            cycle(generated.spec, generated.text, first, second),
          );
          if (result === null) return;
          const before = await readsAs(yarnOracle(), generated.text, 'value');
          if (
            typeof before === 'object' &&
            before !== null &&
            'error' in before &&
            typeof before.error === 'string'
          )
            throw new Error(`Yarn's reader refuses a file the editor accepted: ${before.error}`);
          for (const [text, tok] of [
            [result.configured, first],
            [result.refreshed, second],
          ] as const) {
            const after = await readsAs(yarnOracle(), text, 'value');
            same(after, yarnExpected(before, generated.spec, tok), 'after configure, Yarn');
            const places = placesOf(after, tok);
            if (
              places.join() !==
              `."npmRegistries".${JSON.stringify(generated.spec.registryKey)}."npmAuthToken"`
            )
              throw new Error(`the token reads at ${places.join(', ')}`);
          }
          const left = await readsAs(yarnOracle(), result.removed ?? '', 'value');
          // Documented exception: a plain-text npmAuthToken Artikey replaced is not put back (the
          // state never holds a secret); the rest reads as before. (`null` and `~` are no token to
          // Artikey's YAML 1.2 reader, though Yarn's FAILSAFE schema reads them as strings.)
          const expected = asObject(clone(before));
          const key = generated.spec.registryKey;
          const ours = asObject(expected['npmRegistries'])[key];
          if (
            ours !== undefined &&
            ours !== null &&
            typeof ours === 'object' &&
            !Array.isArray(ours)
          ) {
            const token = ours['npmAuthToken'];
            if (
              typeof token === 'string' &&
              !['', 'null', 'Null', 'NULL', '~'].includes(token) &&
              !/\$\{/.test(token)
            )
              delete ours['npmAuthToken'];
          }
          same(emptyAsNull(left, key), emptyAsNull(expected, key), 'after unconfigure, Yarn');
        }),
    },
    {
      name: "helm: Helm's reader (yaml.v2, repo.File) sees Artikey's entry after configure and refresh, every other as before, the original after unconfigure",
      cases: 40,
      property: () =>
        fc.asyncProperty(helmCase(true), bothTokens, async ([, generated], [first, second]) => {
          const result = allowedRefusal(generated, () =>
            cycle(generated.spec, generated.text, first, second),
          );
          if (result === null) return;
          const before = await readsAs(helmOracle(), generated.text, 'file');
          if (asObject(before)['error'] !== undefined)
            throw new Error(
              `Helm refuses a file the editor accepted: ${String(asObject(before)['error'])}`,
            );
          const blank = result.record.restore['header'] !== undefined;
          for (const [text, tok] of [
            [result.configured, first],
            [result.refreshed, second],
          ] as const) {
            const after = await readsAs(helmOracle(), text, 'file');
            same(after, helmExpected(before, generated.spec, tok, blank), 'after configure, Helm');
            const places = placesOf(after, tok);
            const at = (asObject(after)['repositories'] as HelmEntry[]).findIndex(
              (r) => r.name === generated.spec.name,
            );
            if (places.join() !== `."repositories".${JSON.stringify(String(at))}."password"`)
              throw new Error(`the token reads at ${places.join(', ')}`);
          }
          const left = await readsAs(helmOracle(), result.removed ?? '', 'file');
          // Documented exception: a password Artikey replaced is not put back (the state never
          // holds a secret): the entry reads without one.
          const expected = asObject(clone(before));
          for (const r of (Array.isArray(expected['repositories'])
            ? expected['repositories']
            : []) as HelmEntry[])
            if (r.name === generated.spec.name) {
              r.password = '';
              break;
            }
          same(left, expected, 'after unconfigure, Helm');
        }),
    },
    {
      name: 'yarn migrate: the plain-text token or ident of the registry is replaced, nowhere left, every other setting as before; unconfigure leaves the original minus it',
      cases: 50,
      property: () =>
        fc.asyncProperty(
          withInstance((i) =>
            yarnSpec(i).chain((spec) =>
              fc.tuple(
                yarnFile(i, { ...spec, setRegistry: false, scope: null }, false),
                fc.constantFrom<[string, string, string]>(
                  ['npmAuthToken', 'old-Secret-123', 'old-Secret-123'],
                  ['npmAuthIdent', 'ada:old-Secret-123', 'old-Secret-123'],
                  [
                    'npmAuthIdent',
                    Buffer.from('ada:old-Secret-123').toString('base64'),
                    Buffer.from('ada:old-Secret-123').toString('base64'),
                  ],
                ),
              ),
            ),
          ),
          async ([i, [generated, [field, secret, secretPart]]]) => {
            if (generated.hazard) return;
            const spec = generated.spec;
            // The credential goes into the registry's entry, added to the file's own text by the editor itself.
            let original: string;
            try {
              original = renderWrite(
                { ...spec },
                generated.text,
                credentials('placeholder-token'),
              ).text;
            } catch {
              return;
            }
            original = original
              .replace('placeholder-token', secret)
              .replace(/npmAuthToken(["']?:)/, `${field}$1`);
            const migrated = migrate('yarn', spec.path, original, platformOf(i));
            if (migrated === null) throw new Error('migrate found nothing to replace');
            if (migrated.text.includes(secretPart))
              throw new Error(`the old secret is left: ${JSON.stringify(migrated.text)}`);
            const before = await readsAs(yarnOracle(), original, 'value');
            const after = await readsAs(yarnOracle(), migrated.text, 'value');
            const expected = asObject(yarnExpected(before, migrated.spec as YarnSpec, MIGRATED));
            delete asObject(
              asObject(expected['npmRegistries'])[(migrated.spec as YarnSpec).registryKey],
            )['npmAuthIdent'];
            same(after, expected, 'after migrate, Yarn');
            const left = removal(
              recordOf(migrated.spec, original, migrated.restore),
              migrated.text,
            );
            if (left === null || left.includes(MIGRATED))
              throw new Error('the token is left after unconfigure');
          },
        ),
    },
    {
      name: 'helm migrate: the plain-text password of the repository is replaced, nowhere left, every other entry as before',
      cases: 50,
      property: () =>
        fc.asyncProperty(
          withInstance((i) => helmSpec(i).chain((spec) => fc.tuple(helmFile(i, spec, true)))),
          async ([i, [generated]]) => {
            if (generated.hazard || !generated.text.includes('old-pass-W0rd')) return;
            const migrated = migrate('helm', generated.spec.path, generated.text, platformOf(i));
            if (migrated === null) return;
            if (migrated.text.includes('old-pass-W0rd'))
              throw new Error(`the old secret is left: ${JSON.stringify(migrated.text)}`);
            const before = await readsAs(helmOracle(), generated.text, 'file');
            if (asObject(before)['error'] !== undefined) return; // Helm cannot load it at all
            const after = await readsAs(helmOracle(), migrated.text, 'file');
            same(
              after,
              helmExpected(before, migrated.spec as HelmSpec, MIGRATED, false),
              'after migrate, Helm',
            );
          },
        ),
    },
    {
      name: "the real `yarn config get` reads the token at Artikey's registry and the registry server Artikey set",
      cases: 3,
      benchCases: 20,
      property: () =>
        fc.asyncProperty(
          withInstance((i) =>
            yarnSpec(i).chain((spec) =>
              fc.tuple(
                fc.constant(spec),
                fc.constantFrom(
                  '',
                  '# mine\nnodeLinker: node-modules\n',
                  'npmRegistries:\n  "//registry.example.com/":\n    npmAlwaysAuth: true # other\n\nenableTelemetry: false\n',
                  '---\nnpmScopes:\n  other:\n    npmRegistryServer: "https://registry.example.com/"\n...\n',
                ),
              ),
            ),
          ),
          token(),
          async ([, [spec, original]], first) => {
            const home = mkdtempSync(join(tmpdir(), 'artikey-fuzz-yarn-'));
            try {
              const target = { ...spec, path: join(home, '.yarnrc.yml') };
              writeFileSync(target.path, original);
              const { restore } = await writeTarget(target, credentials(first));
              const read = yarnConfig(home);
              const slot = spec.registryKey.replace(/\/$/, '');
              const ours = asObject(asObject(read.registries)[slot]);
              if (ours['npmAuthToken'] !== first || ours['npmAlwaysAuth'] !== true)
                throw new Error(
                  `yarn reads ${JSON.stringify(ours).replace(first, '<token>')} at ${slot}`,
                );
              if (spec.setRegistry) {
                const server =
                  spec.scope === null
                    ? read.server
                    : asObject(asObject(read.scopes)[spec.scope])['npmRegistryServer'];
                if (server !== spec.registryUrl)
                  throw new Error(`yarn reads the registry server ${JSON.stringify(server)}`);
              }
              await removeTarget(recordOf(target, original, restore));
              if (readFileSync(target.path, 'utf8') !== original)
                throw new Error('unconfigure changed the file');
            } finally {
              rmSync(home, { recursive: true, force: true });
            }
          },
        ),
    },
  ],
};
