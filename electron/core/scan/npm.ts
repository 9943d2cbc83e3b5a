import { readIni, type IniEntry } from '../targets/ini-file.js';
import {
  credentialFrom,
  decodeBase64,
  decodeBasic,
  hostOfUrl,
  isEnvReference,
  type Candidate,
  type FindContext,
} from './classify.js';
import { inLineOrder, type Findings } from './findings.js';

const FIELDS = new Set(['_authToken', '_auth', '_password']);

/**
 * `.npmrc`: registry-scoped `//host/path/:_authToken`, `:_auth` (base64 user:password) and
 * `:_password` (base64) with `:username`; and the old unscoped `_auth`/`_authToken`/`_password`,
 * which apply to `registry=`.
 */
export function findInNpmrc(context: FindContext, text: string): Findings {
  const entries = readIni(text, 'npmrc').filter((entry) => entry.section === null);
  // npm lets a later line override an earlier one.
  const last = new Map<string, IniEntry>();
  for (const entry of entries) last.set(entry.key, entry);
  const registry = last.get('registry')?.value.trim() || null;
  const candidates: Candidate[] = [];
  for (const entry of last.values()) {
    const colon = entry.key.lastIndexOf(':');
    const scoped = entry.key.startsWith('//') && colon > 2;
    const field = scoped ? entry.key.slice(colon + 1) : entry.key;
    if (!FIELDS.has(field)) continue;
    const scope = scoped ? entry.key.slice(0, colon) : null;
    const url = scope ?? registry;
    const base = {
      location: entry.key,
      line: entry.line,
      url,
      host: url === null ? null : hostOfUrl(url),
    };
    const usernameKey = scope === null ? 'username' : `${scope}:username`;
    const username = last.get(usernameKey)?.value.trim() || null;
    const value = entry.value.trim();
    if (field === '_authToken' || isEnvReference(value)) {
      candidates.push({
        ...base,
        username: field === '_authToken' ? null : username,
        secret: value,
      });
    } else if (field === '_auth') {
      const basic = decodeBasic(value);
      if (basic !== null)
        candidates.push({ ...base, username: basic.username || null, secret: basic.secret });
    } else {
      const password = decodeBase64(value);
      if (password !== null) candidates.push({ ...base, username, secret: password });
    }
  }
  return {
    found: inLineOrder(candidates.map((candidate) => credentialFrom(context, candidate))),
    notes: [],
  };
}
