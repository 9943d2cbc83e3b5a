import {
  editGoEnv,
  goEnvPath,
  readGoEnv,
  rewriteGoEnvLines,
  type GoEnvEdit,
} from '../go-env-file.js';
import type { Field } from '../safe-values.js';
import { invalidOption, type Cleanup, type TargetKindDefinition } from './definition.js';
import type { GoSpec } from './go-spec.js';
import { netrc } from './netrc.js';

/**
 * Go through Artifactory: `GOPROXY=<artifactory>/api/go/<repo>` in the Go env file, the token in
 * the `.netrc` entry for the proxy's host (the `netrc` kind's entry, this one's companion), which
 * is where the go command takes a proxy's credentials from (Go's `auth.AddCredentials`; it sends
 * them to https:// proxies only). The env file never holds a secret, so a refresh leaves it alone.
 *
 * GOPROXY is the repository alone, without `,direct`: Artifactory resolves Go only through a
 * virtual repository, whose remotes reach proxy.golang.org or the VCS hosts, and JFrog's own
 * GOPROXY examples (KB "Setting up a separate GOSUMDB repository") name the repository alone. With
 * `,direct`, a module Artifactory answers 404 for (excluded, blocked, not there) would be
 * fetched straight from its VCS, silently around Artifactory. A GOPROXY list that already names
 * the repository (migrate's case: with credentials in it) is kept, only its credentials go.
 */

const KEYS = ['GOPROXY', 'GONOSUMDB', 'GOPRIVATE'] as const;

/**
 * `scheme://user:password@host…` without the `user:password@`, every other byte as written. As
 * Go's url.Parse reads it: the authority ends at the first `/`, `?` or `#`, and the user
 * information runs to its last `@` (`build@corp:secret@host` is user `build@corp`).
 */
const withoutUserinfo = (entry: string): string =>
  entry.replace(/^(\s*[A-Za-z][A-Za-z0-9+.-]*:\/\/)[^/?#]*@/, '$1');

/** GOPROXY is a list of URLs (and `direct`/`off`), each followed by `,` or `|`. */
const proxyList = (value: string): string[] => value.split(/([,|])/);

const sameProxy = (entry: string, url: string): boolean => {
  const plain = (text: string): string => withoutUserinfo(text).trim().replace(/\/+$/, '');
  return plain(entry).toLowerCase() === plain(url).toLowerCase();
};

/** What GOPROXY becomes: the repository, or the person's list naming it without its credentials. */
function proxyValue(current: string | undefined, proxyUrl: string): string {
  const parts = current === undefined ? [] : proxyList(current);
  const names = parts.some((part, at) => at % 2 === 0 && sameProxy(part, proxyUrl));
  if (!names) return proxyUrl;
  return parts.map((part, at) => (at % 2 === 0 ? withoutUserinfo(part) : part)).join('');
}

/** The settings a spec writes: GOPROXY always, the others when asked for. */
const keysOf = (spec: GoSpec): string[] => [
  'GOPROXY',
  ...(spec.noSumDb === null ? [] : ['GONOSUMDB']),
  ...(spec.private === null ? [] : ['GOPRIVATE']),
];

/** Go's module path patterns: a comma-separated list of globs; null when not asked for. */
function patterns(given: string | undefined, option: string): string | null {
  const value = given?.trim();
  if (value === undefined || value === '') return null;
  if (/\s/.test(value))
    throw invalidOption(
      `--${option} takes Go's comma-separated module patterns without spaces, e.g. github.com/acme/*,corp.example.com`,
    );
  return value;
}

/** Go sends a .netrc entry over https only (Go's `web.get`): a plain-HTTP proxy would get none. */
const HTTPS_ONLY = (url: string): string =>
  `the go command sends .netrc credentials only over https, and ${url} is plain HTTP: it would fetch without them`;

const FILE = 'the Go env file';

/**
 * Migrate's cleanup: the adopted proxy's credentials in the GOPROXY lines a later one overrides.
 * The go command never reads those lines, so the writer (which changes the line it reads) leaves
 * them, but the secret would stay on disk and the scan would find it again.
 */
export interface GoProxyCredentialsCleanup extends Cleanup {
  kind: 'go-proxy-credentials';
  proxyUrl: string;
}

/** The proxy's own entries of a GOPROXY list without their user:password@; a `${VAR}` one is no secret and stays. */
const withoutCredentialsFor = (value: string, proxyUrl: string): string =>
  proxyList(value)
    .map((part, at) =>
      at % 2 === 0 && sameProxy(part, proxyUrl) && !part.includes('${')
        ? withoutUserinfo(part)
        : part,
    )
    .join('');

export const go: TargetKindDefinition<GoSpec, GoProxyCredentialsCleanup> = {
  kind: 'go',
  holdsToken: false,
  // The companion .netrc entry sends Basic user:token.
  needsUsername: true,
  secretFormat: 'properties',
  scanTool: 'go',
  // GOPROXY has one value per file.
  sameEntry: () => true,
  defaultPath: (environment) => {
    const found = goEnvPath(environment);
    if ('none' in found) throw invalidOption(found.none);
    return found.path;
  },
  fromRequest: ({ options, artifactoryUrl, path, repo, environment }) => ({
    kind: 'go',
    path,
    proxyUrl: `${artifactoryUrl}api/go/${repo('go')}`,
    noSumDb: patterns(options.noSumDb, 'nosumdb'),
    private: patterns(options.goPrivate, 'private'),
    netrcPath: netrc.defaultPath(environment),
  }),
  describe: (spec) =>
    `Go: GOPROXY=${spec.proxyUrl}${spec.noSumDb === null ? '' : ` GONOSUMDB=${spec.noSumDb}`}${spec.private === null ? '' : ` GOPRIVATE=${spec.private}`} in ${spec.path}, its credentials in ${spec.netrcPath}`,
  // Checked before every configure and preview (the window still shows the URL it would write).
  checkBelongs: (spec, instance) => {
    instance.sameHost(spec.proxyUrl);
    if (!spec.proxyUrl.startsWith('https:')) throw invalidOption(HTTPS_ONLY(spec.proxyUrl));
  },
  fields: (spec) => [
    FILE,
    [
      ['GOPROXY', spec.proxyUrl, /[\s,|]/u],
      ...(spec.noSumDb === null ? [] : [['GONOSUMDB', spec.noSumDb, /\s/u] satisfies Field]),
      ...(spec.private === null ? [] : [['GOPRIVATE', spec.private, /\s/u] satisfies Field]),
    ],
  ],
  writer: (spec, _credentials, restore) => (text) => {
    // Every key Artikey may set is noted on the first write, as the line spelt it (a later
    // configure may add --nosumdb): a GOPROXY with credentials in it is noted without them.
    if (restore !== null && text !== null)
      for (const key of KEYS) {
        const value = readGoEnv(text, key);
        if (value !== undefined && !(key in restore))
          restore[key] = proxyList(value).map(withoutUserinfo).join('');
      }
    const values: Record<string, string | null> = {
      GOPROXY: proxyValue(text === null ? undefined : readGoEnv(text, 'GOPROXY'), spec.proxyUrl),
      GONOSUMDB: spec.noSumDb,
      GOPRIVATE: spec.private,
    };
    return editGoEnv(
      text,
      keysOf(spec).map((key): GoEnvEdit => ({ key, set: values[key] ?? '' })),
    );
  },
  remover: (record) => (text) =>
    editGoEnv(
      text,
      keysOf(record).map((key): GoEnvEdit =>
        key in record.restore ? { key, set: record.restore[key]! } : { key, remove: true },
      ),
    ),
  // Artikey never writes a credential into the env file: one found there is the person's.
  ownsEntry: () => false,
  adopt: (credential, instance) => {
    if (credential.location !== 'GOPROXY' || credential.url === null)
      return 'not a GOPROXY URL; configure go with --repo instead';
    if (!credential.url.startsWith('https:')) return HTTPS_ONLY(credential.url);
    if (instance.environment === undefined)
      return 'Artikey cannot tell which .netrc the go command reads here; configure go with --repo instead';
    return {
      target: {
        kind: 'go',
        path: credential.file,
        proxyUrl: credential.url,
        noSumDb: null,
        private: null,
        netrcPath: netrc.defaultPath(instance.environment),
      },
      cleanup: { kind: 'go-proxy-credentials', path: credential.file, proxyUrl: credential.url },
    };
  },
  cleanup: {
    kind: 'go-proxy-credentials',
    secret: false,
    edit: (text, { proxyUrl }) =>
      rewriteGoEnvLines(text, 'GOPROXY', (value) => withoutCredentialsFor(value, proxyUrl)),
  },
  // The .netrc entry first, so GOPROXY never names a repository the go command has no credentials for.
  companion: (spec) => ({
    kind: 'netrc',
    path: spec.netrcPath,
    machine: new URL(spec.proxyUrl).hostname,
  }),
};
