import { join } from 'node:path';
import type { Environment } from '../paths.js';
import {
  editDockerConfig,
  HELPER_NAME,
  replacedBy,
  type DockerConfigChange,
} from './docker-config.js';
import { editIni, findIniEntry, npmRegistryKey, type IniDialect } from './ini-file.js';
import { editProperties, readProperties } from './java-properties.js';
import {
  BASIC_USER_UNSAFE,
  NETRC_UNSAFE,
  NPMRC_UNSAFE,
  PROPERTY_KEY_UNSAFE,
  requireSafeValues,
  type Field,
} from './safe-values.js';
import {
  editMavenSettings,
  entryFieldsText,
  readMavenSettings,
  type EntryFields,
} from './maven-settings.js';
import { editNetrc } from './netrc.js';
import {
  holdsToken,
  type TargetCredentials,
  type TargetKind,
  type TargetRecord,
  type TargetSpec,
} from './target-record.js';
import { editToolFile, readToolFile, type ToolFileEdit } from './tool-file.js';

export interface WriteOptions {
  /** Overwrite a value that refers to an environment variable (`${NPM_TOKEN}`). */
  replaceReferences?: boolean;
  /** The record of an earlier write of the same target: its restore values are kept. */
  previous?: TargetRecord;
}

/** Writes (or rewrites) the credentials into the target's file. */
export async function writeTarget(
  spec: TargetSpec,
  credentials: TargetCredentials,
  options: WriteOptions & {
    /** Sees what will be recorded (the real path, whether the file is new, what is being replaced) just before the file changes. */
    beforeWrite?: (file: { path: string; created: boolean; restore: Record<string, string> }) => Promise<void>;
  } = {},
): Promise<{ edit: ToolFileEdit; restore: Record<string, string> }> {
  const restore = { ...(options.previous?.restore ?? {}) };
  const beforeWrite = options.beforeWrite;
  const edit = await editToolFile(
    spec.path,
    writer(
      spec,
      credentials,
      options.previous ? null : restore,
      options.replaceReferences ?? false,
    ),
    // A first write may overwrite what the person had at the entry's keys (a plain-text token, a
    // `${VAR}` taken over with --replace-references, their own registry=): that is backed up.
    // A rewrite changes only Artikey's own entry, and a plain addition takes nothing away.
    {
      secret: holdsToken(spec),
      ...(options.previous ? {} : { backup: 'if-replacing' as const }),
      ...(beforeWrite ? { beforeWrite: (file: { path: string; created: boolean }) => beforeWrite({ ...file, restore }) } : {}),
    },
  );
  return { edit, restore };
}

/**
 * The text `writeTarget` would write, from the file's current text (null: no file yet), without
 * touching the disk: the dry run behind a preview. `restore` is not recorded anywhere.
 */
export function renderTarget(
  spec: TargetSpec,
  text: string | null,
  credentials: TargetCredentials,
  options: WriteOptions = {},
): string {
  const restore = { ...(options.previous?.restore ?? {}) };
  return writer(
    spec,
    credentials,
    options.previous ? null : restore,
    options.replaceReferences ?? false,
  )(text);
}

/**
 * Takes out exactly what Artikey wrote for this target, putting back what it replaced: nothing
 * of the person's goes, so no backup is taken.
 */
export async function removeTarget(record: TargetRecord): Promise<ToolFileEdit> {
  const remove = remover(record);
  return editToolFile(record.path, (text) => (text === null ? '' : remove(text)), {
    secret: false,
    deleteIfEmpty: record.createdFile,
  });
}

type Edit = (text: string | null) => string;

/**
 * `restore` receives what each setting held before Artikey's first write of the target (null on a
 * rewrite: the file then holds Artikey's own values, which removal must not put back).
 */
function writer(
  spec: TargetSpec,
  { username, token }: TargetCredentials,
  restore: Record<string, string> | null,
  replaceReferences: boolean,
): Edit {
  const noteIni = (
    text: string | null,
    dialect: IniDialect,
    section: string | null,
    keys: Record<string, boolean>,
  ): void => {
    if (restore === null || text === null) return;
    for (const [key, secret] of Object.entries(keys))
      rememberPrevious(restore, key, findIniEntry(text, dialect, section, key), secret);
  };
  const docker =
    (change: DockerConfigChange): Edit =>
    (text) => {
      if (restore !== null) Object.assign(restore, replacedBy(text, change));
      return editDockerConfig(text, change);
    };
  requireSafeValues(...fieldsOf(spec, { username, token }));
  switch (spec.kind) {
    case 'docker-helper':
      return docker({ helper: { hosts: spec.hosts, name: HELPER_NAME } });
    case 'docker-auths':
      return docker({ auths: { hosts: spec.hosts, username, secret: token } });
    case 'npm':
      return (text) => {
        const tokenKey = npmRegistryKey(spec.registryUrl, '_authToken');
        const set: Record<string, string> = { [tokenKey]: token };
        if (spec.setRegistry) set[npmRegistrySettingKey(spec.scope)] = spec.registryUrl;
        noteIni(
          text,
          'npmrc',
          null,
          Object.fromEntries(Object.keys(set).map((key) => [key, key === tokenKey])),
        );
        return editIni(text, { section: null, set, replaceReferences }, 'npmrc');
      };
    case 'maven': {
      const mirror = spec.mirror ? { mirror: { id: spec.serverId, ...spec.mirror } } : {};
      return (text) => {
        if (restore !== null && text !== null) noteMaven(restore, text, spec);
        return editMavenSettings(text, {
          server: { id: spec.serverId, username, password: token },
          ...mirror,
          replaceReferences,
        });
      };
    }
    case 'pip':
      return (text) => {
        // Not a secret once stripped of the credentials a migrated URL carried (see rememberPrevious).
        noteIni(text, 'pip', 'global', { 'index-url': false });
        return editIni(
          text,
          {
            section: 'global',
            set: { 'index-url': withCredentials(spec.indexUrl, username, token) },
            replaceReferences,
          },
          'pip',
        );
      };
    case 'netrc':
      return (text) => editNetrc(text, { machine: spec.machine, login: username, password: token });
    case 'gradle': {
      const set = {
        [`${spec.prefix}_user`]: username,
        [`${spec.prefix}_password`]: token,
        [`${spec.prefix}_contextUrl`]: spec.contextUrl,
      };
      return (text) => {
        if (restore !== null && text !== null) {
          const entries = readProperties(text);
          for (const key of Object.keys(set))
            rememberPrevious(
              restore,
              key,
              entries.find((e) => e.key === key),
              key === `${spec.prefix}_password`,
            );
        }
        return editProperties(text, { set, replaceReferences });
      };
    }
  }
}

/** Every value a target writes, named as the person knows it, with what its format cannot hold. */
function fieldsOf(spec: TargetSpec, { username, token }: TargetCredentials): [string, Field[]] {
  const user: Field = ['user name', username, BASIC_USER_UNSAFE];
  switch (spec.kind) {
    case 'docker-helper':
      return ['config.json', spec.hosts.map((host): Field => ['registry host', host])];
    case 'docker-auths':
      return [
        'config.json',
        [...spec.hosts.map((host): Field => ['registry host', host]), user, ['token', token]],
      ];
    case 'npm':
      return [
        '.npmrc',
        [
          ['registry URL', spec.registryUrl, NPMRC_UNSAFE],
          ['scope', spec.scope ?? '', NPMRC_UNSAFE],
          ['token', token, NPMRC_UNSAFE],
        ],
      ];
    case 'maven':
      return [
        'settings.xml',
        [
          ['server id', spec.serverId],
          ['mirror URL', spec.mirror?.url ?? ''],
          ['mirrorOf', spec.mirror?.mirrorOf ?? ''],
          user,
          ['token', token],
        ],
      ];
    case 'pip':
      return ['pip.conf', [['index URL', spec.indexUrl], user, ['token', token]]];
    case 'netrc':
      return [
        '.netrc',
        [
          ['machine', spec.machine, NETRC_UNSAFE],
          ['user name', username, NETRC_UNSAFE],
          ['token', token, NETRC_UNSAFE],
        ],
      ];
    case 'gradle':
      // Values are escaped for Properties.load (backslashes, separators, non-ASCII), so only
      // control characters, which would come back as line breaks in a credential, are refused.
      return [
        'gradle.properties',
        [
          ['property prefix', spec.prefix, PROPERTY_KEY_UNSAFE],
          ['context URL', spec.contextUrl],
          user,
          ['token', token],
        ],
      ];
  }
}

function remover(record: TargetRecord): (text: string) => string {
  switch (record.kind) {
    case 'docker-helper':
      return (text) =>
        editDockerConfig(text, {
          helper: { hosts: record.hosts, name: null, putBack: record.restore },
        });
    case 'docker-auths':
      return (text) =>
        editDockerConfig(text, {
          auths: { hosts: record.hosts, remove: true, putBack: record.restore },
        });
    case 'npm': {
      const keys = [npmRegistryKey(record.registryUrl, '_authToken')];
      if (record.setRegistry) keys.push(npmRegistrySettingKey(record.scope));
      return (text) => editIni(text, { section: null, ...putBack(record.restore, keys) }, 'npmrc');
    }
    case 'maven': {
      const { restore, serverId: id } = record;
      // An entry the user wrote (a server with a reference, a mirror) gets its fields back; one Artikey added goes.
      const given: EntryFields[] = [];
      if (MAVEN_PASSWORD in restore)
        given.push({ entry: 'server', id, fields: putBackFields(restore, 'server', MAVEN_SERVER) });
      if (record.mirror && MAVEN_MIRROR_KEPT in restore)
        given.push({ entry: 'mirror', id, fields: putBackFields(restore, 'mirror', MAVEN_MIRROR) });
      return (text) =>
        editMavenSettings(text, {
          putBack: given,
          ...(MAVEN_PASSWORD in restore ? {} : { removeServer: id }),
          ...(record.mirror && !(MAVEN_MIRROR_KEPT in restore) ? { removeMirror: id } : {}),
          dropEmptyDocument: record.createdFile,
        });
    }
    case 'pip': {
      const previous = record.restore['index-url'];
      const change =
        previous === undefined
          ? { remove: ['index-url'], dropEmptySection: true }
          : { putBack: { 'index-url': previous } };
      return (text) => editIni(text, { section: 'global', ...change }, 'pip');
    }
    case 'netrc':
      return (text) => editNetrc(text, { machine: record.machine, remove: true });
    case 'gradle': {
      const keys = ['user', 'password', 'contextUrl'].map((name) => `${record.prefix}_${name}`);
      return (text) => editProperties(text, putBack(record.restore, keys));
    }
  }
}

/** The fields Artikey writes in each Maven entry; restore keys are `<entry>.<field>`. */
const MAVEN_SERVER = ['username', 'password'];
const MAVEN_MIRROR = ['url', 'mirrorOf'];
/** The server's password was a reference: the server is the user's, and is kept. */
const MAVEN_PASSWORD = 'server.password';
/** A mirror of the same id was there before: it is the user's, and is kept. */
const MAVEN_MIRROR_KEPT = 'mirror';

/**
 * Notes, as the file spells them, the fields of a `<server>` the user wrote with `${env.…}` for
 * its password and of a `<mirror>` of the same id, so removal gives the user's entries back. A
 * server with a plain password is not kept: that password is what the user moves away from.
 */
function noteMaven(
  restore: Record<string, string>,
  text: string,
  spec: Extract<TargetSpec, { kind: 'maven' }>,
): void {
  const note = (fields: EntryFields | null): void => {
    for (const [name, raw] of Object.entries(fields?.fields ?? {}))
      if (raw !== null) restore[`${fields!.entry}.${name}`] = raw;
  };
  const password = readMavenSettings(text).servers.find((s) => s.id === spec.serverId)?.password;
  if (password && /\$\{[^}]*\}/.test(password))
    note(entryFieldsText(text, 'server', spec.serverId, MAVEN_SERVER));
  const mirror = spec.mirror && entryFieldsText(text, 'mirror', spec.serverId, MAVEN_MIRROR);
  if (mirror) {
    restore[MAVEN_MIRROR_KEPT] = '';
    note(mirror);
  }
}

/** An entry's fields to put back: each as the user wrote it, null for one Artikey added. */
const putBackFields = (
  restore: Record<string, string>,
  entry: EntryFields['entry'],
  names: string[],
): Record<string, string | null> =>
  Object.fromEntries(names.map((name) => [name, restore[`${entry}.${name}`] ?? null]));

/** Each setting Artikey wrote goes back to what the file held before, or goes if it held nothing. */
function putBack(
  restore: Record<string, string>,
  keys: string[],
): { putBack: Record<string, string>; remove: string[] } {
  const given: Record<string, string> = {};
  for (const key of keys) if (key in restore) given[key] = restore[key]!;
  return { putBack: given, remove: keys.filter((key) => !(key in restore)) };
}

/** Whether the file still exists (for `artikey status` and repairs). */
export async function targetFileExists(record: TargetRecord): Promise<boolean> {
  return (await readToolFile(record.path)) !== null;
}

const npmRegistrySettingKey = (scope: string | null): string =>
  scope ? `${scope}:registry` : 'registry';

/**
 * Notes a setting before Artikey first replaces it, so removal restores it byte for byte: its
 * text as the file spells it (quotes, escapes, spacing). A `\${VAR}` reference is kept; a secret
 * is not (it is what the user moves away from, and the state file never holds one); a URL with
 * credentials in it is kept without them, so pip still uses the same index instead of silently
 * falling back to PyPI.
 */
function rememberPrevious(
  restore: Record<string, string>,
  key: string,
  current: { value: string; raw: string } | undefined,
  secret: boolean,
): void {
  if (key in restore || current === undefined) return;
  if (/\$\{[^}]*\}/.test(current.value)) restore[key] = current.raw;
  else if (!secret) {
    const stripped = stripCredentials(current.value);
    restore[key] = stripped === current.value ? current.raw : stripped;
  }
}

function withCredentials(url: string, username: string, token: string): string {
  const parsed = new URL(url);
  parsed.username = encodeURIComponent(username);
  parsed.password = encodeURIComponent(token);
  return parsed.toString();
}

function stripCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.username && !parsed.password) return url;
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return url;
  }
}

/** Where each tool reads its user configuration, honouring the tools' own overrides. */
export function defaultTargetPath(kind: TargetKind, { platform, env, home }: Environment): string {
  switch (kind) {
    case 'docker-helper':
    case 'docker-auths':
      return join(env['DOCKER_CONFIG'] ?? join(home, '.docker'), 'config.json');
    case 'npm':
      return env['NPM_CONFIG_USERCONFIG'] ?? env['npm_config_userconfig'] ?? join(home, '.npmrc');
    case 'maven':
      return join(home, '.m2', 'settings.xml');
    case 'pip':
      if (platform === 'win32')
        return join(env['APPDATA'] ?? join(home, 'AppData', 'Roaming'), 'pip', 'pip.ini');
      if (platform === 'darwin')
        return join(home, 'Library', 'Application Support', 'pip', 'pip.conf');
      return join(
        env['XDG_CONFIG_HOME']?.startsWith('/') ? env['XDG_CONFIG_HOME'] : join(home, '.config'),
        'pip',
        'pip.conf',
      );
    case 'netrc':
      return env['NETRC'] ?? join(home, platform === 'win32' ? '_netrc' : '.netrc');
    case 'gradle':
      return join(env['GRADLE_USER_HOME'] ?? join(home, '.gradle'), 'gradle.properties');
  }
}
