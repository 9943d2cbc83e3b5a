import { randomUUID } from 'node:crypto';
import { authenticate, accessMessage, type Caller } from '../auth.js';
import type { FakeConfig } from '../config.js';
import {
  accessError,
  fieldBoolean,
  fieldInteger,
  fieldString,
  readFields,
  sendEmpty,
  sendJson,
  type Exchange,
  type Fields,
  type Router,
} from '../http.js';
import { noteCaller } from '../recorder.js';
import { tokenInfo, type TokenRecord } from '../token-store.js';
import { supports } from '../versions.js';
import { requireAdmin, requireCaller } from './guards.js';

const TOKENS = /^\/access\/api\/v1\/tokens$/;
const TOKEN_BY_ID = /^\/access\/api\/v1\/tokens\/([^/]+)$/;

export function accessTokenRoutes(router: Router): void {
  router.on('POST', TOKENS, async (ex) => {
    const fields = await readFields(ex, { json: true, form: true }, (message, status) =>
      accessError(ex, status, status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : 'BAD_REQUEST', message),
    );
    if (!fields) return;
    const grant = fieldString(fields, 'grant_type') ?? 'client_credentials';
    // Before 7.37.9 (REST "Refresh Token": "Since: 7.37.9") the grant is unknown; that it is
    // refused like any other unknown grant, 400, is a guess.
    if (grant === 'refresh_token' && supports(ex.state.config, 'refresh')) return refresh(ex, fields);
    if (grant !== 'client_credentials') return accessError(ex, 400, 'BAD_REQUEST', `Unsupported grant type: ${grant}`);
    return create(ex, fields);
  });

  // REST "Get Tokens": the filters and `order_by` values are the documented ones; an admin sees
  // every token, anyone else their own; an empty list is still 200.
  router.on('GET', TOKENS, (ex) => {
    const caller = requireCaller(ex, 'access');
    if (!caller) return;
    const q = ex.url.searchParams;
    const description = q.get('description');
    const username = q.get('username');
    const refreshable = q.get('refreshable');
    const tokenId = q.get('token_id');
    let tokens = ex.state.tokens.listed().filter((t) => caller.user.admin || t.username === caller.user.name);
    if (description) {
      const prefix = description.endsWith('*') ? description.slice(0, -1) : undefined;
      tokens = tokens.filter((t) => (prefix === undefined ? t.description === description : (t.description ?? '').startsWith(prefix)));
    }
    if (username) tokens = tokens.filter((t) => t.username === username);
    if (refreshable === 'true' || refreshable === 'false') tokens = tokens.filter((t) => String(t.refreshable) === refreshable);
    if (tokenId) tokens = tokens.filter((t) => t.id === tokenId);
    const orderBy = q.get('order_by') ?? 'created';
    const key: Record<string, (t: TokenRecord) => string | number> = {
      created: (t) => t.issuedAt,
      token_id: (t) => t.id,
      owner: (t) => t.username,
      subject: (t) => t.subject,
      expiry: (t) => t.expiresAt ?? Number.MAX_SAFE_INTEGER,
    };
    const by = key[orderBy];
    if (!by) return accessError(ex, 400, 'BAD_REQUEST', `Invalid order_by value: ${orderBy}`);
    tokens.sort((a, b) => (by(a) < by(b) ? -1 : by(a) > by(b) ? 1 : 0));
    if (q.get('descending_order') === 'true') tokens.reverse();
    sendJson(ex, 200, { tokens: tokens.map(tokenInfo) });
  });

  // Before 7.53.1 "me" is no alias ("Get Token by ID": "From Artifactory release 7.53.1, you can
  // also use this API … with me"): read as a token id, it is one nobody has, so GET answers 404
  // and DELETE 204 ("Revoke Token by ID": "If the token ID is not found … return 204"). A guess
  // from those two pages; no old server's answer is on record.
  router.on('GET', /^\/access\/api\/v1\/tokens\/me$/, (ex) => {
    const caller = requireCaller(ex, 'access');
    if (!caller) return;
    if (!supports(ex.state.config, 'currentToken')) return accessError(ex, 404, 'NOT_FOUND', 'Token not found');
    if (!caller.token) return accessError(ex, 400, 'BAD_REQUEST', 'This endpoint requires authentication with an access token');
    if (!caller.token.persisted) return accessError(ex, 404, 'NOT_FOUND', 'Token not found');
    sendJson(ex, 200, tokenInfo(caller.token));
  });

  router.on('DELETE', /^\/access\/api\/v1\/tokens\/me$/, (ex) => {
    const caller = requireCaller(ex, 'access');
    if (!caller) return;
    if (!supports(ex.state.config, 'currentToken')) return sendEmpty(ex, 204);
    if (!caller.token) return accessError(ex, 400, 'BAD_REQUEST', 'This endpoint requires authentication with an access token');
    revokeById(ex, caller, caller.token);
  });

  // REST "Revoke Token by Value" (7.68+, admin): `{"revoked-token-id": …}` on success. The 400
  // "Token not revocable" text is what older Access internals answered (idcmp/artifactory-secrets-plugin#3);
  // today's wording for it is not on record, a guess.
  router.on('DELETE', /^\/access\/api\/v1\/tokens\/revoke$/, async (ex) => {
    if (!requireAdmin(ex, 'access')) return;
    const fields = await readFields(ex, { json: true, form: false }, (message, status) =>
      accessError(ex, status, status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : 'BAD_REQUEST', message),
    );
    if (!fields) return;
    const value = fieldString(fields, 'token');
    if (!value) return accessError(ex, 400, 'BAD_REQUEST', 'token is required');
    const token = ex.state.tokens.find(value);
    if (!token) return accessError(ex, 400, 'BAD_REQUEST', 'Token is invalid or was not issued by this server');
    if (!token.revocable) return accessError(ex, 400, 'BAD_REQUEST', 'Token not revocable');
    ex.state.tokens.revoke(token);
    sendJson(ex, 200, { 'revoked-token-id': token.id });
  });

  // REST "Get Token by ID": 404 for an unknown token, and for one too short-lived to be stored
  // (terraform-provider-artifactory warns of exactly that for tokens under the persistency threshold).
  router.on('GET', TOKEN_BY_ID, (ex) => {
    const caller = requireCaller(ex, 'access');
    if (!caller) return;
    const token = ex.state.tokens.byId(ex.params[0] ?? '');
    if (!token || token.revoked || (!caller.user.admin && token.username !== caller.user.name)) {
      return accessError(ex, 404, 'NOT_FOUND', 'Token not found');
    }
    sendJson(ex, 200, tokenInfo(token));
  });

  // REST "Revoke Token by ID": 200 with no body, 204 when no such token (or already revoked), as
  // jfrog/vault-plugin-secrets-artifactory PR #41 saw; 403 for another user's token.
  router.on('DELETE', TOKEN_BY_ID, (ex) => {
    const caller = requireCaller(ex, 'access');
    if (!caller) return;
    const token = ex.state.tokens.byId(ex.params[0] ?? '');
    if (!token || token.revoked) return sendEmpty(ex, 204);
    revokeById(ex, caller, token);
  });
}

function revokeById(ex: Exchange, caller: Caller, token: TokenRecord): void {
  if (!caller.user.admin && token.username !== caller.user.name) return accessError(ex, 403, 'FORBIDDEN', 'Forbidden');
  if (!token.revocable) return accessError(ex, 400, 'BAD_REQUEST', 'Token not revocable');
  ex.state.tokens.revoke(token);
  sendEmpty(ex, 200);
}

/**
 * Why the server will not trade these Basic credentials for a token, or null. A real server answers
 * 401 "Unsupported authentication method Basic" (JFrog KB 000006692 "How to resolve 'Unsupported
 * authentication method Basic' error when creating an access token"; the same status and message
 * are quoted from live servers in public notes) unless an admin ticked "Enable Token Generation
 * via API" (admin doc of that name; jfrog-client-go `access/services/accesstoken.go`
 * `handleUnauthenticated`: "available since Artifactory 7.63.2"), and never while MFA is enforced
 * (REST doc "Create Token", as KB 000006692 quotes it: not "if you have enabled multi-factor
 * authentication ... and the basic-authentication-enforce-mfa flag ... is set to true").
 * Guesses, flagged as such: the body is Access's usual error shape with code UNAUTHORIZED (the KB
 * gives the message only); external (LDAP/SAML) users are refused too (issue 15's reading of
 * JFrog's pages; "Disable Basic Authentication Method" only says Basic is off by default once LDAP
 * or SAML is configured); and Basic user:apikey is refused like user:password, as Access refuses
 * the scheme (the message names "Basic", not the password). A Basic access or reference token
 * as password is left alone: no client here sends one to this endpoint.
 */
function basicRefusal(ex: Exchange, caller: Caller, config: FakeConfig): string | null {
  const basic = ex.req.headers.authorization?.trim().toLowerCase().startsWith('basic ') === true;
  if (!basic || (caller.kind !== 'password' && caller.kind !== 'api-key')) return null;
  const allowed = config.allowBasicAuthTokenCreation && supports(config, 'basicTokenCreation') && !caller.user.mfa && (caller.user.realm ?? 'internal') === 'internal';
  return allowed ? null : 'Unsupported authentication method Basic';
}

const LIMITS = { username: 255, scope: 500, description: 1024, audience: 255 } as const;

function create(ex: Exchange, fields: Fields): void {
  const caller = requireCaller(ex, 'access');
  if (!caller) return;
  const { config, directory, tokens } = ex.state;
  const refused = basicRefusal(ex, caller, config);
  if (refused) return accessError(ex, 401, 'UNAUTHORIZED', refused);
  // A guess (see FakeConfig.apiKeyTokenCreation): the key may authenticate, but not mint tokens.
  if (caller.kind === 'api-key' && !config.apiKeyTokenCreation) {
    return accessError(ex, 403, 'FORBIDDEN', 'Creating tokens with an API key is not allowed');
  }
  // Tokens limited to resources (artifact:…) act on those resources only; they cannot mint tokens.
  if (caller.token && !/(^|\s)applied-permissions\/(user|admin|groups:)/.test(caller.scope)) {
    return accessError(ex, 403, 'FORBIDDEN', 'The token scope does not allow creating tokens');
  }
  for (const [name, limit] of Object.entries(LIMITS)) {
    const value = fieldString(fields, name);
    if (value !== undefined && value.length > limit) return accessError(ex, 400, 'BAD_REQUEST', `${name} must be at most ${limit} characters`);
  }
  const expiresIn = fieldInteger(fields, 'expires_in');
  if (expiresIn === 'invalid' || (typeof expiresIn === 'number' && expiresIn < 0)) {
    return accessError(ex, 400, 'BAD_REQUEST', 'expires_in must be a non-negative integer');
  }
  const refreshable = fieldBoolean(fields, 'refreshable');
  const includeReference = fieldBoolean(fields, 'include_reference_token');
  const forceRevocable = fieldBoolean(fields, 'force_revocable');
  if (refreshable === 'invalid' || includeReference === 'invalid' || forceRevocable === 'invalid') {
    return accessError(ex, 400, 'BAD_REQUEST', 'refreshable, include_reference_token and force_revocable must be true or false');
  }
  const username = fieldString(fields, 'username') ?? caller.user.name;
  if (username !== caller.user.name && !caller.user.admin) {
    return accessError(ex, 403, 'FORBIDDEN', 'Non-admin users can only create tokens for themselves');
  }
  const subjectUser = directory.user(username) ?? caller.user;
  const scope = fieldString(fields, 'scope') ?? 'applied-permissions/user';
  if (!directory.mayRequestScope(subjectUser, scope) || (!caller.user.admin && /applied-permissions\/admin/.test(scope))) {
    return accessError(ex, 403, 'FORBIDDEN', `Scope is not permitted: ${scope}`);
  }
  const lifetime = withinMaxExpiry(expiresIn ?? config.defaultExpirySeconds, caller, config);
  if (lifetime === 'refused') {
    return accessError(ex, 403, 'FORBIDDEN', `Token expiry exceeds the maximum allowed (${config.maxExpirySeconds} seconds)`);
  }
  // With allow-refreshable off the server issues the token without a refresh token, silently
  // (REST doc "Access Tokens › Recommended Configurations": refreshable requests get
  // non-refreshable tokens), rather than refusing the request.
  const issueRefreshable = refreshable === true && config.allowRefreshable;
  const audience = fieldString(fields, 'audience');
  const description = fieldString(fields, 'description');
  const projectKey = fieldString(fields, 'project_key');
  const token = tokens.issue({
    username,
    scope,
    ...(audience === undefined ? {} : { audience: audience.includes(' ') ? audience.split(/\s+/) : audience }),
    expiresIn: lifetime,
    refreshable: issueRefreshable,
    ...(description === undefined ? {} : { description }),
    ...(projectKey === undefined ? {} : { projectKey }),
    includeReferenceToken: includeReference === true,
    forceRevocable: forceRevocable === true,
  });
  sendJson(ex, 200, tokenResponse(token));
}

function refresh(ex: Exchange, fields: Fields): void {
  const refreshToken = fieldString(fields, 'refresh_token');
  if (!refreshToken) return accessError(ex, 400, 'BAD_REQUEST', 'refresh_token is required for grant_type refresh_token');
  const { config, tokens } = ex.state;
  const result = ex.req.headers.authorization || ex.req.headers['x-jfrog-art-api']
    ? authenticate(ex.req, ex.state, { allowExpired: config.acceptExpiredBearerOnRefresh })
    : undefined;
  if (result) {
    noteCaller(ex.record, result, (name) => ex.state.directory.user(name) !== undefined);
    if (!result.ok) return accessError(ex, 401, 'UNAUTHORIZED', accessMessage(result.failure));
  } else if (config.allowUnauthenticatedRefresh) {
    ex.record.credential = 'refresh-pair';
  } else {
    // "Requires authentication using credentials or an access token" (REST doc "Refresh Token").
    return accessError(ex, 401, 'UNAUTHORIZED', 'Unauthorized');
  }
  const caller = result?.ok ? result.caller : null;
  const owner = tokens.all().find((t) => t.refreshToken === refreshToken);
  if (owner && caller && !caller.user.admin && caller.user.name !== owner.username) {
    return accessError(ex, 403, 'FORBIDDEN', 'The authenticated user does not match the user of the token being refreshed');
  }
  const expiresIn = fieldInteger(fields, 'expires_in');
  if (expiresIn === 'invalid' || (typeof expiresIn === 'number' && expiresIn < 0)) {
    return accessError(ex, 400, 'BAD_REQUEST', 'expires_in must be a non-negative integer');
  }
  const lifetime = refreshedLifetime(expiresIn, caller, config);
  if (lifetime === 'refused') {
    return accessError(ex, 403, 'FORBIDDEN', `Token expiry exceeds the maximum allowed (${config.maxExpirySeconds} seconds)`);
  }
  const outcome = tokens.refresh(refreshToken, {
    ...(lifetime === undefined ? {} : { expiresIn: lifetime }),
    ...(config.refreshReplyAccessToken === 'reference' ? { includeReferenceToken: true } : {}),
  });
  if (!outcome.ok) {
    return accessError(ex, 404, 'NOT_FOUND', 'Token matching the provided refresh token was not found.');
  }
  ex.record.user ??= outcome.token.username;
  ex.record.tokenId = outcome.previous.id;
  sendJson(ex, 200, refreshReply(tokenResponse(outcome.token), config));
}

/**
 * The lifetime a refresh issues, per `refreshLifetime` (see FakeConfig: undocumented by JFrog);
 * undefined keeps the old token's. token.max-expiry bounds it as on create.
 */
function refreshedLifetime(asked: number | undefined, caller: Caller | null, config: FakeConfig): number | 'refused' | undefined {
  const wanted = config.refreshLifetime === 'server-default' ? config.defaultExpirySeconds : config.refreshLifetime === 'asked' ? asked : undefined;
  return wanted === undefined ? undefined : withinMaxExpiry(wanted, { user: { admin: caller?.user.admin ?? false } }, config);
}

/**
 * token.max-expiry for non-admins ("Recommended Configurations"): a longer or non-expiring
 * lifetime is refused or cut to the maximum, per `maxExpiryExceeded`.
 */
function withinMaxExpiry(lifetime: number, caller: { user: { admin: boolean } }, config: FakeConfig): number | 'refused' {
  if (caller.user.admin || config.maxExpirySeconds <= 0 || (lifetime !== 0 && lifetime <= config.maxExpirySeconds)) return lifetime;
  return config.maxExpiryExceeded === 'cap' ? config.maxExpirySeconds : 'refused';
}

/** The refresh reply as the fault knobs bend it (see FakeConfig); unchanged by default. */
function refreshReply(reply: Record<string, unknown>, config: FakeConfig): Record<string, unknown> {
  const { refresh_token: refreshToken, reference_token: referenceToken, ...rest } = reply;
  const bent: Record<string, unknown> = { ...rest };
  if (!config.refreshReplyWithoutRefreshToken && refreshToken !== undefined) bent['refresh_token'] = refreshToken;
  if (config.refreshReplyAccessToken === 'reference') bent['access_token'] = referenceToken;
  else if (config.refreshReplyAccessToken === 'opaque') bent['access_token'] = `opaque-${randomUUID()}`;
  else if (referenceToken !== undefined) bent['reference_token'] = referenceToken;
  return bent;
}

export function tokenResponse(token: TokenRecord): Record<string, unknown> {
  return {
    token_id: token.id,
    access_token: token.jwt,
    ...(token.refreshToken === undefined ? {} : { refresh_token: token.refreshToken }),
    ...(token.expiresAt === null ? {} : { expires_in: token.expiresAt - token.issuedAt }),
    scope: token.scope,
    token_type: 'Bearer',
    ...(token.referenceToken === undefined ? {} : { reference_token: token.referenceToken }),
  };
}
