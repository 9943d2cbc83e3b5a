import { join } from 'node:path';
import type { Environment } from '../paths.js';
import { editDockerConfig, HELPER_NAME } from './docker-config.js';
import { editIni, npmRegistryKey, readIni } from './ini-file.js';
import { editProperties } from './java-properties.js';
import {
  BASIC_USER_UNSAFE,
  NETRC_UNSAFE,
  NPMRC_UNSAFE,
  PROPERTY_KEY_UNSAFE,
  requireSafeValues,
  type Field,
} from './safe-values.js';
import { editMavenSettings } from './maven-settings.js';
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
  options: WriteOptions = {},
): Promise<{ edit: ToolFileEdit; restore: Record<string, string> }> {
  const restore = { ...(options.previous?.restore ?? {}) };
  const edit = await editToolFile(
    spec.path,
    writer(spec, credentials, restore, options.replaceReferences ?? false),
    { secret: holdsToken(spec) },
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
  return writer(spec, credentials, restore, options.replaceReferences ?? false)(text);
}

/** Takes out exactly what Artikey wrote for this target, putting back what it replaced. */
export async function removeTarget(record: TargetRecord): Promise<ToolFileEdit> {
  const remove = remover(record);
  return editToolFile(record.path, (text) => (text === null ? '' : remove(text)), {
    secret: false,
    deleteIfEmpty: record.createdFile,
  });
}

type Edit = (text: string | null) => string;

function writer(
  spec: TargetSpec,
  { username, token }: TargetCredentials,
  restore: Record<string, string>,
  replaceReferences: boolean,
): Edit {
  requireSafeValues(...fieldsOf(spec, { username, token }));
  switch (spec.kind) {
    case 'docker-helper':
      return (text) => editDockerConfig(text, { helper: { hosts: spec.hosts, name: HELPER_NAME } });
    case 'docker-auths':
      return (text) =>
        editDockerConfig(text, { auths: { hosts: spec.hosts, username, secret: token } });
    case 'npm':
      return (text) => {
        const set: Record<string, string> = {
          [npmRegistryKey(spec.registryUrl, '_authToken')]: token,
        };
        if (spec.setRegistry) {
          const key = npmRegistrySettingKey(spec.scope);
          rememberPrevious(
            restore,
            key,
            text === null ? [] : readIni(text, 'npmrc'),
            null,
            spec.registryUrl,
          );
          set[key] = spec.registryUrl;
        }
        return editIni(text, { section: null, set, replaceReferences }, 'npmrc');
      };
    case 'maven': {
      const mirror = spec.mirror ? { mirror: { id: spec.serverId, ...spec.mirror } } : {};
      return (text) =>
        editMavenSettings(text, {
          server: { id: spec.serverId, username, password: token },
          ...mirror,
          replaceReferences,
        });
    }
    case 'pip':
      return (text) => {
        rememberPrevious(
          restore,
          'index-url',
          text === null ? [] : readIni(text, 'pip'),
          'global',
          spec.indexUrl,
        );
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
      return (text) => editProperties(text, { set, replaceReferences });
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
      return (text) => editDockerConfig(text, { helper: { hosts: record.hosts, name: null } });
    case 'docker-auths':
      return (text) => editDockerConfig(text, { auths: { hosts: record.hosts, remove: true } });
    case 'npm': {
      const key = npmRegistrySettingKey(record.scope);
      const previous = record.restore[key];
      const token = npmRegistryKey(record.registryUrl, '_authToken');
      const change = !record.setRegistry
        ? { remove: [token] }
        : previous === undefined
          ? { remove: [token, key] }
          : { remove: [token], set: { [key]: previous } };
      return (text) =>
        editIni(text, { section: null, ...change, replaceReferences: true }, 'npmrc');
    }
    case 'maven':
      return (text) =>
        editMavenSettings(text, {
          removeServer: record.serverId,
          ...(record.mirror ? { removeMirror: record.serverId } : {}),
          dropEmptyDocument: record.createdFile,
        });
    case 'pip': {
      const previous = record.restore['index-url'];
      const change =
        previous === undefined
          ? { remove: ['index-url'], dropEmptySection: true }
          : { set: { 'index-url': previous }, replaceReferences: true };
      return (text) => editIni(text, { section: 'global', ...change }, 'pip');
    }
    case 'netrc':
      return (text) => editNetrc(text, { machine: record.machine, remove: true });
    case 'gradle':
      return (text) =>
        editProperties(text, {
          remove: [
            `${record.prefix}_user`,
            `${record.prefix}_password`,
            `${record.prefix}_contextUrl`,
          ],
        });
  }
}

/** Whether the file still exists (for `artikey status` and repairs). */
export async function targetFileExists(record: TargetRecord): Promise<boolean> {
  return (await readToolFile(record.path)) !== null;
}

const npmRegistrySettingKey = (scope: string | null): string =>
  scope ? `${scope}:registry` : 'registry';

/**
 * Notes a setting's value before Artikey first replaces it, unless it holds credentials (those
 * are what the user is moving away from, and the state file must never hold a secret).
 */
function rememberPrevious(
  restore: Record<string, string>,
  key: string,
  entries: { section: string | null; key: string; value: string }[],
  section: string | null,
  ours: string,
): void {
  if (key in restore) return;
  const current = entries.find((e) => e.section === section && e.key === key)?.value;
  if (current === undefined || current === ours || stripCredentials(current) !== current) return;
  restore[key] = current;
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
