import { dirname, join } from 'node:path';
import type { Environment } from '../../paths.js';
import { putBack, rememberPrevious } from '../restore-notes.js';
import { BASIC_USER_UNSAFE } from '../safe-values.js';
import { withoutCredentials } from '../../scan/classify.js';
import {
  editToml,
  HEADER_EXISTED,
  noteHeader,
  readToml,
  tomlString,
  type TomlEdit,
} from '../toml-file.js';
import { invalidOption, type TargetKindDefinition, type TargetRequest } from './definition.js';
import type { PoetryAuthSpec, PoetryRepositorySpec } from './poetry-spec.js';

/**
 * Poetry reads a config key as dotted words (`http-basic.<name>.password`,
 * `POETRY_HTTP_BASIC_<NAME>_PASSWORD`), so a name holding a dot is no name to it.
 */
const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
const AUTH_KEYS = ['username', 'password'];

/** Poetry's configuration folder (its `locations.CONFIG_DIR`, platformdirs' user config dir). */
export function poetryConfigDir({ platform, env, home }: Environment): string {
  if (env['POETRY_CONFIG_DIR']) return env['POETRY_CONFIG_DIR'];
  if (platform === 'win32')
    return join(env['APPDATA'] ?? join(home, 'AppData', 'Roaming'), 'pypoetry');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'pypoetry');
  const xdg = env['XDG_CONFIG_HOME'];
  return join(xdg?.startsWith('/') ? xdg : join(home, '.config'), 'pypoetry');
}

/** The name a person asked for (`--section`), else the instance's name as Poetry can hold it, else `artikey`. */
function nameFor({ options, instanceName }: TargetRequest): string {
  const asked = options.section?.trim();
  if (asked) {
    if (!NAME.test(asked))
      throw invalidOption(
        `--section "${asked}" is not a Poetry repository name: use letters, digits, '_' or '-'`,
      );
    return asked;
  }
  const derived = (instanceName ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[^a-z0-9]+|-+$/g, '');
  return derived === '' ? 'artikey' : derived;
}

/** Artifactory "Publish to a PyPI Repository": Poetry, like twine, posts to the repository URL itself. */
const repositoryUrl = (request: TargetRequest): string =>
  `${request.artifactoryUrl}api/pypi/${request.repo('pypi')}`;

/** Each key Artikey wrote goes back to what the table held, or goes, and with the last the table. */
const undo = (table: string[], restore: Record<string, string>, keys: string[]): TomlEdit[] => {
  const { putBack: given, remove } = putBack(restore, keys);
  return [
    ...Object.entries(given).map(([key, raw]): TomlEdit => ({ table, key, putBack: raw })),
    ...remove.map((key): TomlEdit => ({
      table,
      key,
      remove: true,
      dropEmptyTable: !(HEADER_EXISTED in restore),
    })),
  ];
};

const noteBefore = (
  restore: Record<string, string> | null,
  text: string | null,
  table: string[],
  keys: string[],
  file: string,
): void => {
  if (restore === null || text === null) return;
  noteHeader(restore, text, table, file);
  for (const key of keys) {
    const found = readToml(text, table, key, file);
    rememberPrevious(restore, key, found && noted(found), key === 'password');
  }
};

/** A value as the file spells it, or a URL with a password in it as that URL alone, written as TOML. */
function noted(found: { value: unknown; raw: string }): { value: string; raw: string } {
  if (typeof found.value !== 'string') return { value: String(found.value), raw: found.raw };
  const bare = withoutCredentials(found.value);
  return bare === found.value
    ? { value: found.value, raw: found.raw }
    : { value: bare, raw: tomlString(bare) };
}

/** auth.toml: `[http-basic.<name>]`, the token as password, rewritten on every refresh. */
export const poetryAuth: TargetKindDefinition<PoetryAuthSpec> = {
  kind: 'poetry-auth',
  holdsToken: true,
  needsUsername: true,
  secretFormat: 'toml',
  scanTool: 'poetry',
  sameEntry: (a, b) => a.name === b.name,
  defaultPath: (environment) => join(poetryConfigDir(environment), 'auth.toml'),
  fromRequest: (request) => ({
    kind: 'poetry-auth',
    path: request.path,
    name: nameFor(request),
    url: repositoryUrl(request),
    // Beside auth.toml, where Poetry's POETRY_CONFIG_DIR (or a --file's folder) has both.
    configPath: join(dirname(request.path), 'config.toml'),
  }),
  describe: (spec) =>
    `Poetry: [repositories.${spec.name}] ${spec.url} in ${spec.configPath}, its credentials [http-basic.${spec.name}] in ${spec.path}`,
  checkBelongs: (spec, instance) => instance.sameHost(spec.url),
  fields: (spec, { username, token }) => [
    'auth.toml',
    [
      ['repository name', spec.name, /[^A-Za-z0-9_-]/u],
      ['user name', username, BASIC_USER_UNSAFE],
      ['token', token],
    ],
  ],
  writer:
    (spec, { username, token }, restore) =>
    (text) => {
      const table = ['http-basic', spec.name];
      noteBefore(restore, text, table, AUTH_KEYS, 'auth.toml');
      return editToml(
        text,
        [
          { table, key: 'username', set: username },
          { table, key: 'password', set: token },
        ],
        'auth.toml',
      );
    },
  remover: (record) => (text) =>
    editToml(text, undo(['http-basic', record.name], record.restore, AUTH_KEYS), 'auth.toml'),
  ownsEntry: (spec, credential) => credential.location === `http-basic.${spec.name}.password`,
  adopt: (credential) => {
    const name = /^http-basic\.(.+)\.password$/.exec(credential.location)?.[1];
    if (name === undefined || !NAME.test(name))
      return 'not an [http-basic.<name>] password Artikey can take over; edit it by hand';
    if (credential.url === null)
      return `repository ${name} has no url in Poetry's config.toml; configure poetry with --repo instead`;
    const configPath = join(dirname(credential.file), 'config.toml');
    return {
      target: { kind: 'poetry-auth', path: credential.file, name, url: credential.url, configPath },
      cleanup: null,
    };
  },
  // config.toml's repository first, so the credentials are never for a name Poetry does not know.
  companion: (spec) => ({
    kind: 'poetry-repository',
    path: spec.configPath,
    name: spec.name,
    url: spec.url,
  }),
};

/** config.toml: `[repositories.<name>] url`, no secret; written with the credentials by `configure poetry`. */
export const poetryRepository: TargetKindDefinition<PoetryRepositorySpec> = {
  kind: 'poetry-repository',
  holdsToken: false,
  needsUsername: false,
  secretFormat: 'toml',
  scanTool: 'poetry',
  sameEntry: (a, b) => a.name === b.name,
  defaultPath: (environment) => join(poetryConfigDir(environment), 'config.toml'),
  fromRequest: (request) => ({
    kind: 'poetry-repository',
    // Beside the auth.toml a --file names, where Poetry's POETRY_CONFIG_DIR would find both.
    path: request.options.file ? join(dirname(request.path), 'config.toml') : request.path,
    name: nameFor(request),
    url: repositoryUrl(request),
  }),
  describe: (spec) =>
    `Poetry: [repositories.${spec.name}] ${spec.url} in ${spec.path} (poetry publish -r ${spec.name})`,
  checkBelongs: (spec, instance) => instance.sameHost(spec.url),
  fields: (spec) => [
    'config.toml',
    [
      ['repository name', spec.name, /[^A-Za-z0-9_-]/u],
      ['repository URL', spec.url],
    ],
  ],
  writer: (spec, _credentials, restore) => (text) => {
    const table = ['repositories', spec.name];
    noteBefore(restore, text, table, ['url'], 'config.toml');
    return editToml(text, [{ table, key: 'url', set: spec.url }], 'config.toml');
  },
  remover: (record) => (text) =>
    editToml(text, undo(['repositories', record.name], record.restore, ['url']), 'config.toml'),
  ownsEntry: () => false,
};
