/**
 * The TOML kinds' files for fuzzing (test/fuzz/toml.suite.ts): for each kind and option set a
 * spec, and a document (toml-arbitraries.ts) holding, among random tables, the kind's own tables
 * in any spelling (`[registries.x]`, `registries.x.token = …`, `"registries"."x"`, inline
 * tables, an implicit `[registries]`), what the person already had at Artikey's keys, and other
 * registries with look-alike names and URLs. Beside each kind, the model of what a TOML reader
 * must read after configure and after unconfigure, given what it read before.
 */
import fc from 'fast-check';
import type { TargetSpec } from '../../../electron/core/targets/target-record.js';
import {
  basicQuoted,
  keyName,
  layout,
  renderToml,
  trivia,
  tree,
  type Form,
  type Layout,
  type TomlEntry,
  type TomlNode,
  type TomlTree,
} from './toml-arbitraries.js';
import { USERNAME } from './target-cycle.js';
import { envReference, lookalikeHost, matching } from './text-arbitraries.js';

export type TomlKind =
  'cargo' | 'cargo-registry' | 'poetry-auth' | 'poetry-repository' | 'bun' | 'uv';
export const TOML_KINDS: TomlKind[] = [
  'cargo',
  'cargo-registry',
  'poetry-auth',
  'poetry-repository',
  'bun',
  'uv',
];

/** The instance, with and without a port, with a path prefix. */
export const PLATFORMS = [
  'https://art.example.com/',
  'http://127.0.0.1:8081/',
  'https://art.example.com:8443/jfrog/',
];

export interface TomlCase {
  spec: TargetSpec;
  platform: string;
  root: TomlTree;
  layout: Layout;
  text: string;
}

// ---- Building blocks of the hot tables --------------------------------------------------------

const noEntries: fc.Arbitrary<TomlEntry[]> = fc.constant([]);

/** A string value holding exactly `text`, in a spelling it allows. */
export const stringValue = (text: string): fc.Arbitrary<string> => {
  const literal = !/['\u0000-\u0008\u000a-\u001f\u007f]/.test(text);
  return fc.constantFrom(
    ...[
      basicQuoted(text),
      basicQuoted(text),
      ...(literal ? [`'${text}'`, `'''${text}'''`] : []),
      ...(!/["\\\u0000-\u0008\u000a-\u001f\u007f]/.test(text) ? [`"""${text}"""`] : []),
    ],
  );
};

const entry = (name: string, node: fc.Arbitrary<TomlNode>): fc.Arbitrary<TomlEntry> =>
  fc.record({
    name: fc.constant(name),
    spell: fc.constantFrom('bare', 'bare', 'basic', 'literal', 'escaped'),
    trivia: trivia(),
    node,
  });

const valueNode = (text: fc.Arbitrary<string>): fc.Arbitrary<TomlNode> =>
  text.map((t): TomlNode => ({ t: 'value', text: t }));

/** An optional entry: absent, or the entry. */
const maybe = (arb: fc.Arbitrary<TomlEntry>, weight = 1): fc.Arbitrary<TomlEntry[]> =>
  fc.oneof({ weight: 1, arbitrary: noEntries }, { weight, arbitrary: arb.map((e) => [e]) });

/** Random entries of the person's beside the hot ones (names clash → the hot one stays). */
const othersMade = new Map<string, fc.Arbitrary<TomlEntry[]>>();
function others(sealed: boolean, depth = 1): fc.Arbitrary<TomlEntry[]> {
  // Built once per shape: the hot tables' generators are made while a case is generated.
  const key = `${sealed}:${depth}`;
  let made = othersMade.get(key);
  if (made === undefined) {
    made = tree({ depth, sealed, names: keyName(), maxEntries: 3 }).map((t) => t.entries);
    othersMade.set(key, made);
  }
  return made;
}

/**
 * A table entry whose form is picked first, so what goes inside knows whether it is sealed (in an
 * inline table or dotted keys: no headers there).
 */
const tableEntry = (
  name: string,
  sealed: boolean,
  content: (sealed: boolean) => fc.Arbitrary<TomlEntry[][]>,
  forms: Form[] = sealed
    ? ['dotted', 'inline']
    : ['header', 'header', 'implicit', 'dotted', 'inline'],
): fc.Arbitrary<TomlEntry> =>
  fc.constantFrom(...forms).chain((form) => {
    const inner = sealed || form === 'dotted' || form === 'inline';
    return entry(
      name,
      content(inner).map((groups): TomlNode => ({
        t: 'table',
        form,
        table: { entries: unique(groups) },
      })),
    );
  });

/** The groups' entries, the first of each name kept (hot groups come first). */
function unique(groups: TomlEntry[][]): TomlEntry[] {
  const seen = new Set<string>();
  const kept: TomlEntry[] = [];
  for (const e of groups.flat()) {
    if (seen.has(e.name)) continue;
    seen.add(e.name);
    kept.push(e);
  }
  return kept;
}

/** Other names like `name`: a letter more, another case, a dot that makes a path if unquoted. */
const lookalikeNames = (name: string): string[] => [
  `${name}x`,
  `x${name}`,
  name.toUpperCase() === name ? name.toLowerCase() : name.toUpperCase(),
  `${name}-2`,
  `${name}.sub`,
  `${name} `,
];

/** A URL like the instance's but another server's (or the instance's, for another repository). */
const lookalikeUrl = (platform: string, path: string): fc.Arbitrary<string> => {
  const url = new URL(platform);
  const port = url.port === '' ? null : Number(url.port);
  return fc.oneof(
    lookalikeHost(url.hostname, port).map(
      (host) => `${url.protocol}//${host}${url.pathname}${path}`,
    ),
    fc.constant(`${platform}${path.replace(/[a-z]+-?/, 'other-')}`),
  );
};

/** What the person had at an Artikey key that holds a secret: nothing, a `${VAR}`, a plain secret. */
const priorSecret = (plain: string): fc.Arbitrary<string | null> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: envReference() },
    { weight: 1, arbitrary: fc.constant(plain) },
  );

/** What the person had at an Artikey key that holds a URL: nothing, a URL (with a password in it), text. */
const priorUrl = (platform: string, path: string): fc.Arbitrary<string | null> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: lookalikeUrl(platform, path) },
    { weight: 1, arbitrary: fc.constant(`${platform}artifactory/${path}`) },
    {
      weight: 1,
      arbitrary: fc.constant(
        platform.replace('://', '://someone:pa55word@') + `artifactory/${path}`,
      ),
    },
    { weight: 1, arbitrary: envReference().map((ref) => `${ref}/${path}`) },
  );

const stringEntry = (name: string, text: fc.Arbitrary<string | null>): fc.Arbitrary<TomlEntry[]> =>
  text.chain((t) =>
    t === null ? noEntries : entry(name, valueNode(stringValue(t))).map((e) => [e]),
  );

// ---- Each kind's document ---------------------------------------------------------------------

/** `[registries.<name>]` tables, the target's maybe among them, with look-alikes around. */
function registries(
  target: string,
  sealed: boolean,
  own: (sealed: boolean) => fc.Arbitrary<TomlEntry[][]>,
  other: (name: string, sealed: boolean) => fc.Arbitrary<TomlEntry[][]>,
): fc.Arbitrary<TomlEntry> {
  return tableEntry('registries', sealed, (inner) =>
    fc.tuple(
      maybe(tableEntry(target, inner, own), 3),
      fc
        .subarray(lookalikeNames(target), { maxLength: 3 })
        .chain((names) =>
          names.length === 0
            ? noEntries
            : fc.tuple(...names.map((n) => tableEntry(n, inner, (s) => other(n, s)))),
        ),
      others(inner),
    ),
  );
}

const rootOf = (hot: fc.Arbitrary<TomlEntry[][]>): fc.Arbitrary<TomlTree> =>
  fc.tuple(hot, others(false, 2), fc.nat()).map(([groups, rest, at]) => {
    // The hot entries somewhere among the person's own.
    const hotEntries = unique(groups);
    const names = new Set(hotEntries.map((e) => e.name));
    const kept = rest.filter((e) => !names.has(e.name));
    const cut = kept.length === 0 ? 0 : at % (kept.length + 1);
    return { entries: [...kept.slice(0, cut), ...hotEntries, ...kept.slice(cut)] };
  });

const cargoName = fc.oneof(
  { weight: 3, arbitrary: fc.constant('artifactory') },
  {
    weight: 1,
    arbitrary: matching(/^[A-Za-z_][A-Za-z0-9_-]{0,10}$/).filter((n) => n !== 'crates-io'),
  },
);
const poetryName = fc.oneof(
  { weight: 2, arbitrary: fc.constant('artikey') },
  { weight: 1, arbitrary: matching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,10}$/) },
);
const uvName = fc.oneof(
  { weight: 2, arbitrary: fc.constant('artifactory') },
  { weight: 1, arbitrary: matching(/^[A-Za-z0-9._-]{1,10}$/) },
);
const bunScope = fc.oneof(
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.constantFrom('@acme', '@my-scope.x', '@a~b') },
);

function cargoCase(kind: 'cargo' | 'cargo-registry'): fc.Arbitrary<Omit<TomlCase, 'text'>> {
  return fc
    .record({
      platform: fc.constantFrom(...PLATFORMS),
      name: cargoName,
      repo: fc.constantFrom('cargo', 'cargo-virtual'),
    })
    .chain(({ platform, name, repo }) => {
      const indexUrl = `sparse+${platform}artifactory/api/cargo/${repo}/index/`;
      const spec: TargetSpec =
        kind === 'cargo'
          ? {
              kind,
              path: '/fuzz/cargo/credentials.toml',
              registryName: name,
              indexUrl,
              configPath: '/fuzz/cargo/config.toml',
            }
          : { kind, path: '/fuzz/cargo/config.toml', registryName: name, indexUrl };
      const own = (sealed: boolean): fc.Arbitrary<TomlEntry[][]> =>
        fc.tuple(
          kind === 'cargo'
            ? stringEntry('token', priorSecret('Bearer plain-old-secret'))
            : stringEntry(
                'index',
                priorUrl(platform, `api/cargo/${repo}/index/`).map((u) =>
                  u === null ? null : `sparse+${u}`,
                ),
              ),
          kind === 'cargo'
            ? noEntries
            : fc.oneof(
                stringEntry(
                  'credential-provider',
                  fc.option(fc.constantFrom('cargo:token', 'cargo:libsecret', 'my-helper --flag')),
                ),
                maybe(
                  entry(
                    'credential-provider',
                    valueNode(
                      fc.constantFrom('["cargo:token"]', "[ 'cargo:libsecret', 'cargo:token' ]"),
                    ),
                  ),
                ),
              ),
          others(sealed),
        );
      const other = (n: string, sealed: boolean): fc.Arbitrary<TomlEntry[][]> =>
        fc.tuple(
          stringEntry(
            kind === 'cargo' ? 'token' : 'index',
            lookalikeUrl(platform, `api/cargo/${n}/index/`).map((u) =>
              // Delimited, so no other registry's token holds this one (`other<_>`, `other<_.sub>`).
              kind === 'cargo' ? `Bearer other<${n}>` : `sparse+${u}`,
            ),
          ),
          others(sealed, 0),
        );
      const root = rootOf(
        fc.tuple(
          registries(name, false, own, other).map((e) => [e]),
          maybe(
            tableEntry('registry', false, (s) =>
              fc.tuple(
                stringEntry('token', fc.constant('crates-io-token')),
                maybe(
                  entry(
                    'global-credential-providers',
                    valueNode(fc.constant('["cargo:token", "cargo:libsecret"]')),
                  ),
                ),
                others(s, 0),
              ),
            ),
          ),
          kind === 'cargo-registry'
            ? maybe(
                tableEntry('source', false, (s) =>
                  fc.tuple(
                    maybe(
                      tableEntry('crates-io', s, () =>
                        fc.tuple(stringEntry('replace-with', fc.constant(name))),
                      ),
                    ),
                    others(s, 0),
                  ),
                ),
              )
            : stringEntry('token', fc.option(fc.constant('legacy-top-level-token'))),
        ),
      );
      return fc.record({
        spec: fc.constant(spec),
        platform: fc.constant(platform),
        root,
        layout: layout(),
      });
    });
}

function poetryCase(
  kind: 'poetry-auth' | 'poetry-repository',
): fc.Arbitrary<Omit<TomlCase, 'text'>> {
  return fc
    .record({
      platform: fc.constantFrom(...PLATFORMS),
      name: poetryName,
      repo: fc.constantFrom('pypi', 'pypi-local'),
    })
    .chain(({ platform, name, repo }) => {
      const url = `${platform}artifactory/api/pypi/${repo}`;
      const spec: TargetSpec =
        kind === 'poetry-auth'
          ? {
              kind,
              path: '/fuzz/pypoetry/auth.toml',
              name,
              url,
              configPath: '/fuzz/pypoetry/config.toml',
            }
          : { kind, path: '/fuzz/pypoetry/config.toml', name, url };
      const table = kind === 'poetry-auth' ? 'http-basic' : 'repositories';
      const own = (sealed: boolean): fc.Arbitrary<TomlEntry[][]> =>
        kind === 'poetry-auth'
          ? fc.tuple(
              stringEntry(
                'username',
                fc.option(fc.constantFrom(USERNAME, 'someone-else', '${POETRY_USER}')),
              ),
              stringEntry('password', priorSecret('plain-old-password')),
              others(sealed),
            )
          : fc.tuple(stringEntry('url', priorUrl(platform, `api/pypi/${repo}`)), others(sealed));
      const other = (n: string, sealed: boolean): fc.Arbitrary<TomlEntry[][]> =>
        kind === 'poetry-auth'
          ? fc.tuple(
              stringEntry('username', fc.constant(`user-${n}`)),
              // Delimited, so no other entry's secret holds this one (`secret<2>`, `secret<2 >`).
              stringEntry('password', fc.constant(`secret<${n}>`)),
              others(sealed, 0),
            )
          : fc.tuple(
              stringEntry('url', lookalikeUrl(platform, `api/pypi/${n}`)),
              others(sealed, 0),
            );
      const root = rootOf(
        fc.tuple(
          noEntries,
          registriesNamed(table, name, own, other).map((e) => [e]),
          maybe(
            tableEntry('pypi-token', false, (s) =>
              fc.tuple(stringEntry('pypi', fc.constant('pypi-AgEIcHlwaS5vcmc')), others(s, 0)),
            ),
          ),
        ),
      );
      return fc.record({
        spec: fc.constant(spec),
        platform: fc.constant(platform),
        root,
        layout: layout(),
      });
    });
}

const registriesNamed = (
  table: string,
  target: string,
  own: (sealed: boolean) => fc.Arbitrary<TomlEntry[][]>,
  other: (name: string, sealed: boolean) => fc.Arbitrary<TomlEntry[][]>,
): fc.Arbitrary<TomlEntry> =>
  registries(target, false, own, other).map((e) => ({ ...e, name: table }));

function bunCase(): fc.Arbitrary<Omit<TomlCase, 'text'>> {
  return fc
    .record({
      platform: fc.constantFrom(...PLATFORMS),
      scope: bunScope,
      repo: fc.constantFrom('npm', 'npm-virtual'),
    })
    .chain(({ platform, scope, repo }) => {
      const registryUrl = `${platform}artifactory/api/npm/${repo}/`;
      const spec: TargetSpec = { kind: 'bun', path: '/fuzz/.bunfig.toml', registryUrl, scope };
      const registryValue = (
        key: string,
        sealed: boolean,
        own: boolean,
      ): fc.Arbitrary<TomlEntry[]> => {
        const url = own
          ? priorUrl(platform, `api/npm/${repo}/`)
          : lookalikeUrl(platform, 'api/npm/x/').map((u): string | null => u);
        return url.chain((u) => {
          if (u === null) return noEntries;
          return fc.oneof(
            entry(key, valueNode(stringValue(u))).map((e) => [e]),
            tableEntry(key, sealed, (s) =>
              fc.tuple(
                stringEntry('url', fc.constant(u)),
                own
                  ? stringEntry(
                      'token',
                      fc.oneof(
                        fc.constant('$NPM_TOKEN'),
                        fc.constant('plain-old-bun-token'),
                        fc.constant(null),
                      ),
                    )
                  : stringEntry('token', fc.constant('other-token')),
                others(s, 0),
              ),
            ).map((e) => [e]),
          );
        });
      };
      const target = scope ?? 'registry';
      const scopes = (sealed: boolean): fc.Arbitrary<TomlEntry[][]> =>
        fc.tuple(
          scope === null ? noEntries : registryValue(scope, sealed, true),
          fc
            .subarray(scope === null ? ['@acme', '@other'] : lookalikeNames(scope), {
              maxLength: 2,
            })
            .chain((names) =>
              names.length === 0
                ? noEntries
                : fc
                    .tuple(...names.map((n) => registryValue(n, sealed, false)))
                    .map((g) => g.flat()),
            ),
        );
      const install = tableEntry('install', false, (s) =>
        fc.tuple(
          scope === null ? registryValue(target, s, true) : registryValue('registry', s, false),
          maybe(tableEntry('scopes', s, scopes)),
          others(s),
        ),
      );
      const root = rootOf(fc.tuple(install.map((e) => [e])));
      return fc.record({
        spec: fc.constant(spec),
        platform: fc.constant(platform),
        root,
        layout: layout(),
      });
    });
}

function uvCase(): fc.Arbitrary<Omit<TomlCase, 'text'>> {
  return fc
    .record({
      platform: fc.constantFrom(...PLATFORMS),
      name: uvName,
      repo: fc.constantFrom('pypi', 'pypi-remote'),
      setDefault: fc.boolean(),
    })
    .chain(({ platform, name, repo, setDefault }) => {
      const url = `${platform}artifactory/api/pypi/${repo}/simple`;
      const spec: TargetSpec = {
        kind: 'uv',
        path: '/fuzz/uv/uv.toml',
        name,
        url,
        setDefault,
        netrcPath: '/fuzz/.netrc',
      };
      const element = (n: string | null, own: boolean): fc.Arbitrary<TomlTree> =>
        fc
          .tuple(
            n === null ? noEntries : stringEntry('name', fc.constant(n)),
            own
              ? stringEntry('url', priorUrl(platform, `api/pypi/${repo}/simple`))
              : stringEntry('url', lookalikeUrl(platform, 'api/pypi/x/simple')),
            maybe(entry('default', valueNode(fc.constantFrom('true', 'false')))),
            maybe(entry('explicit', valueNode(fc.constantFrom('true', 'false')))),
            others(false),
          )
          .map((groups) => ({ entries: unique(groups) }));
      const elements = fc
        .tuple(
          fc.array(
            fc.oneof(
              element(null, false),
              fc.constantFrom(...lookalikeNames(name)).chain((n) => element(n, false)),
            ),
            { maxLength: 3 },
          ),
          fc.option(element(name, true), { freq: 2 }),
          fc.nat(),
        )
        .map(([rest, own, at]) => {
          if (own === null) return rest;
          const cut = at % (rest.length + 1);
          return [...rest.slice(0, cut), own, ...rest.slice(cut)];
        });
      const index = fc
        .tuple(elements, trivia(), fc.constantFrom('bare', 'basic', 'literal'))
        .map(([els, t, spell]): TomlEntry[] =>
          els.length === 0
            ? []
            : [{ name: 'index', spell, trivia: t, node: { t: 'aot', elements: els } }],
        );
      const root = rootOf(
        fc.tuple(
          index,
          stringEntry('index-url', fc.option(lookalikeUrl(platform, 'api/pypi/x/simple'))),
          maybe(
            tableEntry('pip', false, (s) =>
              fc.tuple(
                stringEntry('extra-index-url', lookalikeUrl(platform, 'api/pypi/y/simple')),
                others(s, 0),
              ),
            ),
          ),
        ),
      );
      return fc.record({
        spec: fc.constant(spec),
        platform: fc.constant(platform),
        root,
        layout: layout(),
      });
    });
}

/** A case of `kind` with one of its option sets. */
export function tomlCase(kind: TomlKind): fc.Arbitrary<TomlCase> {
  const base =
    kind === 'cargo' || kind === 'cargo-registry'
      ? cargoCase(kind)
      : kind === 'poetry-auth' || kind === 'poetry-repository'
        ? poetryCase(kind)
        : kind === 'bun'
          ? bunCase()
          : uvCase();
  return base.map((c) => ({ ...c, text: renderToml(c.root, c.layout) }));
}

/** A case of any TOML kind. */
export const anyTomlCase = (): fc.Arbitrary<TomlCase> =>
  fc.constantFrom(...TOML_KINDS).chain((kind) => tomlCase(kind));

/** The entry at `names` in the tree, as generated (before TOML merges its spellings). */
function entryAt(root: TomlTree, names: string[]): TomlEntry | undefined {
  let table: TomlTree | undefined = root;
  let found: TomlEntry | undefined;
  for (const name of names) {
    found = table?.entries.find((e) => e.name === name);
    table = found?.node.t === 'table' ? found.node.table : undefined;
  }
  return found;
}

/**
 * Bun's entry as a table of its own (`[install.registry]` or `registry.url = …` dotted keys)
 * rather than the inline `registry = { url, token }` Bun's docs write and Artikey writes: the
 * editor refuses it (tool-file-conflict, file untouched) instead of rewriting its spelling.
 */
export function bunEntryNotInline(c: TomlCase): boolean {
  if (c.spec.kind !== 'bun') return false;
  const names =
    c.spec.scope === null ? ['install', 'registry'] : ['install', 'scopes', c.spec.scope];
  const node = entryAt(c.root, names)?.node;
  return node?.t === 'table' && node.form !== 'inline';
}
