import { compactVerify, decodeJwt, decodeProtectedHeader, importX509 } from 'jose';

/** What a secret is, judged by its shape alone (as a scanner or a paste box must). */
export type SecretShape = 'access-token' | 'reference-token' | 'api-key' | 'unknown';

const JWT = /^eyJ[A-Za-z0-9_-]*\.eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+$/;
const REFERENCE = /^cmVmd[A-Za-z0-9]{59}$/;
/** jfrog-cli's own test: `AKCp8` and at least 73 characters; `AKCp5` was a Docker token prefix. */
const API_KEY = /^AKCp8[A-Za-z0-9]{68,}$/;

export function classifySecret(value: string): SecretShape {
  const text = value.trim();
  if (JWT.test(text)) return 'access-token';
  if (REFERENCE.test(text)) return 'reference-token';
  if (API_KEY.test(text)) return 'api-key';
  return 'unknown';
}

/** The claims of a JFrog access token, in the terms the UI and CLI show. */
export interface AccessTokenClaims {
  tokenId: string | null;
  subject: string;
  /** From `sub` the way jfrog-cli does it; null for subjects that name no user (OIDC, groups). */
  username: string | null;
  scopes: string[];
  audience: string[];
  issuer: string | null;
  /** Seconds since the epoch. */
  issuedAt: number | null;
  /** Seconds since the epoch; null when the token never expires. */
  expiresAt: number | null;
  /** From `ext`; null when the token does not say. */
  revocable: boolean | null;
  keyId: string | null;
}

export class TokenFormatError extends Error {
  readonly code = 'token-malformed';
}

export function decodeAccessToken(jwt: string): AccessTokenClaims {
  let claims: ReturnType<typeof decodeJwt>;
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(jwt);
    claims = decodeJwt(jwt);
  } catch {
    throw new TokenFormatError('This is not a readable JFrog access token (the JWT could not be decoded).');
  }
  if (typeof claims.sub !== 'string' || claims.sub === '') {
    throw new TokenFormatError('This token has no subject; it was not issued by JFrog Access.');
  }
  // An absent `exp` is a non-expiring token (expires_in 0); a present one that is not a number
  // would otherwise read as "never expires".
  for (const name of ['exp', 'iat', 'nbf'] as const) {
    const value: unknown = claims[name];
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))) {
      throw new TokenFormatError(`This token's "${name}" claim is not a number of seconds, so its lifetime cannot be known; it was not issued by a working JFrog Access.`);
    }
  }
  const scope = typeof claims['scp'] === 'string' ? claims['scp'] : '';
  // `aud` is a string or a list (JFrog's fixtures have both; issue 15, item 10): anything else in
  // it is no service id, and the state file and the window expect strings.
  const aud: unknown = claims.aud;
  const audience = (Array.isArray(aud) ? aud : [aud]).filter((entry): entry is string => typeof entry === 'string');
  return {
    tokenId: typeof claims.jti === 'string' ? claims.jti : null,
    subject: claims.sub,
    username: usernameFromSubject(claims.sub),
    scopes: scope.split(/\s+/).filter(Boolean),
    audience,
    issuer: typeof claims.iss === 'string' ? claims.iss : null,
    issuedAt: claims.iat ?? null,
    expiresAt: claims.exp ?? null,
    revocable: revocableFromExt(claims['ext']),
    keyId: typeof header.kid === 'string' ? header.kid : null,
  };
}

/** jfrog-cli's rule: the last path segment of `jfrt@…` or `…/users/…` subjects; otherwise none. */
export function usernameFromSubject(subject: string): string | null {
  if (subject.includes('/users/') || (subject.startsWith('jfrt@') && subject.includes('/'))) {
    const name = subject.slice(subject.lastIndexOf('/') + 1);
    return name === '' ? null : name;
  }
  return null;
}

function revocableFromExt(ext: unknown): boolean | null {
  if (typeof ext !== 'string') return null;
  try {
    const parsed: unknown = JSON.parse(ext);
    const value = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>)['revocable'] : undefined;
    return value === 'true' || value === true ? true : value === 'false' || value === false ? false : null;
  } catch {
    return null;
  }
}

/**
 * A reference token's expiry, read from its (undocumented) inner form
 * `reftkn:01:<10-digit expiry>:<random>`; undefined when it does not have that form.
 */
export function referenceTokenExpiry(reference: string): { expiresAt: number | null } | undefined {
  if (!REFERENCE.test(reference)) return undefined;
  const inner = Buffer.from(reference, 'base64').toString('latin1');
  const match = /^reftkn:01:(\d{10}):/.exec(inner);
  if (!match?.[1]) return undefined;
  const seconds = Number(match[1]);
  return { expiresAt: seconds === 0 ? null : seconds };
}

export type SignatureCheck = 'verified' | 'invalid' | 'not-checked';

/**
 * Checks the token's RS256 signature against the instance's root certificate (base64 DER, as
 * `/access/api/v1/cert/root` serves it). Only the signature: expiry is judged by the status.
 */
export async function verifyTokenSignature(jwt: string, rootCertificateBase64: string | null): Promise<SignatureCheck> {
  if (!rootCertificateBase64) return 'not-checked';
  const body = rootCertificateBase64.replace(/-----[^-]+-----|\s+/g, '');
  let key: Awaited<ReturnType<typeof importX509>>;
  try {
    const pem = `-----BEGIN CERTIFICATE-----\n${body.match(/.{1,64}/g)?.join('\n') ?? ''}\n-----END CERTIFICATE-----`;
    key = await importX509(pem, 'RS256');
  } catch {
    return 'not-checked';
  }
  try {
    await compactVerify(jwt, key, { algorithms: ['RS256'] });
    return 'verified';
  } catch {
    return 'invalid';
  }
}

export type TokenStatus = 'active' | 'expiring' | 'expired' | 'revoked' | 'not-revocable' | 'refresh-failing' | 'unknown';

export interface StatusInput {
  expiresAt: number | null;
  refreshable: boolean;
  revocable: boolean | null;
  revocation: 'active' | 'revoked' | 'not-persisted' | 'unknown';
  /** The last refresh attempt failed in a way that needs the user. */
  refreshFailing: boolean;
  /** The last server check could not reach the instance. */
  offline: boolean;
}

/**
 * One word for the state of a token, the most urgent first: what the user must act on
 * outranks what is merely worth knowing. Times in seconds.
 */
export function tokenStatus(input: StatusInput, nowSeconds: number, expiringWithinSeconds: number): TokenStatus {
  if (input.revocation === 'revoked') return 'revoked';
  if (input.expiresAt !== null && input.expiresAt <= nowSeconds) return 'expired';
  if (input.refreshFailing) return 'refresh-failing';
  // A refreshable token close to expiry is routine: it is renewed before then.
  if (!input.refreshable && input.expiresAt !== null && input.expiresAt - nowSeconds <= expiringWithinSeconds) return 'expiring';
  if (input.offline) return 'unknown';
  if (input.revocable === false) return 'not-revocable';
  return 'active';
}
