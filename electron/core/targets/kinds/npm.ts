import { join } from 'node:path';
import { editIni, findIniEntry, npmRegistryKey } from '../ini-file.js';
import { putBack, rememberPrevious } from '../restore-notes.js';
import { NPMRC_UNSAFE } from '../safe-values.js';
import { invalidOption, type Cleanup, type TargetKindDefinition } from './definition.js';
import type { NpmSpec } from './npm-spec.js';

/** The registry's other credential keys, the old copy: only `_authToken` is Artikey's. */
export interface NpmKeysCleanup extends Cleanup {
  kind: 'npm-keys';
  keys: string[];
}

const registrySettingKey = (scope: string | null): string =>
  scope ? `${scope}:registry` : 'registry';

export const npm: TargetKindDefinition<NpmSpec, NpmKeysCleanup> = {
  kind: 'npm',
  holdsToken: true,
  needsUsername: false,
  secretFormat: 'ini',
  scanTool: 'npm',
  sameEntry: (a, b) => a.registryUrl === b.registryUrl,
  defaultPath: ({ env, home }) =>
    env['NPM_CONFIG_USERCONFIG'] ?? env['npm_config_userconfig'] ?? join(home, '.npmrc'),
  fromRequest: ({ options, artifactoryUrl, path, repo }) => {
    const scope = options.scope?.trim() || null;
    if (scope !== null && !/^@[a-z0-9][a-z0-9._~-]*$/.test(scope))
      throw invalidOption(`--scope "${scope}" is not an npm scope such as @acme`);
    return {
      kind: 'npm',
      path,
      registryUrl: `${artifactoryUrl}api/npm/${repo('npm')}/`,
      scope,
      setRegistry: options.setRegistry === true || scope !== null,
    };
  },
  describe: (spec) =>
    `npm: ${spec.registryUrl}${spec.scope ? ` for ${spec.scope}` : ''} in ${spec.path}`,
  checkBelongs: (spec, instance) => instance.sameHost(spec.registryUrl),
  fields: (spec, { token }) => [
    '.npmrc',
    [
      ['registry URL', spec.registryUrl, NPMRC_UNSAFE],
      ['scope', spec.scope ?? '', NPMRC_UNSAFE],
      ['token', token, NPMRC_UNSAFE],
    ],
  ],
  writer:
    (spec, { token }, restore, replaceReferences) =>
    (text) => {
      const tokenKey = npmRegistryKey(spec.registryUrl, '_authToken');
      const set: Record<string, string> = { [tokenKey]: token };
      if (spec.setRegistry) set[registrySettingKey(spec.scope)] = spec.registryUrl;
      if (restore !== null && text !== null)
        for (const key of Object.keys(set))
          rememberPrevious(restore, key, findIniEntry(text, 'npmrc', null, key), key === tokenKey);
      return editIni(text, { section: null, set, replaceReferences }, 'npmrc');
    },
  remover: (record) => {
    const keys = [npmRegistryKey(record.registryUrl, '_authToken')];
    if (record.setRegistry) keys.push(registrySettingKey(record.scope));
    return (text) => editIni(text, { section: null, ...putBack(record.restore, keys) }, 'npmrc');
  },
  ownsEntry: (spec, credential) =>
    credential.location === npmRegistryKey(spec.registryUrl, '_authToken'),
  adopt: (credential, instance) => {
    const match = /^(\/\/.+\/):(_authToken|_auth|_password|username)$/.exec(credential.location);
    if (!match?.[1])
      return 'not a registry-scoped npm key; move it to a //host/path/:_authToken entry first';
    const scope = match[1];
    return {
      target: {
        kind: 'npm',
        path: credential.file,
        registryUrl: `${new URL(instance.platformUrl).protocol}${scope}`,
        scope: null,
        setRegistry: false,
      },
      cleanup: {
        kind: 'npm-keys',
        path: credential.file,
        keys: ['_auth', '_password', 'username'].map((field) => `${scope}:${field}`),
      },
    };
  },
  cleanup: {
    kind: 'npm-keys',
    secret: true,
    edit: (text, { keys }) => editIni(text, { section: null, remove: keys }, 'npmrc'),
  },
};
