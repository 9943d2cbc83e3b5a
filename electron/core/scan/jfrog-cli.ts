import { createDecipheriv } from 'node:crypto';
import { ToolFileError } from '../targets/tool-file.js';
import { credentialFrom, hostOfUrl, type Candidate, type FindContext } from './classify.js';
import { inLineOrder, type Findings } from './findings.js';
import { isObject, jsonLines, parseJson } from './json-lines.js';

/** The secrets of a server entry, in the order jfrog-cli-core's `ServerDetails` declares them. */
const SECRET_FIELDS = [
  'password',
  'apiKey',
  'accessToken',
  'refreshToken',
  'artifactoryRefreshToken',
] as const;
/** What jfrog-cli encrypts when the file says `"enc": true` (API keys never were). */
const ENCRYPTED_FIELDS = new Set<string>([
  'password',
  'accessToken',
  'refreshToken',
  'artifactoryRefreshToken',
]);

/** Not passwords: jfrog-cli trades them for new access tokens. */
const REFRESH_FIELDS = new Set<string>(['refreshToken', 'artifactoryRefreshToken']);

const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** The 32-byte key jfrog-cli encrypts with, or null when the text is not one. */
export function encryptionKeyFrom(text: string | null | undefined): Buffer | null {
  if (text === null || text === undefined) return null;
  const key = Buffer.from(text, 'utf8');
  return key.length === KEY_BYTES ? key : null;
}

/** jfrog-cli-core's AES-256-GCM: base64(12-byte nonce ‖ ciphertext ‖ 16-byte tag); null when it does not open. */
export function decryptValue(value: string, key: Buffer): string | null {
  const sealed = Buffer.from(value, 'base64');
  if (sealed.length < NONCE_BYTES + TAG_BYTES) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, NONCE_BYTES));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    const plain = Buffer.concat([
      decipher.update(sealed.subarray(NONCE_BYTES, sealed.length - TAG_BYTES)),
      decipher.final(),
    ]);
    return plain.toString('utf8');
  } catch {
    return null;
  }
}

/**
 * JFrog CLI's `jfrog-cli.conf.v6` (and the older `.v5`, `.v4`, unversioned files it leaves
 * behind): every server's password, API key, access and refresh tokens. An encrypted file is
 * opened with the key when there is one; otherwise its values are reported as `encrypted`.
 */
export function findInJfrogCliConfig(
  context: FindContext,
  text: string,
  keyText: string | null,
): Findings {
  if (text.trim() === '') return { found: [], notes: [] };
  const parsed = parseJson(text);
  if (!parsed.ok) {
    const where = parsed.line === null ? '' : ` (near line ${parsed.line})`;
    throw new ToolFileError(
      'tool-file-invalid',
      `The JFrog CLI configuration is not valid JSON${where}.`,
    );
  }
  if (!isObject(parsed.value))
    throw new ToolFileError(
      'tool-file-invalid',
      'The JFrog CLI configuration is not a JSON object.',
    );
  const config = parsed.value;
  const encrypted = config['enc'] === true;
  const key = encrypted ? encryptionKeyFrom(keyText) : null;
  const lineOf = jsonLines(text);
  const servers = Array.isArray(config['servers']) ? config['servers'] : [];
  const candidates: Candidate[] = [];
  let undecryptable = 0;
  servers.forEach((server: unknown, index) => {
    if (!isObject(server)) return;
    const read = (name: string): string | null => {
      const value = server[name];
      return typeof value === 'string' && value.trim() !== '' ? value : null;
    };
    const serverId = read('serverId');
    const url = read('url') ?? read('artifactoryUrl');
    const base = {
      url,
      host: url === null ? null : hostOfUrl(url),
      username: read('user'),
      artifactory: true,
    };
    for (const field of SECRET_FIELDS) {
      const value = read(field);
      if (value === null) continue;
      const location = `servers[${serverId === null ? index : `serverId=${serverId}`}] ${field}`;
      const line = lineOf(['servers', index, field]);
      const refreshToken = REFRESH_FIELDS.has(field);
      if (!encrypted || !ENCRYPTED_FIELDS.has(field)) {
        candidates.push({ ...base, location, line, refreshToken, secret: value });
        continue;
      }
      const plain = key === null ? null : decryptValue(value, key);
      if (key !== null && plain === null) undecryptable++;
      candidates.push(
        plain === null
          ? { ...base, location, line, secret: value, encrypted: true }
          : { ...base, location, line, refreshToken, secret: plain },
      );
    }
  });
  const notes: string[] = [];
  if (encrypted && keyText !== null && key === null) {
    notes.push(
      'The JFrog CLI encryption key is not 32 bytes long; encrypted values are reported as encrypted.',
    );
  }
  if (undecryptable > 0) {
    notes.push(
      `${undecryptable} encrypted value(s) did not open with the JFrog CLI encryption key; they are reported as encrypted.`,
    );
  }
  return {
    found: inLineOrder(candidates.map((candidate) => credentialFrom(context, candidate))),
    notes,
  };
}
