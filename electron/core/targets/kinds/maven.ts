import { join } from 'node:path';
import {
  editMavenSettings,
  emptyElementsText,
  entryFieldsText,
  readMavenSettings,
  type EntryFields,
} from '../maven-settings.js';
import { BASIC_USER_UNSAFE } from '../safe-values.js';
import { invalidOption, type TargetKindDefinition } from './definition.js';
import type { MavenSpec } from './maven-spec.js';

/** The fields Artikey writes in each Maven entry; restore keys are `<entry>.<field>`. */
const SERVER_FIELDS = ['username', 'password'];
const MIRROR_FIELDS = ['url', 'mirrorOf'];
/** The server's password was a reference: the server is the user's, and is kept. */
const PASSWORD_KEPT = 'server.password';
/** A mirror of the same id was there before: it is the user's, and is kept. */
const MIRROR_KEPT = 'mirror';
/** `empty.<element>`: the root or a container the user wrote holding nothing, as written. */
const EMPTY = 'empty.';

/**
 * Notes, as the file spells them, the fields of a `<server>` the user wrote with `${env.…}` for
 * its password and of a `<mirror>` of the same id, so removal gives the user's entries back. A
 * server with a plain password is not kept: that password is what the user moves away from.
 */
function noteUserEntries(restore: Record<string, string>, text: string, spec: MavenSpec): void {
  const note = (fields: EntryFields | null): void => {
    for (const [name, raw] of Object.entries(fields?.fields ?? {}))
      if (raw !== null) restore[`${fields!.entry}.${name}`] = raw;
  };
  const password = readMavenSettings(text).servers.find((s) => s.id === spec.serverId)?.password;
  if (password && /\$\{[^}]*\}/.test(password))
    note(entryFieldsText(text, 'server', spec.serverId, SERVER_FIELDS));
  const mirror = spec.mirror && entryFieldsText(text, 'mirror', spec.serverId, MIRROR_FIELDS);
  if (mirror) {
    restore[MIRROR_KEPT] = '';
    note(mirror);
  }
  for (const [element, raw] of Object.entries(emptyElementsText(text)))
    restore[`${EMPTY}${element}`] = raw;
}

/** An entry's fields to put back: each as the user wrote it, null for one Artikey added. */
const putBackFields = (
  restore: Record<string, string>,
  entry: EntryFields['entry'],
  names: string[],
): Record<string, string | null> =>
  Object.fromEntries(names.map((name) => [name, restore[`${entry}.${name}`] ?? null]));

export const maven: TargetKindDefinition<MavenSpec> = {
  kind: 'maven',
  holdsToken: true,
  needsUsername: true,
  secretFormat: 'xml',
  scanTool: 'maven',
  sameEntry: (a, b) => a.serverId === b.serverId,
  defaultPath: ({ home }) => join(home, '.m2', 'settings.xml'),
  fromRequest: ({ options, artifactoryUrl, path, repo }) => {
    const serverId = options.serverId?.trim() || 'artifactory-mirror';
    if (!/^[A-Za-z0-9._-]+$/.test(serverId))
      throw invalidOption(
        `--server-id "${serverId}" should be letters, digits, dots, dashes or underscores`,
      );
    // `--repo` names Maven's mirror as it names npm's and pip's repository; `--mirror` says it too.
    const mirror = options.mirror?.trim() || (options.repo?.trim() ? repo('maven') : undefined);
    return {
      kind: 'maven',
      path,
      serverId,
      mirror: mirror ? { url: `${artifactoryUrl}${mirror}/`, mirrorOf: '*' } : null,
    };
  },
  describe: (spec) =>
    `maven: server ${spec.serverId}${spec.mirror ? ` with mirror ${spec.mirror.url}` : ''} in ${spec.path}`,
  checkBelongs: (spec, instance) => {
    if (spec.mirror) instance.sameHost(spec.mirror.url);
  },
  fields: (spec, { username, token }) => [
    'settings.xml',
    [
      ['server id', spec.serverId],
      ['mirror URL', spec.mirror?.url ?? ''],
      ['mirrorOf', spec.mirror?.mirrorOf ?? ''],
      ['user name', username, BASIC_USER_UNSAFE],
      ['token', token],
    ],
  ],
  writer: (spec, { username, token }, restore, replaceReferences) => {
    const mirror = spec.mirror ? { mirror: { id: spec.serverId, ...spec.mirror } } : {};
    return (text) => {
      if (restore !== null && text !== null) noteUserEntries(restore, text, spec);
      return editMavenSettings(text, {
        server: { id: spec.serverId, username, password: token },
        ...mirror,
        replaceReferences,
      });
    };
  },
  remover: (record) => {
    const { restore, serverId: id } = record;
    // An entry the user wrote (a server with a reference, a mirror) gets its fields back; one Artikey added goes.
    const given: EntryFields[] = [];
    if (PASSWORD_KEPT in restore)
      given.push({ entry: 'server', id, fields: putBackFields(restore, 'server', SERVER_FIELDS) });
    if (record.mirror && MIRROR_KEPT in restore)
      given.push({ entry: 'mirror', id, fields: putBackFields(restore, 'mirror', MIRROR_FIELDS) });
    const emptyAsWritten = Object.fromEntries(
      Object.entries(restore)
        .filter(([key]) => key.startsWith(EMPTY))
        .map(([key, raw]) => [key.slice(EMPTY.length), raw]),
    );
    return (text) =>
      editMavenSettings(text, {
        putBack: given,
        emptyAsWritten,
        ...(PASSWORD_KEPT in restore ? {} : { removeServer: id }),
        ...(record.mirror && !(MIRROR_KEPT in restore) ? { removeMirror: id } : {}),
        dropEmptyDocument: record.createdFile,
      });
  },
  ownsEntry: (spec, credential) =>
    credential.location === `servers/server[id=${spec.serverId}]/password`,
  adopt: (credential) => {
    const id = /server\[id=([^\]]+)\]/.exec(credential.location)?.[1];
    if (!id) return 'not a <server> password';
    return {
      target: { kind: 'maven', path: credential.file, serverId: id, mirror: null },
      cleanup: null,
    };
  },
};
