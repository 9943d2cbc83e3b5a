import { registryHostOf } from '../docker-hosts.js';
import { lineAt } from '../targets/text-lines.js';
import { ToolFileError } from '../targets/tool-file.js';
import { credentialFrom, decodeBasic, type Candidate, type FindContext } from './classify.js';
import { inLineOrder, type Findings } from './findings.js';
import {
  goKeyMatches,
  scanJsonObject,
  type JsonMember,
  type JsonObject,
} from '../targets/json-members.js';
import { isObject, parseJson } from './json-lines.js';

/** Artikey's own helper: hosts it serves hold no plain-text credential. */
const OWN_HELPER = 'artikey';

/** Whose file in Docker's format is read: the tool as notes name it, the file as problems do. */
export interface DockerFormatTool {
  name: string;
  format: string;
}
const DOCKER: DockerFormatTool = { name: 'Docker', format: "Docker's config.json" };

/**
 * Docker's `config.json`: `auths[<registry>]` with `auth` = base64(user:secret), or separate
 * `username`/`password`, and `identitytoken`/`registrytoken`. Credentials in a `credsStore` or a
 * `credHelpers` helper are not in the file: a note says which store was not read. The containers
 * auth.json of Podman, Buildah and Skopeo is the same format (`tool` names whose file it is).
 */
export function findInDockerConfig(
  context: FindContext,
  text: string,
  tool: DockerFormatTool = DOCKER,
): Findings {
  // Docker treats an empty file as an empty configuration.
  if (text.trim() === '') return { found: [], notes: [] };
  const parsed = parseJson(text);
  if (!parsed.ok) {
    const where = parsed.line === null ? '' : ` (near line ${parsed.line})`;
    throw new ToolFileError('tool-file-invalid', `${tool.format} is not valid JSON${where}.`);
  }
  if (!isObject(parsed.value))
    throw new ToolFileError('tool-file-invalid', `${tool.format} is not a JSON object.`);
  const config = goConfig(text);
  const candidates: Candidate[] = [];
  for (const [registry, entry] of config.auths) {
    const location = `auths[${JSON.stringify(registry)}]`;
    const base = { url: registry, host: registryHostOf(registry) || null };
    const field = (name: AuthField): string | null => {
      const value = entry.fields.get(name)?.value;
      return value !== undefined && value.trim() !== '' ? value : null;
    };
    const lineOf = (name: AuthField): number => entry.fields.get(name)?.line ?? entry.line;
    const auth = field('auth');
    const basic = auth === null ? null : decodeBasic(auth);
    const username = basic?.username || field('username');
    if (basic !== null) {
      candidates.push({ ...base, location, line: lineOf('auth'), username, secret: basic.secret });
    } else {
      const password = field('password');
      if (password !== null)
        candidates.push({
          ...base,
          location,
          line: lineOf('password'),
          username,
          secret: password,
        });
    }
    for (const name of ['identitytoken', 'registrytoken'] as const) {
      const token = field(name);
      if (token === null) continue;
      candidates.push({
        ...base,
        location: `${location}.${name}`,
        line: lineOf(name),
        username,
        secret: token,
      });
    }
  }
  return {
    found: inLineOrder(candidates.map((candidate) => credentialFrom(context, candidate))),
    notes: storeNotes(config, tool.name),
  };
}

const AUTH_FIELDS = ['auth', 'username', 'password', 'identitytoken', 'registrytoken'] as const;
type AuthField = (typeof AUTH_FIELDS)[number];

interface GoAuthEntry {
  line: number;
  fields: Map<AuthField, { value: string; line: number }>;
}

/** What Artikey reads of the file, as Docker's Go code fills its `ConfigFile`. */
interface GoConfig {
  auths: Map<string, GoAuthEntry>;
  credsStore: string | null;
  credHelpers: Map<string, string>;
}

/**
 * The file as docker/cli's `configfile.ConfigFile` is filled by Go's encoding/json: a key fills a
 * field when Go matches it ignoring case (`"Auths"`, `"auth\u017f"`: goKeyMatches); every key
 * matching `auths` or `credHelpers` adds its entries to one map in document order, a later entry
 * for the same name replacing the earlier one whole, and `null` empties the map; a string field
 * takes the last string given (`null` leaves it as it was). JSON.parse alone keeps one member per
 * exact key and none spelt otherwise, which hid credentials Docker sends.
 */
function goConfig(text: string): GoConfig {
  const root = scanJsonObject(text);
  const valueOf = (member: JsonMember): unknown =>
    JSON.parse(text.slice(member.valueStart, member.end));
  const stringOf = (member: JsonMember): string | undefined => {
    const value = valueOf(member);
    return typeof value === 'string' ? value : undefined;
  };
  /** The entries of every object member matching `name`, merged as Go merges them into a map. */
  const mapOf = (object: JsonObject, name: string): Map<string, JsonMember> => {
    const entries = new Map<string, JsonMember>();
    for (const member of object.members) {
      if (!goKeyMatches(member.key, name)) continue;
      if (member.object === null) {
        if (valueOf(member) === null) entries.clear();
        continue;
      }
      for (const entry of member.object.members) entries.set(entry.key, entry);
    }
    return entries;
  };
  const auths = new Map<string, GoAuthEntry>();
  for (const [registry, member] of mapOf(root, 'auths')) {
    const fields = new Map<AuthField, { value: string; line: number }>();
    for (const field of member.object?.members ?? []) {
      const name = AUTH_FIELDS.find((candidate) => goKeyMatches(field.key, candidate));
      const value = name === undefined ? undefined : stringOf(field);
      if (name !== undefined && value !== undefined)
        fields.set(name, { value, line: lineAt(text, field.start) });
    }
    auths.set(registry, { line: lineAt(text, member.start), fields });
  }
  const credHelpers = new Map<string, string>();
  for (const [host, member] of mapOf(root, 'credHelpers')) {
    const helper = stringOf(member);
    if (helper !== undefined) credHelpers.set(host, helper);
  }
  let credsStore: string | null = null;
  for (const member of root.members)
    if (goKeyMatches(member.key, 'credsStore')) credsStore = stringOf(member) ?? credsStore;
  return { auths, credsStore, credHelpers };
}

function storeNotes(config: GoConfig, name: string): string[] {
  const notes: string[] = [];
  const store = config.credsStore;
  if (store !== null && store.trim() !== '' && store !== OWN_HELPER) {
    notes.push(
      `${name} keeps its logins in the "${store}" credential store (credsStore); Artikey did not read the credentials held there.`,
    );
  }
  const byHelper = new Map<string, string[]>();
  for (const [host, helper] of config.credHelpers) {
    if (helper.trim() === '' || helper === OWN_HELPER) continue;
    byHelper.set(helper, [...(byHelper.get(helper) ?? []), host]);
  }
  for (const [helper, hosts] of byHelper) {
    notes.push(
      `${name} asks the "${helper}" credential helper (credHelpers) for ${hosts.join(', ')}; Artikey did not read the credentials held there.`,
    );
  }
  return notes;
}
