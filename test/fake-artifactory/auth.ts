import type { IncomingMessage } from 'node:http';
import { transientUser, type FakeUser } from './directory.js';
import type { AuthScheme, CredentialKind } from './recorder.js';
import type { FakeState } from './state.js';
import type { TokenRecord } from './token-store.js';

export type AuthFailure = 'bad-credentials' | 'expired' | 'revoked' | 'malformed' | 'disabled' | 'api-keys-disabled';

export interface Caller {
  user: FakeUser;
  kind: Exclude<CredentialKind, null | 'invalid' | 'refresh-pair'>;
  /** The Access scope the caller acts with. */
  scope: string;
  token?: TokenRecord;
}

export type AuthResult =
  | { ok: true; scheme: AuthScheme; caller: Caller | null; secret: string | null }
  | { ok: false; scheme: AuthScheme; failure: AuthFailure; secret: string | null; user: string | null };

const USER_SCOPE = 'applied-permissions/user';

/**
 * Who is calling, from the headers Artifactory accepts: `Authorization: Bearer` (access,
 * reference or registry token), `Authorization: Basic` (password, API key, access or reference
 * token as password) and `X-JFrog-Art-Api`, the schemes JFrog's REST API introduction lists under
 * "Authentication" (and jfrog-client-go `auth/` sends). No credentials = anonymous (caller null).
 */
export function authenticate(req: IncomingMessage, state: FakeState, options: { allowExpired?: boolean } = {}): AuthResult {
  const apiKeyHeader = req.headers['x-jfrog-art-api'];
  const header = req.headers.authorization;
  if (typeof apiKeyHeader === 'string' && apiKeyHeader !== '') {
    return viaSecret(state, 'ApiKey', null, apiKeyHeader.trim(), options);
  }
  if (!header) return { ok: true, scheme: null, caller: null, secret: null };
  const [rawScheme = '', ...rest] = header.trim().split(/\s+/);
  const value = rest.join(' ');
  const scheme = rawScheme.toLowerCase();
  if (scheme === 'bearer') {
    if (!value) return { ok: false, scheme: 'Bearer', failure: 'malformed', secret: null, user: null };
    const registry = state.registryTokens.get(value);
    if (registry) {
      const user = state.directory.user(registry.username);
      if (!user || registry.expiresAt <= state.clock.seconds()) {
        return { ok: false, scheme: 'Bearer', failure: 'expired', secret: value, user: registry.username };
      }
      return { ok: true, scheme: 'Bearer', caller: { user, kind: 'registry-token', scope: registry.scope }, secret: value };
    }
    return viaSecret(state, 'Bearer', null, value, options);
  }
  if (scheme === 'basic') {
    let decoded: string;
    try {
      decoded = Buffer.from(value, 'base64').toString('utf8');
    } catch {
      return { ok: false, scheme: 'Basic', failure: 'malformed', secret: null, user: null };
    }
    const colon = decoded.indexOf(':');
    if (colon < 0) return { ok: false, scheme: 'Basic', failure: 'malformed', secret: null, user: null };
    return viaSecret(state, 'Basic', decoded.slice(0, colon), decoded.slice(colon + 1), options);
  }
  return { ok: false, scheme: null, failure: 'malformed', secret: null, user: null };
}

function viaSecret(state: FakeState, scheme: AuthScheme, username: string | null, secret: string, options: { allowExpired?: boolean }): AuthResult {
  const fail = (failure: AuthFailure, user: string | null = username): AuthResult => ({ ok: false, scheme, failure, secret, user });
  const ok = (caller: Caller): AuthResult =>
    caller.user.disabled ? fail('disabled', caller.user.name) : { ok: true, scheme, caller, secret };

  if (/^AKCp[A-Za-z0-9]{60,}$/.test(secret)) {
    if (!state.config.apiKeysEnabled) return fail('api-keys-disabled');
    const user = state.directory.userByApiKey(secret);
    if (!user || (username !== null && username !== user.name)) return fail('bad-credentials');
    return ok({ user, kind: 'api-key', scope: USER_SCOPE });
  }

  if (username !== null && scheme === 'Basic') {
    const user = state.directory.user(username);
    if (user && user.password === secret) return ok({ user, kind: 'password', scope: USER_SCOPE });
  }

  const looksLikeToken = /^cmVmd[A-Za-z0-9]{59}$/.test(secret) || secret.startsWith('eyJ');
  if (!looksLikeToken) return fail(scheme === 'Bearer' ? 'malformed' : 'bad-credentials');

  const lookup = state.tokens.lookup(secret);
  let token: TokenRecord;
  if (lookup.ok) token = lookup.token;
  else if (lookup.reason === 'expired' && options.allowExpired) {
    const found = state.tokens.find(secret);
    if (!found) return fail('bad-credentials');
    token = found;
  } else {
    const reason: AuthFailure = lookup.reason === 'unknown' ? 'bad-credentials' : lookup.reason;
    return fail(reason, state.tokens.find(secret)?.username ?? username);
  }
  if (username !== null && state.config.basicUsernameMustMatchToken && username !== token.username) {
    return fail('bad-credentials', username);
  }
  // An admin may mint tokens for a name the platform does not know: a transient user lives in the token.
  const user = state.directory.user(token.username) ?? transientUser(token.username, token.scope);
  const kind = secret.startsWith('eyJ') ? 'access-token' : 'reference-token';
  return ok({ user, kind, scope: token.scope, token });
}

/**
 * The message Artifactory's REST API gives for each failure (401 unless noted by the caller).
 * `expired` is the text JFrog's own Vault plugin matches (jfrog/vault-plugin-secrets-artifactory
 * `artifactory.go`); "Bad credentials" is Artifactory's answer to a wrong password as jfrog-cli
 * issues quote it; "API Key usage is disabled" follows "API Key Deprecation Process". The
 * `revoked`, `malformed` and `disabled` wordings are guesses (no capture on record); clients
 * must rely on the status, and Artikey does.
 */
export function artifactoryMessage(failure: AuthFailure): string {
  switch (failure) {
    case 'expired':
      return 'Token failed verification: expired';
    case 'revoked':
      return 'Token failed verification: revoked';
    case 'malformed':
      return 'Token failed verification: parse error';
    case 'disabled':
      return 'User is disabled';
    case 'api-keys-disabled':
      return 'API Key usage is disabled';
    case 'bad-credentials':
      return 'Bad credentials';
  }
}

/**
 * The message Access gives for each failure. "Invalid token, expired" is what the Vault plugin
 * matches and jfrog/setup-jfrog-cli#220 shows; the others mirror it and are guesses.
 */
export function accessMessage(failure: AuthFailure): string {
  switch (failure) {
    case 'expired':
      return 'Invalid token, expired';
    case 'revoked':
      return 'Invalid token, revoked';
    case 'malformed':
      return 'Invalid token, malformed';
    case 'disabled':
      return 'User is disabled';
    case 'api-keys-disabled':
      return 'API Key usage is disabled';
    case 'bad-credentials':
      return 'Bad credentials';
  }
}
