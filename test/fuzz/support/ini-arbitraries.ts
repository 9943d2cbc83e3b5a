/**
 * Generators of `.npmrc`, `pip.conf` and `.pypirc` files for test/fuzz/ini.suite.ts: the person's own
 * settings, comments and blank lines in every legal place, look-alike registries and indexes of
 * other hosts, and (tagged) the entries Artikey writes or adopts, so a property knows which lines
 * an operation may touch.
 */
import fc from 'fast-check';
import { assemble, line, lined, type Line, type LinedFile } from './ini-lines.js';
import { envReference, lineText, longText, lookalikeHost, word } from './text-arbitraries.js';

/** An Artifactory instance as people configure it: with or without a port and a path prefix. */
export interface Instance {
  platformUrl: string;
  host: string;
  port: number | null;
}

export const instance = (): fc.Arbitrary<Instance> =>
  fc.constantFrom<Instance>(
    { platformUrl: 'https://art.example.com/', host: 'art.example.com', port: null },
    { platformUrl: 'https://art.example.com:8443/', host: 'art.example.com', port: 8443 },
    { platformUrl: 'http://127.0.0.1:8081/', host: '127.0.0.1', port: 8081 },
    { platformUrl: 'https://acme.jfrog.io/prefix/', host: 'acme.jfrog.io', port: null },
  );

export const repoKey = (): fc.Arbitrary<string> =>
  fc.constantFrom('npm-virtual', 'npm', 'pypi-remote', 'team.repo_1');

// Built once: string arbitraries are costly to build, and the generators below are rebuilt for
// every instance and repository drawn.
const WORD = word();
const ENV_REFERENCE = envReference();
const LONG_TEXT = longText();
const texts = new Map<number, fc.Arbitrary<string>>();
const text = (maxLength: number): fc.Arbitrary<string> => {
  let made = texts.get(maxLength);
  if (!made) texts.set(maxLength, (made = lineText({ maxLength })));
  return made;
};
const QUOTABLE = lineText({ maxLength: 4, exclude: /'/ });

const hostPort = (i: Instance): string => (i.port === null ? i.host : `${i.host}:${i.port}`);
/** A look-alike that is really another host: an IP address upper-cased is still itself. */
const lookalikeOf = (i: Instance): fc.Arbitrary<string> =>
  lookalikeHost(i.host, i.port).filter((h) => h !== hostPort(i));
/** The platform URL's path ('/' or '/prefix/'). */
const sameOrigin = (i: Instance, h: string): boolean => {
  try {
    return new URL(`${i.platformUrl.split('//')[0]}//${h}/`).host === new URL(i.platformUrl).host;
  } catch {
    return false; // not a host a URL can name (sub.127.0.0.1)
  }
};
const pathOf = (i: Instance): string => new URL(i.platformUrl).pathname;

const blank = (): fc.Arbitrary<Line> => fc.constantFrom('', ' ', '\t', '  \t ').map((t) => line(t));
const indent = (): fc.Arbitrary<string> => fc.constantFrom('', '', ' ', '\t', '   ');

/** A whole-line comment, indented or not, of any text. */
const comment = (): fc.Arbitrary<Line> =>
  fc
    .tuple(indent(), fc.constantFrom('#', ';'), text(8))
    .map(([i, mark, text]) => line(`${i}${mark}${text}`));

const npmSeparator = (): fc.Arbitrary<string> => fc.constantFrom('=', ' = ', '\t=\t', '= ', ' =');
const iniSeparator = (): fc.Arbitrary<string> =>
  fc.constantFrom(' = ', '=', ': ', ':', '\t=\t', ' : ');

/** Values people write: any text, quoted text, references, very long ones. */
const npmValue = (): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 5, arbitrary: text(6) },
    { weight: 1, arbitrary: ENV_REFERENCE },
    { weight: 1, arbitrary: text(4).map((t) => JSON.stringify(t)) },
    { weight: 1, arbitrary: QUOTABLE.map((t) => `'${t}'`) },
    { weight: 1, arbitrary: fc.constantFrom('true', 'false', 'null', '') },
    { weight: 1, arbitrary: LONG_TEXT },
  );

// ---------------------------------------------------------------------------------------------
// .npmrc

export interface NpmFileParts {
  instance: Instance;
  repo: string;
  scope: string | null;
  file: LinedFile;
}

/** The registry URL and its nerf-dart prefix Artikey writes for this instance and repository. */
export const npmRegistryOf = (i: Instance, repo: string): string =>
  `${i.platformUrl}artifactory/api/npm/${repo}/`;
const nerfDart = (i: Instance, repo: string): string =>
  `//${hostPort(i)}${pathOf(i)}artifactory/api/npm/${repo}/`;

/** Another registry's credentials that look like the instance's: other hosts, other paths. */
const npmLookalike = (i: Instance, repo: string, sameHost: boolean): fc.Arbitrary<Line> => {
  const here = `//${hostPort(i)}${pathOf(i)}artifactory`;
  // Same host, other path: another registry of the instance (migrate would adopt those too).
  const otherPaths = [
    `${here}/api/npm/${repo}-other/`,
    `${here}/api/npm/${repo}`,
    `${here}/api/npm/${repo}//`,
    `${here}/`,
    `//${hostPort(i)}/`,
    `${nerfDart(i, repo)}sub/`,
  ];
  return fc
    .tuple(
      fc.oneof(
        lookalikeOf(i)
          // For migrate: a spelling of the instance's own host is the instance's (scan adopts it too).
          .filter((h) => sameHost || !sameOrigin(i, h))
          .map((h) => `//${h}${pathOf(i)}artifactory/api/npm/${repo}/`),
        fc.constantFrom(...(sameHost ? otherPaths : [`//other.example.net/api/npm/${repo}/`])),
      ),
      fc.constantFrom('_authToken', '_auth', 'username', '_password', 'email', 'always-auth'),
      npmSeparator(),
      npmValue(),
    )
    .map(([prefix, field, sep, value]) => line(`${prefix}:${field}${sep}${value}`));
};

/** A line of the person's own: a setting, a comment, a blank, another registry. */
const npmOther = (i: Instance, repo: string, sameHost = true): fc.Arbitrary<Line> =>
  fc.oneof(
    { weight: 3, arbitrary: blank() },
    { weight: 3, arbitrary: comment() },
    {
      weight: 5,
      arbitrary: fc
        .tuple(
          indent(),
          WORD.filter((w) => w !== 'registry'),
          npmSeparator(),
          npmValue(),
        )
        .map(([ind, key, sep, value]) => line(`${ind}${key}${sep}${value}`)),
    },
    { weight: 1, arbitrary: WORD.map((key) => line(key)) },
    // Not headers to npm: indented, or with more after the bracket.
    {
      weight: 1,
      arbitrary: fc.constantFrom('  [indented]', '[a]]', '[x] y', '\t[tab]').map((t) => line(t)),
    },
    { weight: 4, arbitrary: npmLookalike(i, repo, sameHost) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom('@other', '@acmex', '@ACME'), npmSeparator(), npmValue())
        .map(([scope, sep, value]) => line(`${scope}:registry${sep}${value}`)),
    },
  );

/**
 * Settings of Artikey's keys the person already has, which configure replaces and unconfigure
 * must give back: the registry (for every package or the scope), and a token read from the
 * environment (replaced only with replaceReferences).
 */
const npmOwnSetting = (i: Instance, repo: string, scope: string | null): fc.Arbitrary<Line> =>
  fc.oneof(
    fc
      .tuple(npmSeparator(), fc.constantFrom('https://registry.npmjs.org/', npmRegistryOf(i, repo)))
      .map(([sep, url]) =>
        line(`${scope === null ? 'registry' : `${scope}:registry`}${sep}${url}`, 'own-setting'),
      ),
    fc
      .tuple(npmSeparator(), fc.constantFrom('${NPM_TOKEN}', '${UNSET_TOKEN}', '"${NPM_TOKEN}"'))
      .map(([sep, ref]) => line(`${nerfDart(i, repo)}:_authToken${sep}${ref}`, 'own-reference')),
  );

/** `[section]` blocks at the end (npm reads their keys as `section.key`, never as top-level ones). */
const npmSection = (i: Instance, repo: string): fc.Arbitrary<Line[]> =>
  fc
    .tuple(
      fc.oneof(WORD, fc.constant(nerfDart(i, repo))),
      fc.array(
        fc.oneof(
          npmOther(i, repo),
          fc.constant(line(`${nerfDart(i, repo)}:_authToken=in-a-section`)),
        ),
        { maxLength: 4 },
      ),
    )
    .map(([name, body]) => [line(`[${name}]`), ...body]);

export const npmFile = (
  options: {
    own?: boolean;
    adopted?: (i: Instance, repo: string) => fc.Arbitrary<Line[]>;
    instance?: fc.Arbitrary<Instance>;
  } = {},
): fc.Arbitrary<NpmFileParts> =>
  fc
    .record({
      instance: options.instance ?? instance(),
      repo: fc.constantFrom('npm-virtual', 'npm', 'team.repo_1'),
      scope: fc.constantFrom(null, null, '@acme'),
    })
    .chain(({ instance: i, repo, scope }) =>
      fc
        .tuple(
          fc.array(npmOther(i, repo, options.adopted === undefined), { maxLength: 14 }),
          options.own === false
            ? fc.constant([])
            : fc.array(npmOwnSetting(i, repo, scope), { maxLength: 1 }),
          options.adopted?.(i, repo) ?? fc.constant([]),
          fc.array(npmSection(i, repo), { maxLength: 2 }),
          fc.nat(),
          fc.nat(),
        )
        .chain(([others, own, adopted, sections, at1, at2]) => {
          const top = [...others];
          top.splice(at1 % (top.length + 1), 0, ...own);
          top.splice(at2 % (top.length + 1), 0, ...adopted);
          return lined(fc.constant([...top, ...sections.flat()])).map((file) => ({
            instance: i,
            repo,
            scope,
            file,
          }));
        }),
    );

/** A plain-text credential for the instance's registry, as people wrote them before Artikey. */
export const npmAdoptable =
  (secret: string) =>
  (i: Instance, repo: string): fc.Arbitrary<Line[]> => {
    const dart = nerfDart(i, repo);
    const basic = Buffer.from(`old.user:${secret}`).toString('base64');
    const password = Buffer.from(secret).toString('base64');
    return fc.constantFrom<Line[]>(
      [line(`${dart}:_authToken=${secret}`, 'adopted')],
      [line(`${dart}:_auth=${basic}`, 'adopted')],
      [
        line(`${dart}:username=old.user`, 'adopted'),
        line(`${dart}:_password=${password}`, 'adopted'),
      ],
    );
  };

// ---------------------------------------------------------------------------------------------
// pip.conf and .pypirc (configparser)

const iniKey = (): fc.Arbitrary<string> =>
  fc.oneof(
    WORD,
    fc.constantFrom('timeout', 'trusted-host', 'extra-index-url', 'find-links', 'no-cache-dir'),
  );

/** A value, sometimes continued on indented lines (configparser's multi-line values). */
const iniValueLines = (): fc.Arbitrary<string[]> =>
  fc
    .tuple(
      fc.oneof(
        { weight: 5, arbitrary: text(6) },
        { weight: 1, arbitrary: ENV_REFERENCE },
        { weight: 1, arbitrary: LONG_TEXT },
      ),
      fc.array(
        fc
          .tuple(fc.constantFrom(' ', '\t', '    '), text(5))
          .map(([ind, text]) => `${ind}x${text}`),
        { maxLength: 2 },
      ),
    )
    .map(([first, more]) => [first, ...more]);

/** `key = value` with its continuation lines (deeper than the key), all tagged alike. */
const iniSetting = (key: fc.Arbitrary<string>, tag = 'other'): fc.Arbitrary<Line[]> =>
  fc
    .tuple(key, iniSeparator(), iniValueLines())
    .map(([k, sep, [first, ...more]]) => [
      line(`${k}${sep}${first}`, tag),
      ...more.map((m) => line(m, tag)),
    ]);

/**
 * A section's lines all indented alike: configparser reads keys indented by the same amount as
 * keys, so a section may be indented as a whole (a deeper line would continue the one before).
 */
const sectionIndent = (): fc.Arbitrary<string> => fc.constantFrom('', '', '', ' ', '\t');
const indented = (lines: Line[], by: string): Line[] =>
  lines.map((l) => ({ ...l, text: `${by}${l.text}` }));

/** An index URL of another host that looks like the instance's, with its credentials. */
const lookalikeIndex = (i: Instance): fc.Arbitrary<string> =>
  lookalikeOf(i).map((h) => `https://someone:secret@${h}/artifactory/api/pypi/pypi/simple/`);

/** A section's body as groups of lines: a setting with its continuation lines is one group. */
const iniGroups = (i: Instance, extra: fc.Arbitrary<Line[]>[] = []): fc.Arbitrary<Line[][]> =>
  fc.array(
    fc.oneof(
      { weight: 2, arbitrary: blank().map((l) => [l]) },
      { weight: 2, arbitrary: comment().map((l) => [l]) },
      { weight: 4, arbitrary: iniSetting(iniKey()) },
      {
        weight: 1,
        arbitrary: fc
          .tuple(fc.constantFrom('extra-index-url', 'index-url'), iniSeparator(), lookalikeIndex(i))
          .map(([k, sep, url]) => [line(`${k}${sep}${url}`, `index:${k}`)]),
      },
      ...extra.map((arbitrary) => ({ weight: 1, arbitrary })),
    ),
    { maxLength: 6 },
  );

const iniBody = (i: Instance, extra: fc.Arbitrary<Line[]>[] = []): fc.Arbitrary<Line[]> =>
  iniGroups(i, extra).map((groups) => groups.flat());

/** `groups` with `added` between two of them (never between a key and its continuation lines). */
const insertGroup = (groups: Line[][], added: Line[], at: number): Line[] => {
  const all = [...groups];
  all.splice(at % (all.length + 1), 0, added);
  return all.flat();
};

const sectionHeader = (name: string): Line => line(`[${name}]`, `section:${name}`);

/** The lines before the first section: configparser allows only comments and blanks there. */
const preamble = (): fc.Arbitrary<Line[]> =>
  fc.array(fc.oneof(blank(), comment()), { maxLength: 3 });

export interface IniFileParts {
  instance: Instance;
  repo: string;
  file: LinedFile;
}

/**
 * pip.conf: [global], the per-command sections, look-alike section names, index URLs of other
 * hosts; `own` puts an index-url of the person's in [global] (spelt as pip allows), `adopted` a
 * URL with credentials for the instance.
 */
export const pipFile = (
  options: { own?: boolean; adopted?: (i: Instance, repo: string) => fc.Arbitrary<Line[]> } = {},
): fc.Arbitrary<IniFileParts> =>
  fc
    .record({ instance: instance(), repo: fc.constantFrom('pypi-remote', 'pypi') })
    .chain(({ instance: i, repo }) => {
      const own =
        options.own === false
          ? fc.constant<Line[]>([])
          : fc.oneof(
              fc.constant<Line[]>([]),
              iniSetting(
                fc.constantFrom('index-url', 'index_url', 'INDEX-URL', 'Index_Url'),
                'own-setting',
              ).map((ls) => ls.slice(0, 1)),
              fc
                .tuple(
                  fc.constantFrom('index-url', 'index_url'),
                  iniSeparator(),
                  fc.constantFrom(
                    'https://pypi.org/simple/',
                    `${i.platformUrl}artifactory/api/pypi/${repo}/simple/`,
                  ),
                )
                .map(([k, sep, url]) => [line(`${k}${sep}${url}`, 'own-setting')]),
            );
      const adopted = options.adopted?.(i, repo) ?? fc.constant<Line[]>([]);
      return fc
        .tuple(
          preamble(),
          fc.array(
            fc.tuple(
              fc.constantFrom('global', 'install', 'freeze', ' global', 'Global', 'global.x'),
              iniBody(i),
              sectionIndent(),
            ),
            { maxLength: 3 },
          ),
          fc.boolean(),
          iniGroups(i),
          sectionIndent(),
          own,
          adopted,
          fc.nat(),
        )
        .chain(([pre, sections, globalFirst, groups, by, ownLines, adoptedLines, at]) => {
          const body = insertGroup(groups, [...ownLines, ...adoptedLines], at);
          const hasGlobal = ownLines.length + adoptedLines.length > 0 || globalFirst;
          const global = hasGlobal ? [sectionHeader('global'), ...indented(body, by)] : [];
          const others = sections
            .filter(([name]) => name !== 'global')
            .flatMap(([name, lines, ind]) => [sectionHeader(name), ...indented(lines, ind)]);
          return lined(fc.constant([...pre, ...global, ...others])).map((file) => ({
            instance: i,
            repo,
            file,
          }));
        });
    });

/**
 * What unconfigure gives back of a pip.conf whose `[global] index-url` Artikey replaced: the
 * person's URL without its user and password (the state file never holds a secret; pip keeps the
 * same index rather than silently falling back to PyPI). Everything else byte for byte.
 */
export function pipGivenBack(file: LinedFile): string {
  let section: string | null = null;
  let done = false;
  const lines = file.lines.map((l) => {
    if (l.tag.startsWith('section:')) section = l.tag.slice('section:'.length);
    if (section !== 'global' || done || l.tag !== 'index:index-url') return l;
    done = true;
    // As the WHATWG parser writes it back (host lower-cased), or by hand where it refuses the host.
    const url = /https:\/\/\S+/.exec(l.text)![0];
    let stripped = url.replace('someone:secret@', '');
    try {
      const parsed = new URL(url);
      parsed.username = '';
      parsed.password = '';
      stripped = parsed.toString();
    } catch {
      // kept as stripped by hand
    }
    return { ...l, text: l.text.replace(url, stripped) };
  });
  return assemble({ ...file, lines });
}

/** `[global] index-url` with the instance's index and a password in it. */
export const pipAdoptable =
  (secret: string) =>
  (i: Instance, repo: string): fc.Arbitrary<Line[]> => {
    const url = new URL(`${i.platformUrl}artifactory/api/pypi/${repo}/simple/`);
    url.username = 'old.user';
    url.password = encodeURIComponent(secret);
    return iniSeparator().map((sep) => [line(`index-url${sep}${url.toString()}`, 'adopted')]);
  };

/**
 * .pypirc: [distutils] index-servers (one line or several, or none: twine's own pypi and
 * testpypi), the person's repository sections, look-alikes of Artikey's section; `own` gives
 * Artikey's section settings of the person's, `adopted` a password for the instance there.
 */
export const pypircFile = (
  section: string,
  options: { own?: boolean; adopted?: (i: Instance, repo: string) => fc.Arbitrary<Line[]> } = {},
): fc.Arbitrary<IniFileParts> =>
  fc
    .record({ instance: instance(), repo: fc.constantFrom('pypi-local', 'pypi') })
    .chain(({ instance: i, repo }) => {
      const servers = fc.subarray(
        ['pypi', 'testpypi', 'corp', `${section}x`, section.toUpperCase()],
        {
          minLength: 0,
        },
      );
      const list = fc.oneof(
        fc.constant<Line[] | null>(null),
        fc
          .tuple(servers, iniSeparator(), fc.boolean(), fc.constantFrom(' ', '    ', '\t'))
          .map(([names, sep, multiline, ind]) =>
            multiline
              ? [line(`index-servers${sep}`), ...names.map((n) => line(`${ind}${n}`))]
              : [line(`index-servers${sep}${names.join(' ')}`)],
          ),
      );
      const repoSection = (name: string): fc.Arbitrary<Line[]> =>
        fc
          .tuple(
            iniBody(i, [
              fc.constantFrom<Line[]>(
                [line('repository = https://upload.pypi.org/legacy/')],
                [line('username = __token__')],
                [line(`password = pypi-${name}-secret`)],
              ),
            ]),
            sectionIndent(),
          )
          .map(([body, by]) => [sectionHeader(name), ...indented(body, by)]);
      const ownSection = fc
        .tuple(
          options.own === false
            ? fc.constant<Line[]>([])
            : fc.subarray(
                [
                  line(`repository = ${i.platformUrl}artifactory/api/pypi/${repo}`, 'own-setting'),
                  line('username = someone.else', 'own-setting'),
                ],
                { minLength: 0 },
              ),
          options.adopted?.(i, repo) ?? fc.constant<Line[]>([]),
          iniGroups(i),
          fc.nat(),
          sectionIndent(),
          fc.boolean(),
        )
        .map(([own, adopted, groups, at, by, present]) =>
          own.length + adopted.length > 0 || present
            ? [
                sectionHeader(section),
                ...indented(insertGroup(groups, [...own, ...adopted], at), by),
              ]
            : [],
        );
      return fc
        .tuple(
          preamble(),
          list,
          fc.array(fc.constantFrom('pypi', 'testpypi', 'corp', `${section}x`, 'server-login'), {
            maxLength: 3,
          }),
          ownSection,
          fc.nat(),
        )
        .chain(([pre, listLines, names, own, at]) =>
          fc.tuple(...[...new Set(names)].map(repoSection)).map((sections) => {
            const all = [...sections];
            all.splice(at % (all.length + 1), 0, own);
            const distutils = listLines === null ? [] : [sectionHeader('distutils'), ...listLines];
            return [...pre, ...distutils, ...all.flat()];
          }),
        )
        .chain((lines) => lined(fc.constant(lines)))
        .map((file) => ({ instance: i, repo, file }));
    });

/** A twine section with the instance's repository and a plain-text password. */
export const pypircAdoptable =
  (secret: string) =>
  (i: Instance, repo: string): fc.Arbitrary<Line[]> =>
    fc.constant([
      line(`repository = ${i.platformUrl}artifactory/api/pypi/${repo}`, 'adopted-url'),
      line(`password = ${secret}`, 'adopted'),
    ]);
