import { basename } from 'node:path';
import { currentEnvironment } from '../../paths.js';
import { withoutCredentials } from '../../scan/classify.js';
import { uvConfigFile } from '../../scan/locations.js';
import { rememberPrevious } from '../restore-notes.js';
import {
  editToml,
  readToml,
  tomlTableExists,
  type TomlEdit,
  type TomlTable,
} from '../toml-file.js';
import { invalidOption, type TargetKindDefinition, type TargetRequest } from './definition.js';
import { netrc } from './netrc.js';
import type { UvSpec } from './uv-spec.js';

/**
 * uv with an Artifactory PyPI repository: an `[[index]]` in the user's uv.toml, and its
 * credentials in .netrc, which uv always reads (`$NETRC`, else `~/.netrc`) and which Artikey
 * already keeps current; uv.toml never holds a secret. The netrc entry is the index's companion:
 * written first, taken out with it; a refresh rewrites the netrc entry alone.
 */

/** uv's rule for index names: ASCII letters, digits, `-`, `_` and `.`. */
const NAME = /^[A-Za-z0-9._-]+$/;

/** `--section`, else the instance's name as uv can hold it, else `artifactory`. */
function nameFor({ options, instanceName }: TargetRequest): string {
  const asked = options.section?.trim();
  if (asked) {
    if (!NAME.test(asked))
      throw invalidOption(
        `--section "${asked}" is not a uv index name: use letters, digits, '.', '_' or '-'`,
      );
    return asked;
  }
  const derived = (instanceName ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  return derived === '' ? 'artifactory' : derived;
}

const tableOf = (spec: { name: string }): TomlTable => ['index', { key: 'name', is: spec.name }];
const keysOf = (spec: { setDefault: boolean }): string[] =>
  spec.setDefault ? ['url', 'default'] : ['url'];
/** Noted in `restore` when the person's uv.toml had an index of this name before Artikey's first write. */
const EXISTED = '[[index]] existed';

/**
 * What `key` held, as `rememberPrevious` notes it: as the file spells it, or a URL with a password
 * in it as that URL without one, so uv keeps using the index once Artikey's entry goes.
 */
function previous(text: string, spec: UvSpec, key: string, file: string) {
  const found = readToml(text, tableOf(spec), key, file);
  if (found === undefined) return undefined;
  if (typeof found.value !== 'string') return { value: found.raw, raw: found.raw };
  const bare = withoutCredentials(found.value);
  return bare === found.value
    ? { value: found.value, raw: found.raw }
    : { value: bare, raw: JSON.stringify(bare) };
}

export const uv: TargetKindDefinition<UvSpec> = {
  kind: 'uv',
  holdsToken: false,
  // Its companion sends Basic user:token from .netrc.
  needsUsername: true,
  secretFormat: 'toml',
  scanTool: 'uv',
  sameEntry: (a, b) => a.name === b.name,
  defaultPath: uvConfigFile,
  fromRequest: (request) => ({
    kind: 'uv',
    path: request.path,
    name: nameFor(request),
    url: `${request.artifactoryUrl}api/pypi/${request.repo('pypi')}/simple`,
    setDefault: request.options.setRegistry === true,
    netrcPath: netrc.defaultPath(request.environment),
  }),
  describe: (spec) =>
    `uv: [[index]] ${spec.name} (${spec.url})${spec.setDefault ? ' as the default index' : ''} in ${spec.path}, its credentials in ${spec.netrcPath}`,
  checkBelongs: (spec, instance) => instance.sameHost(spec.url),
  fields: (spec) => [
    basename(spec.path),
    [
      ['index name', spec.name, /[^A-Za-z0-9._-]/u],
      ['index URL', spec.url],
    ],
  ],
  writer: (spec, _credentials, restore) => (text) => {
    const file = basename(spec.path);
    const table = tableOf(spec);
    if (restore !== null && text !== null && tomlTableExists(text, table, file)) {
      restore[EXISTED] ??= 'yes';
      for (const key of keysOf(spec))
        rememberPrevious(restore, key, previous(text, spec, key, file), false);
    }
    const set: Record<string, string | boolean> = { url: spec.url, default: true };
    return editToml(
      text,
      keysOf(spec).map((key): TomlEdit => ({ table, key, set: set[key]! })),
      file,
    );
  },
  remover: (record) => (text) => {
    const table = tableOf(record);
    const keys = keysOf(record);
    const edits: TomlEdit[] =
      record.restore[EXISTED] === undefined
        ? [{ table, removeTable: true, ownKeys: ['name', ...keys] }]
        : keys.map((key): TomlEdit => {
            const raw = record.restore[key];
            return raw === undefined ? { table, key, remove: true } : { table, key, putBack: raw };
          });
    return editToml(text, edits, basename(record.path));
  },
  // The credentials are netrc's: uv.toml holds none of Artikey's.
  ownsEntry: () => false,
  adopt: (credential, instance) => {
    const name = /^index\[(".*")\]\.url$/.exec(credential.location)?.[1];
    const parsed = name === undefined ? undefined : (JSON.parse(name) as string);
    if (parsed === undefined || !NAME.test(parsed))
      return 'not the URL of a named [[index]]; give the index a name (name = "…") first';
    if (credential.url === null) return 'the index has no URL';
    return {
      target: {
        kind: 'uv',
        path: credential.file,
        name: parsed,
        url: credential.url,
        setDefault: false,
        netrcPath: netrc.defaultPath(instance.environment ?? currentEnvironment()),
      },
      cleanup: null,
    };
  },
  companion: (spec) => ({
    kind: 'netrc',
    path: spec.netrcPath,
    machine: new URL(spec.url).hostname,
  }),
};
