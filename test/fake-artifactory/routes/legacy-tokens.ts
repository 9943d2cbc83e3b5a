import { artifactoryMessage } from '../auth.js';
import { artifactoryError, fieldBoolean, fieldInteger, fieldString, readFields, sendJson, sendText, type Exchange, type Fields, type Router } from '../http.js';
import type { TokenRecord } from '../token-store.js';
import { requireAdmin, requireCaller } from './guards.js';

const LEGACY = /^\/artifactory\/api\/security\/token$/;

/**
 * The deprecated Artifactory token API (REST "Create Token (Deprecated)", "Refresh Token
 * (Deprecated)", "Revoke Token (Deprecated)", "Get Tokens (Deprecated)"; since 5.0.0): form-encoded
 * only (jfrog-client-go `artifactory/services/security.go` posts forms), OAuth-style validation
 * errors `{"error":"invalid_request","error_description":…}` (jfrog/jfrog-cli#764, #901), plain-text
 * revoke answers "Token revoked" / "Token not found" (jfrog-client-go
 * `tests/artifactorysecurity_test.go`), default lifetime 3600 s and `api:*` added to the scope
 * (the deprecated Create Token page). The 401 `invalid_grant` answers to a bad refresh pair and
 * the 403 messages are guesses.
 */
export function legacyTokenRoutes(router: Router): void {
  router.on('POST', LEGACY, async (ex) => {
    const fields = await readFields(ex, { json: false, form: true }, (message, status) => artifactoryError(ex, status, message));
    if (!fields) return;
    const grant = fieldString(fields, 'grant_type') ?? 'client_credentials';
    if (grant === 'refresh_token') return refresh(ex, fields);
    if (grant !== 'client_credentials') return oauthError(ex, 'unsupported_grant_type', `Unsupported grant type: ${grant}`);
    return create(ex, fields);
  });

  router.on('GET', LEGACY, (ex) => {
    if (!requireAdmin(ex, 'artifactory')) return;
    const tokens = ex.state.tokens.listed().filter((t) => t.kind === 'legacy');
    sendJson(ex, 200, {
      tokens: tokens.map((t) => ({
        token_id: t.id,
        issuer: t.issuer,
        subject: t.subject,
        expiry: t.expiresAt ?? 0,
        refreshable: t.refreshable,
        issued_at: t.issuedAt,
      })),
    });
  });

  router.on('POST', /^\/artifactory\/api\/security\/token\/revoke$/, async (ex) => {
    const caller = requireCaller(ex, 'artifactory');
    if (!caller) return;
    const fields = await readFields(ex, { json: false, form: true }, (message, status) => artifactoryError(ex, status, message));
    if (!fields) return;
    const value = fieldString(fields, 'token');
    const id = fieldString(fields, 'token_id');
    if (!value && !id) return oauthError(ex, 'invalid_request', 'token or token_id is required');
    const { tokens } = ex.state;
    const token = value ? tokens.find(value) : tokens.byId(id ?? '');
    if (!token || token.revoked) return sendText(ex, 200, 'Token not found');
    if (!caller.user.admin && token.username !== caller.user.name) return artifactoryError(ex, 403, 'Forbidden');
    if (!token.revocable) return artifactoryError(ex, 400, 'Token not revocable');
    tokens.revoke(token);
    sendText(ex, 200, 'Token revoked');
  });
}

function oauthError(ex: Exchange, error: string, description: string, status = 400): void {
  sendJson(ex, status, { error, error_description: description });
}

function create(ex: Exchange, fields: Fields): void {
  const caller = requireCaller(ex, 'artifactory');
  if (!caller) return;
  const username = fieldString(fields, 'username') ?? caller.user.name;
  if (username !== caller.user.name && !caller.user.admin) {
    return artifactoryError(ex, 403, 'Only an admin user can create tokens for other users');
  }
  const expiresIn = fieldInteger(fields, 'expires_in');
  if (expiresIn === 'invalid' || (typeof expiresIn === 'number' && expiresIn < 0)) {
    return oauthError(ex, 'invalid_request', 'expires_in must be a non-negative number');
  }
  const refreshable = fieldBoolean(fields, 'refreshable');
  if (refreshable === 'invalid') return oauthError(ex, 'invalid_request', 'refreshable must be true or false');
  const requested = fieldString(fields, 'scope') ?? 'member-of-groups:*';
  const scope = /(^|\s)api:\*(\s|$)/.test(requested) ? requested : `${requested} api:*`;
  const groups = /member-of-groups:([^\s]+)/.exec(requested)?.[1];
  if (groups && groups !== '*' && !caller.user.admin) {
    const user = ex.state.directory.user(username);
    if (!groups.split(',').every((g) => user?.groups.includes(g))) return artifactoryError(ex, 403, `Scope is not permitted: ${requested}`);
  }
  const audience = fieldString(fields, 'audience');
  const token = ex.state.tokens.issue({
    kind: 'legacy',
    username,
    scope,
    ...(audience === undefined ? {} : { audience }),
    expiresIn: expiresIn ?? 3600,
    refreshable: refreshable === true,
  });
  sendJson(ex, 200, legacyResponse(token));
}

/**
 * The refresh pair alone authenticates the call; extra parameters need an admin (REST "Refresh
 * Token (Deprecated)": "If only the access token and the refresh token are provided … this pair is
 * used for authentication"; jfrog-cli-core `refreshArtifactoryExpiredToken` sends no auth header).
 */
function refresh(ex: Exchange, fields: Fields): void {
  const refreshToken = fieldString(fields, 'refresh_token');
  const accessToken = fieldString(fields, 'access_token');
  if (!refreshToken || !accessToken) return oauthError(ex, 'invalid_request', 'refresh_token and access_token are required');
  ex.record.credential = 'refresh-pair';
  const extra = Object.keys(fields).filter((k) => !['grant_type', 'refresh_token', 'access_token'].includes(k));
  if (extra.length > 0) {
    const auth = ex.auth();
    if (!auth.ok || !auth.caller?.user.admin) {
      return artifactoryError(ex, 401, auth.ok ? 'Only an admin can change token settings on refresh' : artifactoryMessage(auth.failure));
    }
  }
  const { tokens } = ex.state;
  const previous = tokens.find(accessToken);
  if (!previous || previous.refreshToken !== refreshToken) {
    return oauthError(ex, 'invalid_grant', 'The refresh token is invalid, was already used, or does not belong to the access token', 401);
  }
  const outcome = tokens.refresh(refreshToken);
  if (!outcome.ok) return oauthError(ex, 'invalid_grant', 'The refresh token has expired', 401);
  ex.record.user = outcome.token.username;
  ex.record.tokenId = previous.id;
  sendJson(ex, 200, legacyResponse(outcome.token));
}

function legacyResponse(token: TokenRecord): Record<string, unknown> {
  return {
    access_token: token.jwt,
    expires_in: token.expiresAt === null ? 0 : token.expiresAt - token.issuedAt,
    scope: token.scope,
    token_type: 'Bearer',
    ...(token.refreshToken === undefined ? {} : { refresh_token: token.refreshToken }),
  };
}
