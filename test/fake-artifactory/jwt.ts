import { sign, verify, type KeyObject } from 'node:crypto';

/**
 * Claims in the order JFrog writes them, `ext` (a JSON string, not an object) first: the Access
 * token in jfrog/vault-plugin-secrets-artifactory `test_utils.go` (`jwtAccessToken`) reads
 * `{"ext":"{\"revocable\":\"true\"}","sub":…,"scp":…,"aud":"*@*","iss":…,"exp":…,"iat":…,"jti":…}`.
 * `ext` is optional and `aud` a string or a list: jfrog-client-go `auth/authutils_test.go` holds
 * tokens without `ext` and one with `aud` `["jfrt@*","jfmd@*","jfevt@*","jfac@*"]` (the knob
 * tokenShape mints each).
 */
export interface JFrogClaims {
  ext?: string;
  sub: string;
  scp: string;
  aud: string | string[];
  iss: string;
  /** A NumericDate; a string only where a test imitates a broken issuer (IssueRequest.expClaim). */
  exp?: number | string;
  iat: number;
  jti: string;
}

const encode = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');

/**
 * Signs an RS256 JWT the way Access does: header keys in the order ver, typ, alg, kid (so every
 * token starts with `eyJ2ZXIiOiIyIiwidHlwIjoiSldUIiwiYWxnIjoiUlMyNTYiLCJraWQiOi`) and slashes
 * escaped in the payload (`jfac@…\/users\/admin`), as in every token of jfrog-client-go
 * `auth/authutils_test.go` and the vault plugin's `test_utils.go`. RS256 with the key of the
 * root certificate is what the vault plugin verifies (`parseJWT`).
 */
export function signJwt(claims: JFrogClaims, privateKey: KeyObject, kid: string): string {
  const header = `{"ver":"2","typ":"JWT","alg":"RS256","kid":${JSON.stringify(kid)}}`;
  const ordered: JFrogClaims = {
    ...(claims.ext === undefined ? {} : { ext: claims.ext }),
    sub: claims.sub,
    scp: claims.scp,
    aud: claims.aud,
    iss: claims.iss,
    ...(claims.exp === undefined ? {} : { exp: claims.exp }),
    iat: claims.iat,
    jti: claims.jti,
  };
  const payload = JSON.stringify(ordered).replaceAll('/', '\\/');
  const signingInput = `${encode(header)}.${encode(payload)}`;
  const signature = sign('sha256', Buffer.from(signingInput), privateKey).toString('base64url');
  return `${signingInput}.${signature}`;
}

export type JwtCheck =
  | { ok: true; claims: JFrogClaims }
  | { ok: false; reason: 'malformed' | 'bad-signature' };

/** Parses and verifies a compact JWT; only shape and signature, expiry is the caller's business (token-store.ts). */
export function verifyJwt(token: string, publicKey: KeyObject): JwtCheck {
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((part) => !/^[A-Za-z0-9_-]+$/.test(part))) {
    return { ok: false, reason: 'malformed' };
  }
  const [header = '', payload = '', signature = ''] = parts;
  let claims: unknown;
  try {
    const parsedHeader: unknown = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
    if (typeof parsedHeader !== 'object' || parsedHeader === null || (parsedHeader as { alg?: unknown }).alg !== 'RS256') {
      return { ok: false, reason: 'malformed' };
    }
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (typeof claims !== 'object' || claims === null) return { ok: false, reason: 'malformed' };
  const valid = verify('sha256', Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature, 'base64url'));
  return valid ? { ok: true, claims: claims as JFrogClaims } : { ok: false, reason: 'bad-signature' };
}

/** The fake's own triage of a bearer value (a JWT or not), not a claim about the server. */
export const looksLikeJwt = (value: string): boolean => /^eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(value);
