import { lineAndColumn } from './text-lines.js';
import {
  appendElement,
  insertMembers,
  parseJsonObject,
  refuseGoSpellings,
  objectValue,
  removeElement,
  removeMember,
  replaceValue,
  scanJsonObject,
  type JsonArray,
  type JsonElement,
  type JsonObject,
  type RenderValue,
} from './json-members.js';
import { requireSafeValues } from './safe-values.js';
import { ToolFileError } from './tool-file.js';

/**
 * The JFrog CLI's `~/.jfrog/jfrog-cli.conf.v6` (`$JFROG_CLI_HOME_DIR/jfrog-cli.conf.v6`): JSON of
 * `{"servers": [{serverId, url, artifactoryUrl, user, accessToken, refreshToken,
 * tokenRefreshInterval, isDefault, …}], "version": "6"}` (jfrog-cli-core utils/config/config.go,
 * `ConfigV5`/`ServerDetails`). Artikey owns one server entry, picked by `serverId`; the person's
 * other servers and every field Artikey does not write keep their bytes.
 *
 * `jf` can encrypt its secrets (AES-GCM under a 32-character master key from
 * `~/.jfrog/security/security.yaml` or `JFROG_CLI_ENCRYPTION_KEY`; utils/config/encryption.go)
 * and marks such a file `"enc": true`. Artikey never has that key, and a plain token in an
 * encrypted file would be "decrypted" into garbage, so an encrypted file is refused.
 */
export interface JfrogServer {
  serverId: string;
  /** The platform URL, with its trailing slash, as `jf config add --url` stores it. */
  url: string;
  artifactoryUrl: string;
  user: string;
  accessToken: string;
  /**
   * Make it the default server, as `jf config add --interactive=false` does for a first server
   * and `jf config use` for another; the previous default's `isDefault` becomes `false`, and
   * removal gives it back (`replacedBy` notes which it was).
   */
  makeDefault?: boolean;
}

export type JfrogConfigChange =
  | { server: JfrogServer }
  /**
   * `putBack` is `replacedBy`'s record: the `servers` value as the person wrote it, if it was
   * empty, and the server that was the default before Artikey's became it.
   */
  | { removeServer: string; putBack?: JfrogPutBack };

export type JfrogPutBack = Record<string, string>;

/**
 * Fields Artikey takes out of its entry: with a refresh token or a refresh interval `jf` would
 * renew the access token itself (spending a refresh token that is not its own, or creating tokens
 * from a password), and a password would outlive the logout.
 */
const TAKEN_OUT = [
  'password',
  'apiKey',
  'refreshToken',
  'artifactoryRefreshToken',
  'tokenRefreshInterval',
];

/** `replacedBy`'s note of the server that was the default before Artikey's was made it. */
const PREVIOUS_DEFAULT = 'previous default server';

/**
 * `replacedBy`'s note of every server marked default before, when there was more than the one
 * `jf` uses or its id is not unique: a JSON list of `[serverId, n]`, the n-th server of that id.
 */
const PREVIOUS_DEFAULTS = 'previous default servers';

/** The file `jf` would write for no servers, which Artikey deletes rather than leave behind. */
const EMPTY_CREATED = '{\n  "servers": [],\n  "version": "6"\n}';

export function editJfrogConfig(text: string | null, change: JfrogConfigChange): string {
  const config = parseConfig(text);
  const start = text === null || text.trim() === '' ? null : text;
  if ('server' in change) {
    const { server } = change;
    requireSafeValues('jfrog-cli.conf.v6', [
      ['server id', server.serverId],
      ['URL', server.url],
      ['Artifactory URL', server.artifactoryUrl],
      ['user name', server.user],
      ['token', server.accessToken],
    ]);
    const servers = serversOf(config);
    const index = servers.findIndex((s) => s['serverId'] === server.serverId);
    const othersDefault = servers.some((s, i) => i !== index && s['isDefault'] === true);
    const fields = fieldsOf(server, server.makeDefault === true || !othersDefault);
    if (index < 0) {
      // A new file is laid out as `jf` writes it: two spaces, no final line break.
      let edited = start ?? EMPTY_CREATED;
      if (server.makeDefault) edited = demoteDefaults(edited, -1);
      const root = scanJsonObject(edited);
      const member = root.members.findLast((m) => m.key === 'servers');
      if (member === undefined) edited = insertMembers(edited, root, [['servers', () => '[]']]);
      else if (member.array === null) edited = replaceValue(edited, root, member, () => '[]');
      return appendElement(edited, serversArray(edited)!, render(edited, fields));
    }
    let edited = start!;
    if (server.makeDefault) edited = demoteDefaults(edited, index);
    // Whether an existing entry is the default stays the person's choice unless asked.
    const wanted = fields.filter(([key]) => server.makeDefault === true || key !== 'isDefault');
    for (const [key, value] of wanted) {
      const entry = entryAt(edited, index);
      const member = entry.members.findLast((m) => m.key === key);
      if (member && servers[index]![key] === value) continue;
      const render = (): string => JSON.stringify(value);
      edited = member
        ? replaceValue(edited, entry, member, render)
        : insertMembers(edited, entry, [[key, render]]);
    }
    for (const key of TAKEN_OUT)
      for (;;) {
        const entry = entryAt(edited, index);
        const member = entry.members.find((m) => m.key === key);
        if (!member) break;
        edited = removeMember(edited, entry, member);
      }
    return edited;
  }
  if (start === null) return text ?? '';
  const index = serversOf(config).findIndex((s) => s['serverId'] === change.removeServer);
  if (index < 0) return start;
  const list = serversArray(start)!;
  let edited = removeElement(start, list, list.elements[index]!);
  const previousDefaults = change.putBack?.[PREVIOUS_DEFAULTS];
  const previousDefault = change.putBack?.[PREVIOUS_DEFAULT];
  if (previousDefaults !== undefined) edited = restoreDefaults(edited, previousDefaults);
  else if (previousDefault !== undefined)
    edited = restoreDefaults(edited, JSON.stringify([[previousDefault, 0]]));
  const earlier = change.putBack?.['servers'];
  if (list.elements.length === 1 && earlier !== undefined) {
    const root = scanJsonObject(edited);
    const member = root.members.findLast((m) => m.key === 'servers')!;
    if (earlier === ABSENT) edited = removeMember(edited, root, member);
    else {
      requireJsonValue(earlier);
      edited = replaceValue(edited, root, member, () => earlier);
    }
  }
  return edited === EMPTY_CREATED ? '' : edited;
}

/**
 * What a first write replaces that removal must give back: the `servers` value when the person
 * had it empty or null. A server of the person's own under Artikey's id is not kept: it holds
 * their credentials, which the state file never holds.
 */
export function replacedBy(
  text: string | null,
  server?: { serverId: string; makeDefault?: boolean },
): JfrogPutBack {
  if (text === null || text.trim() === '') return {};
  const config = parseConfig(text);
  const servers = serversOf(config);
  if (servers.length > 0) {
    if (!server?.makeDefault) return {};
    const previous = servers.find((s) => s['isDefault'] === true);
    if (previous === undefined || previous['serverId'] === server.serverId) return {};
    const index = servers.findIndex(
      (s) => s['isDefault'] === true && typeof s['serverId'] !== 'string',
    );
    if (index >= 0)
      throw new ToolFileError(
        'tool-file-invalid',
        `The default server of the JFrog CLI configuration (at ${lineAndColumn(text, serversArray(text)!.elements[index]!.start)}) has no serverId, so Artikey could not make it the default again later; it left the file untouched. Give that server an id (jf config edit), or configure without --default.`,
      );
    // Every server marked default is demoted, so each is noted by its id and its place among
    // the servers of that id; one unique default keeps the older, simpler note.
    const defaults: [string, number][] = [];
    servers.forEach((s, i) => {
      if (s['isDefault'] !== true || s['serverId'] === server.serverId) return;
      const id = s['serverId'];
      if (typeof id !== 'string') return;
      defaults.push([id, servers.slice(0, i).filter((o) => o['serverId'] === id).length]);
    });
    const unique = servers.filter((s) => s['serverId'] === previous['serverId']).length === 1;
    if (typeof previous['serverId'] !== 'string') return {};
    return defaults.length === 1 && unique
      ? { [PREVIOUS_DEFAULT]: previous['serverId'] }
      : { [PREVIOUS_DEFAULTS]: JSON.stringify(defaults) };
  }
  const root = scanJsonObject(text);
  const member = root.members.findLast((m) => m.key === 'servers');
  return { servers: member ? text.slice(member.valueStart, member.end) : ABSENT };
}

/** `replacedBy`'s mark for a file that had no `servers` member at all. */
const ABSENT = '';

/** The servers as `jf` reads them, for scan and status; an encrypted file is refused. */
export function readJfrogConfig(text: string): Record<string, unknown>[] {
  return serversOf(parseConfig(text));
}

type Field = [key: string, value: string | boolean];

/**
 * The entry's fields in the order `jf` writes them (its ServerDetails struct), with the service
 * URLs `jf config add --url` derives from the platform URL (common/commands/config.go).
 */
function fieldsOf(server: JfrogServer, isDefault: boolean): Field[] {
  const fields: Field[] = [
    ['url', server.url],
    ['artifactoryUrl', server.artifactoryUrl],
    ['distributionUrl', `${server.url}distribution/`],
    ['xrayUrl', `${server.url}xray/`],
    ['missionControlUrl', `${server.url}mc/`],
    ['pipelinesUrl', `${server.url}pipelines/`],
    ['user', server.user],
    ['accessToken', server.accessToken],
    ['serverId', server.serverId],
  ];
  // `jf` fails on every command when servers exist and none is the default.
  if (isDefault) fields.push(['isDefault', true]);
  return fields;
}

const render = (text: string, fields: Field[]): RenderValue =>
  objectValue(
    text,
    fields.map(([key, value]) => [key, () => JSON.stringify(value)]),
  );

/** Every other server stops being the default: `jf` uses the first it finds marked so. */
function demoteDefaults(text: string, ours: number): string {
  let edited = text;
  const count = serversArray(edited)?.elements.length ?? 0;
  for (let i = 0; i < count; i++) {
    if (i === ours) continue;
    const entry = serversArray(edited)!.elements[i]!.object;
    const member = entry?.members.findLast((m) => m.key === 'isDefault');
    if (entry && member && edited.slice(member.valueStart, member.end) === 'true')
      edited = replaceValue(edited, entry, member, () => 'false');
  }
  return edited;
}

/**
 * The server that was the default before Artikey's becomes it again, unless the person chose
 * another one meanwhile (`jf config use`), or removed it.
 */
function restoreDefaults(text: string, noted: string): string {
  const servers = serversOf(parseConfig(text));
  if (servers.some((s) => s['isDefault'] === true)) return text;
  let defaults: [string, number][];
  try {
    defaults = JSON.parse(noted) as [string, number][];
  } catch {
    throw new ToolFileError(
      'tool-file-invalid',
      'The default servers Artikey kept to put back are not JSON; Artikey left the JFrog CLI configuration untouched.',
    );
  }
  let edited = text;
  for (const [serverId, nth] of defaults) {
    const index = servers
      .map((s, i) => (s['serverId'] === serverId ? i : -1))
      .filter((i) => i >= 0)[nth];
    if (index === undefined) continue;
    const entry = entryAt(edited, index);
    const member = entry.members.findLast((m) => m.key === 'isDefault');
    edited = member
      ? replaceValue(edited, entry, member, () => 'true')
      : insertMembers(edited, entry, [['isDefault', () => 'true']]);
  }
  return edited;
}

function serversArray(text: string): JsonArray | null {
  const member = scanJsonObject(text).members.findLast((m) => m.key === 'servers');
  return member?.array ?? null;
}

function entryAt(text: string, index: number): JsonObject {
  const element: JsonElement | undefined = serversArray(text)?.elements[index];
  return element!.object!;
}

/** ServerDetails' JSON names (jfrog-cli-core utils/config/config.go). */
const SERVER_FIELDS = [
  'url',
  'artifactoryUrl',
  'distributionUrl',
  'xrayUrl',
  'missionControlUrl',
  'pipelinesUrl',
  'accessUrl',
  'user',
  'password',
  'sshKeyPath',
  'sshPassphrase',
  'accessToken',
  'refreshToken',
  'artifactoryRefreshToken',
  'tokenRefreshInterval',
  'clientCertPath',
  'clientCertKeyPath',
  'serverId',
  'isDefault',
  'apiKey',
  'webLogin',
];

const WHAT = 'The JFrog CLI configuration';

/**
 * `jf` decodes the file with Go's encoding/json: a key spelt in another case (`"ServerId"`) fills
 * the same field as the one Artikey reads and edits, and a second `servers` list is decoded into
 * the first one's servers, field by field; Artikey's entry would not be the one `jf` reads, so
 * such files are refused, naming the place.
 */
function refuseGoReadings(text: string): void {
  const root = scanJsonObject(text);
  refuseGoSpellings(text, root, ['servers', 'version', 'enc'], WHAT, 'jf');
  const lists = root.members.filter((m) => m.key === 'servers');
  if (lists.length > 1)
    throw new ToolFileError(
      'tool-file-invalid',
      `${WHAT} has "servers" twice (again at ${lineAndColumn(text, lists[1]!.start)}), and jf reads the second list into the first one's servers field by field; Artikey left it untouched. Keep one "servers" list, then try again.`,
    );
  const list = lists[0];
  const notServer = list?.array?.elements.find((e) => e.object === null);
  const listText = list ? text.slice(list.valueStart, list.end) : 'null';
  if (list && ((list.array === null && listText !== 'null') || notServer))
    throw new ToolFileError(
      'tool-file-invalid',
      `servers in ${WHAT.replace('The', 'the')} is not a list of servers (at ${lineAndColumn(text, notServer?.start ?? list.valueStart)}); Artikey left the file untouched.`,
    );
  for (const element of list?.array?.elements ?? [])
    if (element.object) refuseGoSpellings(text, element.object, SERVER_FIELDS, WHAT, 'jf');
}

function parseConfig(text: string | null): Record<string, unknown> {
  const config = parseJsonObject(text, WHAT);
  if (text !== null && text.trim() !== '') refuseGoReadings(text);
  if (config['enc'] === true)
    throw new ToolFileError(
      'tool-file-protected',
      'The JFrog CLI configuration is encrypted ("enc": true, with a master key in ~/.jfrog/security/security.yaml or JFROG_CLI_ENCRYPTION_KEY) and Artikey cannot write a server into it faithfully; it left the file untouched. Add the server with `jf config add` instead, or turn jf’s encryption off.',
    );
  if (config['version'] !== undefined && config['version'] !== '6')
    throw new ToolFileError(
      'tool-file-invalid',
      `The JFrog CLI configuration is version ${JSON.stringify(config['version'])}, not 6; run any jf command to convert it, then try again. Artikey left it untouched.`,
    );
  return config;
}

function serversOf(config: Record<string, unknown>): Record<string, unknown>[] {
  const servers = config['servers'];
  if (servers === undefined || servers === null) return [];
  if (!Array.isArray(servers) || servers.some((s) => typeof s !== 'object' || s === null))
    throw new ToolFileError(
      'tool-file-invalid',
      'servers in the JFrog CLI configuration is not a list of servers; Artikey left the file untouched.',
    );
  return servers as Record<string, unknown>[];
}

/** A value put back comes from the state file, not from the person: it must be one JSON value. */
function requireJsonValue(text: string): void {
  try {
    JSON.parse(text);
  } catch {
    throw new ToolFileError(
      'tool-file-invalid',
      'The value Artikey kept to put back for servers is not JSON; Artikey left the JFrog CLI configuration untouched.',
    );
  }
}
