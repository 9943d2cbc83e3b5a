import { join } from 'node:path';
import { editIni, findIniEntry, hasIniSection, sectionNote } from '../ini-file.js';
import { rememberPrevious, withCredentials } from '../restore-notes.js';
import { BASIC_USER_UNSAFE } from '../safe-values.js';
import { type TargetKindDefinition } from './definition.js';
import type { PipSpec } from './pip-spec.js';

/** `user:password@` as urllib splits it: the host part ends at `/`, `?` or `#`, the user at its last `@`. */
const USER_INFO = /^([a-z][a-z0-9+.-]*:\/\/)[^/?#\s]*@/i;

/**
 * An index URL the WHATWG parser refuses (pip's urllib reads `https://u:p@sub.10.0.0.1/` all the
 * same) keeps no user and password either: taken off by hand, so the state file never holds them.
 */
function withoutUserInfo<E extends { value: string; raw: string }>(entry: E): E {
  if (!USER_INFO.test(entry.value)) return entry;
  try {
    new URL(entry.value);
    return entry; // rememberPrevious strips it as a URL
  } catch {
    const stripped = entry.value.replace(USER_INFO, '$1');
    return { ...entry, value: stripped, raw: stripped };
  }
}

export const pip: TargetKindDefinition<PipSpec> = {
  kind: 'pip',
  holdsToken: true,
  needsUsername: true,
  secretFormat: 'ini',
  scanTool: 'pip',
  sameEntry: () => true,
  defaultPath: ({ platform, env, home }) => {
    if (platform === 'win32')
      return join(env['APPDATA'] ?? join(home, 'AppData', 'Roaming'), 'pip', 'pip.ini');
    if (platform === 'darwin')
      return join(home, 'Library', 'Application Support', 'pip', 'pip.conf');
    return join(
      env['XDG_CONFIG_HOME']?.startsWith('/') ? env['XDG_CONFIG_HOME'] : join(home, '.config'),
      'pip',
      'pip.conf',
    );
  },
  fromRequest: ({ artifactoryUrl, path, repo }) => ({
    kind: 'pip',
    path,
    indexUrl: `${artifactoryUrl}api/pypi/${repo('pypi')}/simple/`,
  }),
  describe: (spec) => `pip: index-url ${spec.indexUrl} in ${spec.path}`,
  checkBelongs: (spec, instance) => instance.sameHost(spec.indexUrl),
  fields: (spec, { username, token }) => [
    'pip.conf',
    [
      ['index URL', spec.indexUrl],
      ['user name', username, BASIC_USER_UNSAFE],
      ['token', token],
    ],
  ],
  writer:
    (spec, { username, token }, restore, replaceReferences) =>
    (text) => {
      // Not a secret once stripped of the credentials a migrated URL carried (see rememberPrevious).
      if (restore !== null && text !== null) {
        const current = findIniEntry(text, 'pip', 'global', 'index-url');
        rememberPrevious(restore, 'index-url', current && withoutUserInfo(current), false);
        if (hasIniSection(text, 'pip', 'global')) restore[sectionNote('global')] = '';
      }
      return editIni(
        text,
        {
          section: 'global',
          set: { 'index-url': withCredentials(spec.indexUrl, username, token) },
          replaceReferences,
        },
        'pip',
      );
    },
  remover: (record) => {
    const previous = record.restore['index-url'];
    const change =
      previous === undefined
        ? { remove: ['index-url'], dropEmptySection: !(sectionNote('global') in record.restore) }
        : { putBack: { 'index-url': previous } };
    return (text) => editIni(text, { section: 'global', ...change }, 'pip');
  },
  ownsEntry: (_spec, credential) => credential.location === '[global] index-url',
  adopt: (credential) => {
    // Artikey writes [global] index-url: another section's index-url would keep its password.
    if (!credential.url || credential.location !== '[global] index-url')
      return `only [global] index-url is replaced; edit ${credential.location} by hand`;
    const url = new URL(credential.url);
    url.username = '';
    url.password = '';
    return {
      target: { kind: 'pip', path: credential.file, indexUrl: url.toString() },
      cleanup: null,
    };
  },
};
