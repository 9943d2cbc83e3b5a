import { registryHostOf } from '../docker-hosts.js';
import { ToolFileError } from '../targets/tool-file.js';
import { credentialFrom, decodeBasic, type Candidate, type FindContext } from './classify.js';
import { inLineOrder, type Findings } from './findings.js';
import { isObject, jsonLines, parseJson } from './json-lines.js';

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
  const config = parsed.value;
  const lineOf = jsonLines(text);
  const candidates: Candidate[] = [];
  const auths = isObject(config['auths']) ? config['auths'] : {};
  for (const [registry, entry] of Object.entries(auths)) {
    if (!isObject(entry)) continue;
    const location = `auths[${JSON.stringify(registry)}]`;
    const base = { url: registry, host: registryHostOf(registry) || null };
    const line = lineOf(['auths', registry]);
    const field = (name: string): string | null => {
      const value = entry[name];
      return typeof value === 'string' && value.trim() !== '' ? value : null;
    };
    const auth = field('auth');
    const basic = auth === null ? null : decodeBasic(auth);
    const username = basic?.username || field('username');
    if (basic !== null) {
      candidates.push({
        ...base,
        location,
        line: lineOf(['auths', registry, 'auth']) ?? line,
        username,
        secret: basic.secret,
      });
    } else {
      const password = field('password');
      if (password !== null) {
        candidates.push({
          ...base,
          location,
          line: lineOf(['auths', registry, 'password']) ?? line,
          username,
          secret: password,
        });
      }
    }
    for (const name of ['identitytoken', 'registrytoken']) {
      const token = field(name);
      if (token === null) continue;
      candidates.push({
        ...base,
        location: `${location}.${name}`,
        line: lineOf(['auths', registry, name]) ?? line,
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

function storeNotes(config: Record<string, unknown>, name: string): string[] {
  const notes: string[] = [];
  const store = config['credsStore'];
  if (typeof store === 'string' && store.trim() !== '' && store !== OWN_HELPER) {
    notes.push(
      `${name} keeps its logins in the "${store}" credential store (credsStore); Artikey did not read the credentials held there.`,
    );
  }
  const helpers = isObject(config['credHelpers']) ? config['credHelpers'] : {};
  const byHelper = new Map<string, string[]>();
  for (const [host, helper] of Object.entries(helpers)) {
    if (typeof helper !== 'string' || helper.trim() === '' || helper === OWN_HELPER) continue;
    byHelper.set(helper, [...(byHelper.get(helper) ?? []), host]);
  }
  for (const [helper, hosts] of byHelper) {
    notes.push(
      `${name} asks the "${helper}" credential helper (credHelpers) for ${hosts.join(', ')}; Artikey did not read the credentials held there.`,
    );
  }
  return notes;
}
