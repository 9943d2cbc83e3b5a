import { describe, type HttpClient, type HttpResponse } from './http.js';
import { redactValues } from './logger.js';

/** How a request proves who is calling. */
export type Credentials =
  | { kind: 'none' }
  | { kind: 'bearer'; token: string }
  | { kind: 'basic'; username: string; password: string }
  | { kind: 'api-key'; key: string };

export type AccessErrorCode =
  | 'not-artifactory'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'bad-request'
  | 'refresh-token-invalid'
  | 'basic-token-creation-disabled'
  | 'web-login-unsupported'
  | 'server-error'
  | 'redirect-refused'
  | 'unexpected-response';

export class AccessError extends Error {
  constructor(
    readonly code: AccessErrorCode,
    message: string,
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = 'AccessError';
  }
}

/** The create/refresh response of `/access/api/v1/tokens`. */
export interface TokenGrant {
  tokenId: string | null;
  accessToken: string;
  refreshToken: string | null;
  expiresIn: number | null;
  scope: string | null;
  referenceToken: string | null;
}

export interface TokenInfo {
  tokenId: string;
  subject: string;
  expiry: number | null;
  issuedAt: number | null;
  issuer: string | null;
  description: string | null;
  refreshable: boolean;
  lastUsed: number | null;
}

export interface CreateTokenRequest {
  scope?: string;
  expiresIn?: number;
  refreshable?: boolean;
  description?: string;
  audience?: string;
  includeReferenceToken?: boolean;
  username?: string;
}

export interface ServerIdentity {
  version: string;
  revision: string | null;
}

/** One request of the AccessClient. */
interface Call {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  credentials: Credentials;
  json?: Record<string, unknown>;
  retries?: number;
  /**
   * It sends or receives a secret beyond the credentials (a token, an API key, a browser-login
   * session): any redirect is refused, even to the same origin, so the secret goes nowhere else.
   */
  secret?: boolean;
  /** Secrets in the path itself (the browser-login session), to keep out of messages. */
  pathSecrets?: string[];
}

/** An answer, with the means to quote it: every secret of its exchange taken out. */
interface Answer extends HttpResponse {
  withoutSecrets(text: string): string;
}

const TOKENS = 'access/api/v1/tokens';

/**
 * The Access / Artifactory REST API of one platform, per artifactory-api.md. One place for
 * paths, auth headers and error mapping; transport rules (timeouts, retries, redirects, TLS,
 * proxies, body caps) come from the HttpClient.
 */
export class AccessClient {
  constructor(
    private readonly http: HttpClient,
    /** `https://acme.jfrog.io/`, with the trailing slash. */
    readonly platformUrl: string,
  ) {}

  /**
   * Proves the address is an Artifactory: ping says OK and version answers JSON. With anonymous
   * access off, the default since 6.12, version answers an anonymous caller 401 (7.90.8 in
   * jfrog/vault-plugin-secrets-artifactory#217): then it asks again with the credentials given,
   * and failing those reads the release from the `Server: Artifactory/7.x.y` header real servers
   * send (earthly/earthly#1017) unless a proxy took it off. `unknown` when nothing tells.
   */
  async identify(credentials: Credentials = { kind: 'none' }): Promise<ServerIdentity> {
    await this.#exchange({ method: 'GET', path: 'artifactory/api/system/ping', credentials: { kind: 'none' } }, (ping) => {
      if (ping.status !== 200 || ping.text().trim() !== 'OK') {
        throw new AccessError('not-artifactory', `${this.#where('artifactory/api/system/ping')} is not an Artifactory: ${explainNonArtifactory(ping)}`, ping.status);
      }
    });
    const anonymous = await this.#version({ kind: 'none' });
    if (anonymous.identity || credentials.kind === 'none') return anonymous.identity ?? { version: anonymous.fromHeader ?? 'unknown', revision: null };
    const signedIn = await this.#version(credentials);
    return signedIn.identity ?? { version: anonymous.fromHeader ?? signedIn.fromHeader ?? 'unknown', revision: null };
  }

  /** One look at /version: the identity it told, or (refused, as a JSON 401) the release its Server header names. */
  #version(credentials: Credentials): Promise<{ identity: ServerIdentity | null; fromHeader: string | null }> {
    return this.#exchange({ method: 'GET', path: 'artifactory/api/system/version', credentials }, (version) => {
      const body = jsonObject(version);
      if (version.status === 200 && body && typeof body['version'] === 'string') {
        return { identity: { version: body['version'], revision: typeof body['revision'] === 'string' ? body['revision'] : null }, fromHeader: null };
      }
      // Anonymous access can be off: a JSON 401 from /version still proves an Artifactory answered.
      if (version.status === 401 && body && Array.isArray(body['errors'])) {
        const fromHeader = /^Artifactory\/(\d+\.\d+\.\d+)\b/.exec(String(version.headers['server'] ?? ''))?.[1] ?? null;
        return { identity: null, fromHeader };
      }
      throw new AccessError('not-artifactory', `${this.#where('artifactory/api/system/version')} is not an Artifactory: ${explainNonArtifactory(version)}`, version.status);
    });
  }

  async createToken(credentials: Credentials, request: CreateTokenRequest): Promise<TokenGrant> {
    const body = {
      grant_type: 'client_credentials',
      ...(request.username === undefined ? {} : { username: request.username }),
      ...(request.scope === undefined ? {} : { scope: request.scope }),
      ...(request.expiresIn === undefined ? {} : { expires_in: request.expiresIn }),
      ...(request.refreshable === undefined ? {} : { refreshable: request.refreshable }),
      ...(request.description === undefined ? {} : { description: request.description }),
      ...(request.audience === undefined ? {} : { audience: request.audience }),
      ...(request.includeReferenceToken ? { include_reference_token: true } : {}),
    };
    return this.#exchange({ method: 'POST', path: TOKENS, credentials, json: body, secret: true }, (response) => {
      if (credentials.kind === 'basic' && refusesBasic(response)) {
        const host = new URL(this.platformUrl).host;
        throw new AccessError('basic-token-creation-disabled', `${host} does not let tools trade a password for a token; log in through the browser instead: artikey login ${this.platformUrl}`, response.status);
      }
      return grantFrom(this.#expect(response, 200, 'create a token'));
    });
  }

  /**
   * Spends a refresh token (single use: the server rotates it). Authenticates with the current
   * access token as jfrog-cli does; a server that refuses an expired bearer gets the pair alone.
   */
  async refreshToken(accessToken: string, refreshToken: string, expiresIn?: number): Promise<TokenGrant> {
    // The lifetime goes along: the REST doc "Refresh Token" takes "all other parameters" of Create
    // Token, though what a server does with it (or without it) is undocumented (token-lifetime.ts).
    const json = { grant_type: 'refresh_token', refresh_token: refreshToken, access_token: accessToken, refreshable: true, ...(expiresIn === undefined ? {} : { expires_in: expiresIn }) };
    // Authenticated by the token being refreshed, as jfrog-cli does: a real server refuses a
    // refresh without credentials (REST doc "Refresh Token"), so a 401 here is final.
    return this.#exchange({ method: 'POST', path: TOKENS, credentials: { kind: 'bearer', token: accessToken }, json, secret: true }, (response) => this.#refreshed(response));
  }

  #refreshed(response: Answer): TokenGrant {
    if (response.status === 404 || (response.status === 400 && /refresh/i.test(errorMessage(response) ?? ''))) {
      throw new AccessError('refresh-token-invalid', 'The server no longer accepts this refresh token (it was used already, revoked, or expired). Log in again.', response.status);
    }
    return grantFrom(this.#expect(response, 200, 'refresh the token'));
  }

  /** The token the credentials carry; null when the server does not keep it (short-lived tokens). */
  async currentToken(credentials: Credentials): Promise<TokenInfo | null> {
    return this.#exchange({ method: 'GET', path: `${TOKENS}/me`, credentials }, (response) =>
      response.status === 404 ? null : infoFrom(this.#expect(response, 200, 'read the current token')),
    );
  }

  async tokenById(credentials: Credentials, tokenId: string): Promise<TokenInfo | null> {
    return this.#exchange({ method: 'GET', path: `${TOKENS}/${encodeURIComponent(tokenId)}`, credentials }, (response) =>
      response.status === 404 ? null : infoFrom(this.#expect(response, 200, 'read the token')),
    );
  }

  async listTokens(credentials: Credentials): Promise<TokenInfo[]> {
    return this.#exchange({ method: 'GET', path: TOKENS, credentials }, (response) => {
      const tokens = this.#expect(response, 200, 'list tokens')['tokens'];
      if (!Array.isArray(tokens)) throw new AccessError('unexpected-response', `${this.#where(TOKENS)} answered without a token list.`);
      return tokens.map((entry) => infoFrom(isRecord(entry) ? entry : {}));
    });
  }

  /** Revokes a token by id. False when the server did not know it (already revoked or expired). */
  async revokeToken(credentials: Credentials, tokenId: string): Promise<boolean> {
    return this.#exchange({ method: 'DELETE', path: `${TOKENS}/${encodeURIComponent(tokenId)}`, credentials, secret: true }, (response) => {
      if (response.status === 204) return false;
      if (response.status === 200) return true;
      throw this.#failure(response, 'revoke the token');
    });
  }

  /** The Access root certificate (base64 DER); null where it needs more rights than the caller has. */
  async rootCertificate(credentials: Credentials): Promise<string | null> {
    return this.#exchange({ method: 'GET', path: 'access/api/v1/cert/root', credentials }, (response) => {
      if (response.status === 401 || response.status === 403 || response.status === 404) return null;
      if (response.status !== 200) throw this.#failure(response, 'read the root certificate');
      const text = response.text().trim();
      return /^[A-Za-z0-9+/=\s-]+$/.test(text) ? text : null;
    });
  }

  /**
   * The repositories of a package type the caller may read (REST "Get Repositories",
   * `GET /api/repositories?packageType=`, a JSON array): the entries as sent, for
   * repositories.ts to read; an error the caller can tell apart (403 `forbidden`) otherwise.
   */
  async repositories(credentials: Credentials, packageType: string): Promise<unknown[]> {
    const path = `artifactory/api/repositories?packageType=${encodeURIComponent(packageType)}`;
    return this.#exchange({ method: 'GET', path, credentials }, (response) => {
      if (response.status !== 200) throw this.#failure(response, 'list the repositories');
      let parsed: unknown;
      try {
        parsed = JSON.parse(response.text());
      } catch {
        parsed = undefined;
      }
      if (!Array.isArray(parsed)) throw new AccessError('unexpected-response', `Could not list the repositories: ${this.#where(path)} answered ${explainNonArtifactory(response)}`, response.status);
      return parsed;
    });
  }

  /** Registers a browser-login session (Artifactory 7.64+). */
  async startWebLogin(session: string): Promise<void> {
    const call: Call = { method: 'POST', path: 'access/api/v2/authentication/jfrog_client_login/request', credentials: { kind: 'none' }, json: { session }, secret: true };
    return this.#exchange(call, (response) => {
      if (response.status === 200) return;
      if (response.status === 404 || response.status === 405) {
        throw new AccessError('web-login-unsupported', 'This Artifactory does not offer browser login (it needs version 7.64 or newer). Log in with a user name and password or a token instead.', response.status);
      }
      throw this.#failure(response, 'start the browser login');
    });
  }

  /** One poll: null while the person has not approved yet (the server answers 400). */
  async pollWebLogin(session: string): Promise<TokenGrant | null> {
    const call: Call = { method: 'GET', path: `access/api/v2/authentication/jfrog_client_login/token/${session}`, credentials: { kind: 'none' }, retries: 0, secret: true, pathSecrets: [session] };
    return this.#exchange(call, (response) => (response.status === 400 ? null : grantFrom(this.#expect(response, 200, 'finish the browser login'))));
  }

  /** The caller's API key, if they still have one. */
  async apiKey(credentials: Credentials): Promise<string | null> {
    return this.#exchange({ method: 'GET', path: 'artifactory/api/security/apiKey', credentials, secret: true }, (response) => {
      const key = this.#expect(response, 200, 'read the API key')['apiKey'];
      return typeof key === 'string' ? key : null;
    });
  }

  async revokeApiKey(credentials: Credentials): Promise<void> {
    await this.#exchange({ method: 'DELETE', path: 'artifactory/api/security/apiKey', credentials, secret: true }, (response) => this.#expect(response, 200, 'revoke the API key'));
  }

  /** Login page for a browser-login session, as jfrog-cli opens it. */
  webLoginUrl(session: string, clientName = 'Artikey'): string {
    const url = new URL('ui/login', this.platformUrl);
    url.searchParams.set('jfClientSession', session);
    url.searchParams.set('jfClientName', clientName);
    url.searchParams.set('jfClientCode', '1');
    return url.href;
  }

  #where(path: string): string {
    return describe(new URL(path, this.platformUrl));
  }

  /**
   * The one way this class talks to the server. Whatever is said about the exchange afterwards
   * (an error, a quote of the answer) is scrubbed of every secret it sent or received, by value:
   * a gateway page echoing the request holds an opaque refresh token no shape pattern knows.
   */
  async #exchange<T>(call: Call, read: (response: Answer) => T): Promise<T> {
    const secrets = [...credentialValues(call.credentials), ...secretFields(call.json), ...(call.pathSecrets ?? [])];
    const withoutSecrets = (text: string): string => redactValues(text, secrets);
    try {
      const headers = authHeaders(call.credentials);
      if (call.json !== undefined) headers['Content-Type'] = 'application/json';
      const response = await this.http({
        method: call.method,
        url: new URL(call.path, this.platformUrl).href,
        headers,
        ...(call.json === undefined ? {} : { body: JSON.stringify(call.json) }),
        ...(call.retries === undefined ? {} : { retries: call.retries }),
        ...(call.secret ? { redirects: 'none' as const } : {}),
      });
      secrets.push(...secretFields(jsonObject(response)));
      if (call.secret && response.status >= 300 && response.status < 400) {
        const where = describe(new URL(response.url));
        throw new AccessError('redirect-refused', `the server redirected a token request to ${redirectHost(response)}; refusing (${where} answered ${response.status}; Artikey sends tokens to the instance only).`, response.status);
      }
      return read({ ...response, withoutSecrets });
    } catch (error) {
      if (error instanceof Error) {
        error.message = withoutSecrets(error.message);
        if (error.stack) error.stack = withoutSecrets(error.stack);
      }
      throw error;
    }
  }

  #expect(response: Answer, status: number, action: string): Record<string, unknown> {
    if (response.status !== status) throw this.#failure(response, action);
    const body = jsonObject(response);
    if (!body) {
      throw new AccessError('unexpected-response', `Could not ${action}: ${describe(new URL(response.url))} answered ${explainNonArtifactory(response)}`, response.status);
    }
    return body;
  }

  #failure(response: Answer, action: string): AccessError {
    const where = describe(new URL(response.url));
    const said = errorMessage(response);
    const server = said ? `the server said "${said}"` : explainNonArtifactory(response);
    const status = response.status;
    if (status === 401) return new AccessError('unauthorized', `Could not ${action}: ${where} refused the credentials (401, ${server}).`, status);
    if (status === 403) return new AccessError('forbidden', `Could not ${action}: not allowed (403, ${server}).`, status);
    if (status === 404) return new AccessError('not-found', `Could not ${action}: ${where} was not found (404, ${server}).`, status);
    if (status >= 500) return new AccessError('server-error', `Could not ${action}: ${where} failed (${status}, ${server}). Try again later.`, status);
    if (status === 400) return new AccessError('bad-request', `Could not ${action}: the server rejected the request (400, ${server}).`, status);
    return new AccessError('unexpected-response', `Could not ${action}: ${where} answered ${status} (${server}).`, status);
  }
}

export function authHeaders(credentials: Credentials): Record<string, string> {
  switch (credentials.kind) {
    case 'none':
      return {};
    case 'bearer':
      return { Authorization: `Bearer ${credentials.token}` };
    case 'basic':
      return { Authorization: `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}` };
    case 'api-key':
      return { 'X-JFrog-Art-Api': credentials.key };
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function jsonObject(response: HttpResponse): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(response.text());
    return isRecord(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** The message in any of the error shapes JFrog servers use (Artifactory, Access, OAuth-style). */
function errorMessage(response: Answer): string | undefined {
  const body = jsonObject(response);
  if (!body) return undefined;
  const errors = body['errors'];
  const first: unknown = Array.isArray(errors) ? errors[0] : body;
  if (isRecord(first) && typeof first['message'] === 'string') return quote(response, first['message']);
  if (typeof body['error_description'] === 'string') return quote(response, body['error_description']);
  return undefined;
}

/**
 * The server's "no tokens for Basic credentials" (JFrog KB 000006692): token generation via the
 * API is off, or the user has MFA or comes from LDAP/SAML. Not a wrong password, which is
 * "Bad credentials": the same 401 must not be read as that.
 */
function refusesBasic(response: Answer): boolean {
  return response.status === 401 && /unsupported authentication method basic/i.test(errorMessage(response) ?? '');
}

/** Says what answered instead of Artifactory: an SSO login page, a proxy error page, anything else. */
function explainNonArtifactory(response: Answer): string {
  const type = String(response.headers['content-type'] ?? '');
  const text = response.text();
  if (/html/i.test(type) || /^\s*<(!doctype|html)/i.test(text)) {
    const found = /<title>([^<]{0,120})<\/title>/i.exec(text)?.[1]?.trim();
    const title = found && quote(response, found);
    if (response.status === 200 && /<form|sign in|log ?in|sso|saml|okta/i.test(text)) {
      return `a web page answered instead of the API${title ? ` ("${title}")` : ''}, probably a single sign-on or proxy login page. Use the Artifactory URL itself (for example https://acme.jfrog.io/), or ask your admin which address serves /artifactory/api/.`;
    }
    return `an HTML page answered (status ${response.status}${title ? `, "${title}"` : ''}), typically a proxy or gateway error page.`;
  }
  return `status ${response.status}${text ? ` with "${quote(response, text.replace(/\s+/g, ' '))}"` : ''}`;
}

/** Part of an answer, fit for a message: its exchange's secrets out first, so clipping cannot leave half of one. */
function quote(response: Answer, text: string): string {
  const clean = response.withoutSecrets(text);
  return clean.length > 200 ? `${clean.slice(0, 200)}…` : clean;
}

/** Where a redirect pointed, as a host name only: its path and query may carry anything. */
function redirectHost(response: HttpResponse): string {
  const location = response.headers.location;
  try {
    if (location) return new URL(location, response.url).host;
  } catch {
    // Not a URL: say so below rather than fail on it.
  }
  return 'an address it did not give';
}

/** The secrets credentials put on the wire: the value itself, and Basic's encoded pair. */
function credentialValues(credentials: Credentials): string[] {
  switch (credentials.kind) {
    case 'none':
      return [];
    case 'bearer':
      return [credentials.token];
    case 'basic':
      return [credentials.password, Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')];
    case 'api-key':
      return [credentials.key];
  }
}

const SECRET_FIELDS = ['access_token', 'refresh_token', 'reference_token', 'apiKey', 'session', 'password'];

/** The secrets a request or answer body holds, by field name. */
function secretFields(body: Record<string, unknown> | undefined): string[] {
  return SECRET_FIELDS.map((name) => body?.[name]).filter((value): value is string => typeof value === 'string');
}

function grantFrom(body: Record<string, unknown>): TokenGrant {
  const accessToken = body['access_token'];
  if (typeof accessToken !== 'string' || accessToken === '') {
    throw new AccessError('unexpected-response', 'The server answered without an access token.');
  }
  const str = (name: string): string | null => (typeof body[name] === 'string' && body[name] !== '' ? (body[name] as string) : null);
  const expires = body['expires_in'];
  return {
    tokenId: str('token_id'),
    accessToken,
    refreshToken: str('refresh_token'),
    expiresIn: typeof expires === 'number' && expires > 0 ? expires : null,
    scope: str('scope'),
    referenceToken: str('reference_token'),
  };
}

function infoFrom(body: Record<string, unknown>): TokenInfo {
  const num = (name: string): number | null => (typeof body[name] === 'number' ? (body[name] as number) : null);
  const str = (name: string): string | null => (typeof body[name] === 'string' ? (body[name] as string) : null);
  const tokenId = str('token_id');
  if (!tokenId) throw new AccessError('unexpected-response', 'The server described a token without a token_id.');
  return {
    tokenId,
    subject: str('subject') ?? '',
    expiry: num('expiry'),
    issuedAt: num('issued_at'),
    issuer: str('issuer'),
    description: str('description'),
    refreshable: body['refreshable'] === true,
    lastUsed: num('last_used'),
  };
}

