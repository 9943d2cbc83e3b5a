import { describe, type HttpClient, type HttpResponse } from './http.js';

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
  | 'web-login-unsupported'
  | 'server-error'
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

  /** Proves the address is an Artifactory: ping says OK and version answers JSON. */
  async identify(): Promise<ServerIdentity> {
    const ping = await this.#send('GET', 'artifactory/api/system/ping', { kind: 'none' });
    const pingText = ping.text().trim();
    if (ping.status !== 200 || pingText !== 'OK') {
      throw new AccessError('not-artifactory', `${this.#where('artifactory/api/system/ping')} is not an Artifactory: ${explainNonArtifactory(ping)}`, ping.status);
    }
    const version = await this.#send('GET', 'artifactory/api/system/version', { kind: 'none' });
    const body = jsonObject(version);
    if (version.status === 200 && body && typeof body['version'] === 'string') {
      return { version: body['version'], revision: typeof body['revision'] === 'string' ? body['revision'] : null };
    }
    // Anonymous access can be off: a JSON 401 from /version still proves an Artifactory answered.
    if (version.status === 401 && body && Array.isArray(body['errors'])) return { version: 'unknown', revision: null };
    throw new AccessError('not-artifactory', `${this.#where('artifactory/api/system/version')} is not an Artifactory: ${explainNonArtifactory(version)}`, version.status);
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
    const response = await this.#send('POST', 'access/api/v1/tokens', credentials, body);
    return grantFrom(this.#expect(response, 200, 'create a token'));
  }

  /**
   * Spends a refresh token (single use: the server rotates it). Authenticates with the current
   * access token as jfrog-cli does; a server that refuses an expired bearer gets the pair alone.
   */
  async refreshToken(accessToken: string, refreshToken: string): Promise<TokenGrant> {
    const body = { grant_type: 'refresh_token', refresh_token: refreshToken, access_token: accessToken, refreshable: true };
    let response = await this.#send('POST', 'access/api/v1/tokens', { kind: 'bearer', token: accessToken }, body);
    if (response.status === 401) response = await this.#send('POST', 'access/api/v1/tokens', { kind: 'none' }, body);
    if (response.status === 404 || (response.status === 400 && /refresh/i.test(errorMessage(response) ?? ''))) {
      throw new AccessError('refresh-token-invalid', 'The server no longer accepts this refresh token (it was used already, revoked, or expired). Log in again.', response.status);
    }
    return grantFrom(this.#expect(response, 200, 'refresh the token'));
  }

  /** The token the credentials carry; null when the server does not keep it (short-lived tokens). */
  async currentToken(credentials: Credentials): Promise<TokenInfo | null> {
    const response = await this.#send('GET', 'access/api/v1/tokens/me', credentials);
    if (response.status === 404) return null;
    return infoFrom(this.#expect(response, 200, 'read the current token'));
  }

  async tokenById(credentials: Credentials, tokenId: string): Promise<TokenInfo | null> {
    const response = await this.#send('GET', `access/api/v1/tokens/${encodeURIComponent(tokenId)}`, credentials);
    if (response.status === 404) return null;
    return infoFrom(this.#expect(response, 200, 'read the token'));
  }

  async listTokens(credentials: Credentials): Promise<TokenInfo[]> {
    const body = this.#expect(await this.#send('GET', 'access/api/v1/tokens', credentials), 200, 'list tokens');
    const tokens = body['tokens'];
    if (!Array.isArray(tokens)) throw new AccessError('unexpected-response', `${this.#where('access/api/v1/tokens')} answered without a token list.`);
    return tokens.map((entry) => infoFrom(isRecord(entry) ? entry : {}));
  }

  /** Revokes a token by id. False when the server did not know it (already revoked or expired). */
  async revokeToken(credentials: Credentials, tokenId: string): Promise<boolean> {
    const response = await this.#send('DELETE', `access/api/v1/tokens/${encodeURIComponent(tokenId)}`, credentials);
    if (response.status === 204) return false;
    if (response.status === 200) return true;
    throw this.#failure(response, 'revoke the token');
  }

  /** The Access root certificate (base64 DER); null where it needs more rights than the caller has. */
  async rootCertificate(credentials: Credentials): Promise<string | null> {
    const response = await this.#send('GET', 'access/api/v1/cert/root', credentials);
    if (response.status === 401 || response.status === 403 || response.status === 404) return null;
    if (response.status !== 200) throw this.#failure(response, 'read the root certificate');
    const text = response.text().trim();
    return /^[A-Za-z0-9+/=\s-]+$/.test(text) ? text : null;
  }

  /** Registers a browser-login session (Artifactory 7.64+). */
  async startWebLogin(session: string): Promise<void> {
    const response = await this.#send('POST', 'access/api/v2/authentication/jfrog_client_login/request', { kind: 'none' }, { session });
    if (response.status === 200) return;
    if (response.status === 404 || response.status === 405) {
      throw new AccessError('web-login-unsupported', 'This Artifactory does not offer browser login (it needs version 7.64 or newer). Log in with a user name and password or a token instead.', response.status);
    }
    throw this.#failure(response, 'start the browser login');
  }

  /** One poll: null while the person has not approved yet (the server answers 400). */
  async pollWebLogin(session: string): Promise<TokenGrant | null> {
    const response = await this.#send('GET', `access/api/v2/authentication/jfrog_client_login/token/${session}`, { kind: 'none' }, undefined, 0);
    if (response.status === 400) return null;
    return grantFrom(this.#expect(response, 200, 'finish the browser login'));
  }

  /** The caller's API key, if they still have one. */
  async apiKey(credentials: Credentials): Promise<string | null> {
    const body = this.#expect(await this.#send('GET', 'artifactory/api/security/apiKey', credentials), 200, 'read the API key');
    return typeof body['apiKey'] === 'string' ? body['apiKey'] : null;
  }

  async revokeApiKey(credentials: Credentials): Promise<void> {
    this.#expect(await this.#send('DELETE', 'artifactory/api/security/apiKey', credentials), 200, 'revoke the API key');
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

  async #send(method: 'GET' | 'POST' | 'DELETE', path: string, credentials: Credentials, json?: unknown, retries?: number): Promise<HttpResponse> {
    const headers: Record<string, string> = authHeaders(credentials);
    if (json !== undefined) headers['Content-Type'] = 'application/json';
    return this.http({
      method,
      url: new URL(path, this.platformUrl).href,
      headers,
      ...(json === undefined ? {} : { body: JSON.stringify(json) }),
      ...(retries === undefined ? {} : { retries }),
    });
  }

  #expect(response: HttpResponse, status: number, action: string): Record<string, unknown> {
    if (response.status !== status) throw this.#failure(response, action);
    const body = jsonObject(response);
    if (!body) {
      throw new AccessError('unexpected-response', `Could not ${action}: ${describe(new URL(response.url))} answered ${explainNonArtifactory(response)}`, response.status);
    }
    return body;
  }

  #failure(response: HttpResponse, action: string): AccessError {
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
export function errorMessage(response: HttpResponse): string | undefined {
  const body = jsonObject(response);
  if (!body) return undefined;
  const errors = body['errors'];
  const first: unknown = Array.isArray(errors) ? errors[0] : body;
  if (isRecord(first) && typeof first['message'] === 'string') return clip(first['message']);
  if (typeof body['error_description'] === 'string') return clip(body['error_description']);
  return undefined;
}

/** Says what answered instead of Artifactory: an SSO login page, a proxy error page, anything else. */
function explainNonArtifactory(response: HttpResponse): string {
  const type = String(response.headers['content-type'] ?? '');
  const text = response.text();
  if (/html/i.test(type) || /^\s*<(!doctype|html)/i.test(text)) {
    const title = /<title>([^<]{0,120})<\/title>/i.exec(text)?.[1]?.trim();
    if (response.status === 200 && /<form|sign in|log ?in|sso|saml|okta/i.test(text)) {
      return `a web page answered instead of the API${title ? ` ("${title}")` : ''}, probably a single sign-on or proxy login page. Use the Artifactory URL itself (for example https://acme.jfrog.io/), or ask your admin which address serves /artifactory/api/.`;
    }
    return `an HTML page answered (status ${response.status}${title ? `, "${title}"` : ''}), typically a proxy or gateway error page.`;
  }
  return `status ${response.status}${text ? ` with "${clip(text.replace(/\s+/g, ' '))}"` : ''}`;
}

const clip = (text: string): string => (text.length > 200 ? `${text.slice(0, 200)}…` : text);

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

