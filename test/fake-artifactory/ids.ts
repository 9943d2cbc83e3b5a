import { randomBytes, randomUUID } from 'node:crypto';

const BASE32 = '0123456789abcdefghjkmnpqrstvwxyz';
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomFrom(alphabet: string, count: number): string {
  const bytes = randomBytes(count);
  let out = '';
  for (const byte of bytes) out += alphabet[byte % alphabet.length];
  return out;
}

/**
 * A ULID-like service id, 26 lowercase base32 characters, as in `jfac@01g5hek6kb29520rbz71v91cw9`
 * (the REST "Get Token by ID" sample and the tokens of jfrog-client-go's fixtures carry this form).
 */
export function serviceId(): string {
  return '01' + randomFrom(BASE32, 24);
}

export const tokenId = (): string => randomUUID();

/**
 * Refresh tokens are opaque to clients (REST "Create Token" documents no format); ours are UUIDs,
 * a guess at the form that nothing may depend on, and nothing can confuse with a JWT.
 */
export const refreshToken = (): string => randomUUID();

/**
 * A reference token: 64 characters, base64 of `reftkn:01:<10-digit expiry>:<27 random>` with
 * no `+` or `/`, so it matches the documented `cmVmd[A-Za-z0-9]{59}` shape (JFrog "Understanding
 * Identity Tokens"; KB 000004927 says 64 characters). The structure inside is decoded from public
 * samples, not documented: clients must not rely on it, and Artikey does not.
 */
export function referenceToken(expiresAtSeconds: number | null): string {
  const expiry = expiresAtSeconds === null ? '0000000000' : String(expiresAtSeconds).padStart(10, '0');
  for (;;) {
    const encoded = Buffer.from(`reftkn:01:${expiry}:${randomFrom(ALPHANUMERIC, 27)}`).toString('base64');
    if (/^cmVmd[A-Za-z0-9]{59}$/.test(encoded)) return encoded;
  }
}

/** An API key in the shape jfrog-cli recognises: `AKCp8` and 73 characters in all (jfrog-client-go `IsApiKey`). */
export const apiKey = (): string => 'AKCp8' + randomFrom(ALPHANUMERIC, 68);

export const webLoginSessionPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
