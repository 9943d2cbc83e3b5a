import { BASIC_USER_UNSAFE, requireSafeValues, type Field } from './safe-values.js';
import { ToolFileError } from './tool-file.js';

/**
 * Docker's `config.json`: Artikey owns `credHelpers[<host>] = "artikey"` (the default) or, in the
 * opt-in mode for machines where a helper cannot run, `auths[<host>].auth`. Every other key
 * (`auths` of other registries, `credsStore`, `proxies`, `currentContext`, unknown fields) and the
 * file's indentation survive; Docker itself rewrites the file the same way.
 */
export type DockerConfigChange =
  | { helper: { hosts: string[]; name: string | null } }
  | {
      auths:
        { hosts: string[]; username: string; secret: string } | { hosts: string[]; remove: true };
    };

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
  let changed = false;
  if ('helper' in change) {
    const helpers = objectAt(config, 'credHelpers');
    for (const host of change.helper.hosts) {
      if (change.helper.name === null) {
        if (helpers[host] === HELPER_NAME) {
          delete helpers[host];
          changed = true;
        }
      } else if (helpers[host] !== change.helper.name) {
        helpers[host] = change.helper.name;
        changed = true;
      }
    }
    put(config, 'credHelpers', helpers);
  } else {
    const auths = objectAt(config, 'auths');
    const store = config['credsStore'];
    if (!('remove' in change.auths) && typeof store === 'string' && store !== '') {
      const helpers = objectAt(config, 'credHelpers');
      const shadowed = change.auths.hosts.filter((host) => helpers[host] === undefined);
      if (shadowed.length > 0) {
        // Docker never reads `auths` for a host while a credsStore is set: the entry would be dead weight.
        throw new ToolFileError(
          'tool-file-conflict',
          `Docker keeps credentials in its "${store}" store, so it would ignore an auths entry for ${shadowed.join(', ')}. Use the credential helper instead (artikey configure docker without --auths).`,
        );
      }
    }
    const wanted =
      'remove' in change.auths
        ? null
        : Buffer.from(`${change.auths.username}:${change.auths.secret}`).toString('base64');
    for (const host of change.auths.hosts) {
      const entry = auths[host];
      if (wanted === null) {
        if (entry !== undefined) {
          delete auths[host];
          changed = true;
        }
      } else if (!isObject(entry) || entry['auth'] !== wanted) {
        // Docker reads `auth` first; stale username/password/identitytoken fields would confuse people.
        auths[host] = { auth: wanted };
        changed = true;
      }
    }
    put(config, 'auths', auths);
  }
  if (!changed) return text ?? '';
  const indent = /^[ \t]+/m.exec(text ?? '')?.[0] ?? '\t';
  return `${JSON.stringify(config, null, indent)}\n`;
}

/** Docker's own reading of config.json; null when the file does not exist. */
export function readDockerConfig(text: string): Record<string, unknown> {
  return parseConfig(text);
}

function parseConfig(text: string | null): Record<string, unknown> {
  if (text === null || text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ToolFileError(
      'tool-file-invalid',
      `Docker's config.json is not valid JSON (${(error as Error).message}); Artikey left it untouched. Fix or move it, then try again.`,
    );
  }
  if (!isObject(parsed))
    throw new ToolFileError(
      'tool-file-invalid',
      `Docker's config.json is not a JSON object; Artikey left it untouched.`,
    );
  return parsed;
}

function objectAt(config: Record<string, unknown>, key: string): Record<string, unknown> {
  const value = config[key];
  if (value === undefined || value === null) return {};
  if (!isObject(value))
    throw new ToolFileError(
      'tool-file-invalid',
      `${key} in Docker's config.json is not an object; Artikey left the file untouched.`,
    );
  return { ...value };
}

/** Puts the edited object back, dropping it when Artikey's removal left it empty. */
function put(config: Record<string, unknown>, key: string, value: Record<string, unknown>): void {
  if (Object.keys(value).length > 0) config[key] = value;
  else delete config[key];
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
