import type { AccessClient, TokenGrant } from './access.js';
import { ArtikeyError } from './errors.js';
import type { TokenFacts } from './state.js';
import { classifySecret, decodeAccessToken, referenceTokenExpiry, TokenFormatError, verifyTokenSignature, type AccessTokenClaims } from './tokens.js';

/**
 * The server's clock minus ours, from a token it just issued (`iat` is its "now"). Differences
 * of a few seconds are network latency, not skew.
 */
export function clockOffset(facts: TokenFacts, localSeconds: number): number {
  if (facts.issuedAt === null) return 0;
  const offset = facts.issuedAt - localSeconds;
  return Math.abs(offset) < 5 ? 0 : offset;
}

/**
 * What a token grant holds, read by the token's own shape: a JWT's claims, or for a reference token
 * (which Bearer auth accepts too) what the reply and its inner form say. The signature is checked
 * later, by whoever can fetch the root certificate. Throws `invalid-token` for anything else.
 */
export function grantFacts(grant: TokenGrant, username: string | null): TokenFacts {
  const shape = classifySecret(grant.accessToken);
  if (shape === 'reference-token') {
    return {
      kind: 'reference-token',
      tokenId: grant.tokenId,
      subject: username,
      scopes: grant.scope ? grant.scope.split(/\s+/) : [],
      audience: [],
      issuer: null,
      issuedAt: null,
      expiresAt: referenceTokenExpiry(grant.accessToken)?.expiresAt ?? null,
      refreshable: grant.refreshToken !== null,
      revocable: null,
      signature: 'not-checked',
    };
  }
  if (shape !== 'access-token') throw new ArtikeyError('invalid-token', 'The access token is not a JFrog access token (neither a JWT nor a reference token).');
  const claims = readClaims(grant.accessToken);
  return {
    kind: 'access-token',
    tokenId: claims.tokenId ?? grant.tokenId,
    subject: claims.subject,
    scopes: claims.scopes,
    audience: claims.audience,
    issuer: claims.issuer,
    issuedAt: claims.issuedAt,
    expiresAt: claims.expiresAt,
    refreshable: grant.refreshToken !== null,
    revocable: claims.revocable,
    signature: 'not-checked',
  };
}

/** The id to revoke a grant by: the reply's, else the JWT's own; null for a token that has neither. */
export function tokenIdOf(grant: TokenGrant): string | null {
  if (grant.tokenId) return grant.tokenId;
  try {
    return readClaims(grant.accessToken).tokenId;
  } catch {
    return null;
  }
}

export function readClaims(jwt: string): AccessTokenClaims {
  try {
    return decodeAccessToken(jwt);
  } catch (error) {
    if (error instanceof TokenFormatError) throw new ArtikeyError('invalid-token', error.message);
    throw error;
  }
}


/** The facts with the signature checked (access tokens; `rootCertificate` null = could not be fetched). */
export async function verifiedFacts(facts: TokenFacts, grant: TokenGrant, rootCertificate: string | null): Promise<TokenFacts> {
  return facts.kind === 'access-token' ? { ...facts, signature: await verifyTokenSignature(grant.accessToken, rootCertificate) } : facts;
}

/** The certificate the instance signs tokens with; null when it cannot be fetched (the signature then shows as not checked). */
export async function rootCertificate(client: AccessClient, accessToken: string): Promise<string | null> {
  return client.rootCertificate({ kind: 'bearer', token: accessToken }).catch(() => null);
}
