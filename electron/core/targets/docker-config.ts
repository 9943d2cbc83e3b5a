import { lineAndColumn } from './text-lines.js';
import { BASIC_USER_UNSAFE, requireSafeValues, type Field } from './safe-values.js';
import {
  goKeyMatches,
  insertMembers,
  parseJsonObject,
  refuseGoSpellings,
  objectValue,
  removeMember,
  replaceValue,
  scanJsonObject,
  stringValue,
  type JsonMember,
  type JsonObject,
  type RenderValue,
} from './json-members.js';
import { registryHostOf } from '../docker-hosts.js';
import { ToolFileError } from './tool-file.js';

/**
 * Docker's `config.json`: Artikey owns `credHelpers[<host>] = "artikey"` (the default) or, in the
 * opt-in mode for machines where a helper cannot run, `auths[<host>].auth`. Every other key
 * (`auths` of other registries, `credsStore`, `proxies`, `currentContext`, unknown fields) and the
 * file's indentation survive; Docker itself rewrites the file the same way.
 */
export type DockerConfigChange =
  | { helper: { hosts: string[]; name: string | null; putBack?: PutBack } }
  | {
      auths:
        | { hosts: string[]; username: string; secret: string }
        | { hosts: string[]; remove: true; putBack?: PutBack };
    };

/**
 * What a write replaced, as the file spelt it, from `replacedBy`: `<section>/<host>` holds the
 * host's earlier value (another credential helper), `<section>` an empty or null section.
 */
export type PutBack = Record<string, string>;

export const HELPER_NAME = 'artikey';

export function editDockerConfig(text: string | null, change: DockerConfigChange): string {
  const target = 'helper' in change ? change.helper : change.auths;
  const credentials = 'username' in target ? target : { username: '', secret: '' };
  requireSafeValues('config.json', [
    ...target.hosts.map((host): Field => ['registry host', host]),
    ['user name', credentials.username, BASIC_USER_UNSAFE],
    ['token', credentials.secret],
  ]);
  const config = parseConfig(text);
  const start = text === null || text.trim() === '' ? '{}\n' : text;
  let edited = start;
  if ('helper' in change) {
    const helpers = objectAt(config, 'credHelpers');
    const { hosts, name, putBack } = change.helper;
    edited =
      name === null
        ? removeEntries(
            edited,
            'credHelpers',
            hosts.filter((h) => helpers[h] === HELPER_NAME),
            putBack ?? {},
          )
        : setEntries(
            edited,
            'credHelpers',
            hosts.filter((h) => helpers[h] !== name).map((h) => [h, stringValue(name)]),
          );
  } else {
    const auths = objectAt(config, 'auths');
    if (!('remove' in change.auths)) {
      // Docker reads `auths` for a host only when no helper answers for it: a credHelpers entry
      // (an empty name turns the store off for that host), else the credsStore. An entry it would
      // never read is dead weight, and the person would think Artikey's token is in use.
      const helpers = objectAt(config, 'credHelpers');
      const store = config.values['credsStore'];
      for (const host of change.auths.hosts) {
        const helper = host in helpers ? helpers[host] : store;
        if (typeof helper !== 'string' || helper === '') continue;
        throw new ToolFileError(
          'tool-file-conflict',
          host in helpers
            ? `Docker asks the "${helper}" credential helper for ${host} (credHelpers), so it would ignore an auths entry for it. Use the credential helper instead (artikey configure docker without --auths), or take ${host} out of credHelpers.`
            : `Docker keeps credentials in its "${helper}" store, so it would ignore an auths entry for ${host}. Use the credential helper instead (artikey configure docker without --auths).`,
        );
      }
    }
    if ('remove' in change.auths) {
      const present = change.auths.hosts.filter((host) => auths[host] !== undefined);
      edited = removeEntries(edited, 'auths', present, change.auths.putBack ?? {});
    } else {
      const wanted = Buffer.from(`${change.auths.username}:${change.auths.secret}`).toString(
        'base64',
      );
      // Docker reads `auth` first; stale username/password/identitytoken fields would confuse people.
      const stale = change.auths.hosts.filter((host) => {
        const entry = auths[host];
        return !isObject(entry) || entry['auth'] !== wanted;
      });
      const entry = objectValue(start, [['auth', stringValue(wanted)]]);
      edited = setEntries(
        edited,
        'auths',
        stale.map((host) => [host, entry]),
      );
    }
  }
  return edited === start ? (text ?? '') : edited;
}

/**
 * Gives each key its value in the top-level object `section`: an existing member's value is
 * replaced in place, new members go in together at the start, a missing section is added.
 */
function setEntries(text: string, section: string, entries: [string, RenderValue][]): string {
  if (entries.length === 0) return text;
  let edited = text;
  const missing: [string, RenderValue][] = [];
  for (const [key, value] of entries) {
    const { object } = sectionOf(edited, section);
    const member = object && lastMember(object, key);
    if (object && member) edited = replaceValue(edited, object, member, value);
    else missing.push([key, value]);
  }
  if (missing.length === 0) return edited;
  const root = scanJsonObject(edited);
  const { member, object } = sectionOf(edited, section);
  if (object) return insertMembers(edited, object, missing);
  const value = objectValue(edited, missing);
  // A section that is `null` is replaced; one that is absent is added.
  return member
    ? replaceValue(edited, root, member, value)
    : insertMembers(edited, root, [[section, value]]);
}

/**
 * Takes the keys out of `section`: a key with an earlier value in `putBack` gets it back (in the
 * member Docker reads, the last), any other goes with every duplicate. A section left empty goes
 * too, unless the person had written it empty or null: then it is put back as it was.
 */
function removeEntries(text: string, section: string, keys: string[], putBack: PutBack): string {
  if (keys.length === 0) return text;
  for (const [key, value] of Object.entries(putBack)) requireJsonValue(key, value);
  let edited = text;
  for (const key of keys) {
    const earlier = putBack[`${section}/${key}`];
    const { object } = sectionOf(edited, section);
    const member = object && lastMember(object, key);
    if (earlier !== undefined && object && member)
      edited = replaceValue(edited, object, member, () => earlier);
  }
  const gone = keys.filter((key) => putBack[`${section}/${key}`] === undefined);
  for (;;) {
    const { object } = sectionOf(edited, section);
    const member = object?.members.find((m) => gone.includes(m.key));
    if (!object || !member) break;
    if (object.members.length > 1) {
      edited = removeMember(edited, object, member);
      continue;
    }
    const root = scanJsonObject(edited);
    const own = lastMember(root, section)!;
    const written = putBack[section];
    return written === undefined
      ? removeMember(edited, root, own)
      : replaceValue(edited, root, own, () => written);
  }
  return edited;
}

/**
 * What `change` is about to replace in `text`, for `PutBack`: the hosts' earlier values that
 * hold no secret (another helper's name; an auths entry without credentials), and the section
 * when the person wrote it empty or null.
 */
export function replacedBy(text: string | null, change: DockerConfigChange): PutBack {
  if (text === null || text.trim() === '') return {};
  const section = 'helper' in change ? 'credHelpers' : 'auths';
  const { hosts } = 'helper' in change ? change.helper : change.auths;
  const config = parseConfig(text);
  const values = objectAt(config, section);
  const { member, object } = sectionOf(text, section);
  const replaced: PutBack = {};
  if (member && (object === null || object.members.length === 0))
    replaced[section] = text.slice(member.valueStart, member.end);
  for (const host of hosts) {
    const earlier = object && lastMember(object, host);
    const value = values[host];
    const secretFree =
      section === 'credHelpers'
        ? value !== HELPER_NAME
        : isObject(value) &&
          !Object.keys(value).some((k) => SECRET_FIELDS.some((f) => goKeyMatches(k, f)));
    if (earlier && secretFree)
      replaced[`${section}/${host}`] = text.slice(earlier.valueStart, earlier.end);
  }
  return replaced;
}

/**
 * Takes out the logins migrate replaced: for each host, its own `auths` entry and every other
 * entry Docker or Podman would fall back to for it (`https://<host>`, `<host>/`, `<host>/v1/`,
 * `<host>/<namespace>`) that holds a credential, from every `auths` member of the file (Docker
 * merges duplicates). An `auths` left empty goes.
 */
export function removeLogins(text: string, hosts: string[]): string {
  parseConfig(text);
  const taken = (key: string, value: unknown): boolean =>
    hosts.includes(key) ||
    (hosts.includes(registryHostOf(key)) &&
      isObject(value) &&
      Object.entries(value).some(
        ([k, v]) =>
          SECRET_FIELDS.some((f) => goKeyMatches(k, f)) && typeof v === 'string' && v !== '',
      ));
  let edited = text;
  for (;;) {
    const root = scanJsonObject(edited);
    const found = root.members
      .filter((m) => m.key === 'auths' && m.object !== null)
      .map((section) => ({
        section,
        entry: section.object!.members.find((m) =>
          taken(m.key, JSON.parse(edited.slice(m.valueStart, m.end))),
        ),
      }))
      .find(({ entry }) => entry !== undefined);
    if (found === undefined) return edited;
    const { section, entry } = found;
    edited =
      section.object!.members.length > 1
        ? removeMember(edited, section.object!, entry!)
        : removeMember(edited, root, section);
  }
}

/** A value put back comes from the state file, not from the person: it must be one JSON value. */
function requireJsonValue(key: string, text: string): void {
  try {
    JSON.parse(text);
  } catch {
    throw new ToolFileError(
      'tool-file-invalid',
      `The value Artikey kept to put back for ${key} is not JSON; Artikey left config.json untouched.`,
    );
  }
}

/** The fields of an auths entry that hold a credential; one holding any of them is not kept. */
const SECRET_FIELDS = ['auth', 'password', 'identitytoken', 'registrytoken'];

/** The top-level member `key` as Docker reads it (the last of duplicates), and its object value. */
function sectionOf(
  text: string,
  key: string,
): { member: JsonMember | undefined; object: JsonObject | null } {
  const member = lastMember(scanJsonObject(text), key);
  return { member, object: member?.object ?? null };
}

const lastMember = (object: JsonObject, key: string): JsonMember | undefined =>
  object.members.findLast((m) => m.key === key);

/** Docker's own reading of config.json; null when the file does not exist. */
export function readDockerConfig(text: string): Record<string, unknown> {
  return parseConfig(text).values;
}

/** The sections Artikey reads or edits, which Docker also fills from keys spelt in another case. */
const SECTIONS = ['auths', 'credHelpers', 'credsStore'];

/** The file as Docker reads it; a blank file is `{}`. */
function parseConfig(text: string | null): Config {
  const values = parseJsonObject(text, "Docker's config.json", ' Fix or move it, then try again.');
  const config: Config = { values, text: text ?? '' };
  if (text === null || text.trim() === '') return config;
  refuseGoSpellings(text, scanJsonObject(text), SECTIONS, "Docker's config.json", 'Docker');
  return config;
}

interface Config {
  values: Record<string, unknown>;
  text: string;
}

/**
 * The section as Docker reads it: encoding/json decodes each member of that name into the same
 * map, so duplicates merge (a later key wins), and `null` empties it.
 */
function objectAt(config: Config, key: string): Record<string, unknown> {
  if (config.text.trim() === '') return {};
  let merged: Record<string, unknown> = {};
  for (const member of scanJsonObject(config.text).members) {
    if (member.key !== key) continue;
    const value: unknown = JSON.parse(config.text.slice(member.valueStart, member.end));
    if (value === null) merged = {};
    else if (isObject(value)) merged = { ...merged, ...value };
    else
      throw new ToolFileError(
        'tool-file-invalid',
        `${key} in Docker's config.json is not an object (at ${lineAndColumn(config.text, member.valueStart)}); Artikey left the file untouched.`,
      );
  }
  return merged;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
