import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type Socket } from 'node:net';
import { connect as tlsConnect, rootCertificates } from 'node:tls';

/** One HTTP exchange with an Artifactory instance, after redirects, with the body read (capped). */
export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The URL that answered, after redirects. */
  url: string;
  text(): string;
}

export interface HttpRequest {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  /** Whole-request deadline in milliseconds. */
  timeoutMs?: number;
  /** Retries for network errors and 502/503/504; only idempotent methods ever retry. */
  retries?: number;
  maxBodyBytes?: number;
  signal?: AbortSignal;
  /** 'none' hands back a 3xx as it came: a request whose answer is a secret must not go elsewhere. */
  redirects?: 'follow' | 'none';
}

export interface HttpOptions {
  /** PEM certificates trusted in addition to the system's. */
  extraCa?: string;
  /** Proxy settings; defaults to HTTPS_PROXY / HTTP_PROXY / NO_PROXY from the environment. */
  env?: Record<string, string | undefined>;
  userAgent?: string;
  /** Waits between retries; tests pass a fast one. */
  sleep?: (ms: number) => Promise<void>;
}

export type HttpErrorCode =
  | 'timeout'
  | 'tls'
  | 'connection-refused'
  | 'host-not-found'
  | 'connection-reset'
  | 'response-too-large'
  | 'too-many-redirects'
  | 'redirect-refused'
  | 'proxy'
  | 'aborted'
  | 'network';

export class HttpError extends Error {
  constructor(
    readonly code: HttpErrorCode,
    message: string,
    /** A TLS certificate no trusted CA signed: the remedy is a CA bundle, which each front end names its own way. */
    readonly untrustedCertificate = false,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export type HttpClient = (request: HttpRequest) => Promise<HttpResponse>;

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE']);
const RETRY_STATUS = new Set([502, 503, 504]);
const MAX_REDIRECTS = 5;

export function createHttpClient(options: HttpOptions = {}): HttpClient {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const ca = options.extraCa ? [...rootCertificates, options.extraCa] : undefined;
  const env = options.env ?? process.env;

  return async function send(request: HttpRequest): Promise<HttpResponse> {
    const retries = IDEMPOTENT.has(request.method) ? (request.retries ?? 2) : 0;
    for (let attempt = 0; ; attempt++) {
      try {
        const response = await followRedirects(request);
        if (attempt < retries && RETRY_STATUS.has(response.status)) {
          await sleep(backoff(attempt));
          continue;
        }
        return response;
      } catch (error) {
        const retriable = error instanceof HttpError && ['timeout', 'connection-refused', 'connection-reset', 'network'].includes(error.code);
        if (attempt < retries && retriable && !request.signal?.aborted) {
          await sleep(backoff(attempt));
          continue;
        }
        throw error;
      }
    }
  };

  async function followRedirects(request: HttpRequest): Promise<HttpResponse> {
    let url = new URL(request.url);
    let method = request.method;
    let body = request.body;
    let headers = { ...request.headers };
    const origin = url.origin;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const response = await once({ ...request, method, body, headers, url: url.href });
      const location = response.headers.location;
      if (request.redirects === 'none' || ![301, 302, 303, 307, 308].includes(response.status) || !location) return response;
      const next = new URL(location, url);
      if (next.protocol !== 'https:' && next.protocol !== 'http:') return response;
      if (url.protocol === 'https:' && next.protocol === 'http:') {
        throw new HttpError('tls', `${describe(url)} redirected to plain HTTP (${next.origin}); refusing to downgrade the connection.`);
      }
      // A body is for the instance only (token requests carry secrets in it); a 307/308 would re-send it.
      if (request.body !== undefined && next.origin !== origin) {
        throw new HttpError('redirect-refused', `${describe(url)} redirected a ${request.method} request to another host (${next.host}); refusing to send it there.`);
      }
      // Credentials are for the instance only: a redirect to any other origin loses them.
      if (next.origin !== origin) headers = withoutCredentials(headers);
      if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
        method = 'GET';
        body = undefined;
        headers = withoutBodyHeaders(headers);
      }
      url = next;
    }
    throw new HttpError('too-many-redirects', `${describe(new URL(request.url))} redirected more than ${MAX_REDIRECTS} times.`);
  }

  function once(request: HttpRequest & { headers: Record<string, string> }): Promise<HttpResponse> {
    const url = new URL(request.url);
    const timeoutMs = request.timeoutMs ?? 15_000;
    const limit = request.maxBodyBytes ?? 1024 * 1024;
    const proxy = proxyFor(url, env);
    return new Promise<HttpResponse>((resolve, reject) => {
      let settled = false;
      const finish = (error: HttpError | undefined, response?: HttpResponse): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        request.signal?.removeEventListener('abort', onAbort);
        if (error) {
          req.destroy();
          reject(error);
        } else if (response) resolve(response);
      };
      const timer = setTimeout(() => finish(new HttpError('timeout', `${describe(url)} did not answer within ${Math.round(timeoutMs / 1000)} s.`)), timeoutMs);
      const onAbort = (): void => finish(new HttpError('aborted', `The request to ${describe(url)} was cancelled.`));
      request.signal?.addEventListener('abort', onAbort);

      const headers: Record<string, string> = {
        'User-Agent': options.userAgent ?? 'artikey',
        Accept: 'application/json, text/plain, */*',
        ...request.headers,
      };
      if (request.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(request.body));
      const secure = url.protocol === 'https:';
      const common = { method: request.method, headers, ...(ca ? { ca } : {}), ...serverName(url) };
      const req = proxy && !secure
        ? // Plain HTTP through a proxy: absolute URI to the proxy itself.
          requestVia(proxy)({ ...common, ...proxyEndpoint(proxy, ca), path: url.href, headers: { ...headers, ...proxyAuth(proxy) } })
        : (secure ? httpsRequest : httpRequest)({
            ...common,
            host: url.hostname.replace(/^\[|\]$/g, ''),
            port: url.port || (secure ? 443 : 80),
            path: `${url.pathname}${url.search}`,
            // No agent: Node then uses createConnection, i.e. the tunnel.
            ...(proxy && secure ? { createConnection: tunnel(proxy, url, ca, (error) => finish(error)) } : {}),
          });
      req.on('error', (error) => finish(networkError(error, url, proxy)));
      req.on('response', (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const declared = Number(res.headers['content-length'] ?? '0');
        if (declared > limit) return finish(tooLarge(url, limit));
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > limit) return finish(tooLarge(url, limit));
          chunks.push(chunk);
        });
        res.on('error', (error) => finish(networkError(error, url, proxy)));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          finish(undefined, { status: res.statusCode ?? 0, headers: res.headers, body, url: url.href, text: () => body.toString('utf8') });
        });
      });
      req.end(request.body);
    });
  }
}

/** Exponential backoff with full jitter: 0.5 s, 1 s, 2 s … scaled by a random factor. */
const backoff = (attempt: number): number => Math.round(500 * 2 ** attempt * (0.5 + Math.random() / 2));

function withoutCredentials(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !/^(authorization|x-jfrog-art-api|cookie|proxy-authorization)$/i.test(name)));
}

function withoutBodyHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !/^content-(type|length)$/i.test(name)));
}

/** A URL as it may appear in messages: no credentials, no query (which can carry secrets). */
export function describe(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

const tooLarge = (url: URL, limit: number): HttpError =>
  new HttpError('response-too-large', `${describe(url)} sent more than ${Math.round(limit / 1024)} KiB; that is not an Artifactory API answer.`);

function networkError(error: Error & { code?: string }, url: URL, proxy: URL | undefined): HttpError {
  const code = error.code ?? '';
  const where = describe(url);
  // OpenSSL's words for a TLS hello answered by a plain-HTTP reply; no CA bundle will help there.
  if (url.protocol === 'https:' && !proxy && /wrong.version.number|packet.length.too.long|http.request/i.test(`${code} ${error.message}`)) {
    return new HttpError('tls', `${url.origin} answered in plain HTTP; use http://${url.host} or check the port.`);
  }
  if (/CERT|SELF_SIGNED|UNABLE_TO|ERR_TLS|HOSTNAME|ALTNAME|EPROTO|SSL/i.test(code) || /certificate/i.test(error.message)) {
    return new HttpError('tls', `The TLS certificate of ${url.host} could not be verified (${code || error.message}). If your company uses its own certificate authority, add its PEM file as this instance's CA bundle.`, /SELF_SIGNED|UNABLE_TO_(VERIFY|GET_ISSUER)/.test(code));
  }
  if (code === 'ECONNREFUSED') return new HttpError(proxy ? 'proxy' : 'connection-refused', proxy ? `The proxy ${proxy.host} refused the connection.` : `${url.host} refused the connection (is the address and port right?).`);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new HttpError('host-not-found', `The host ${proxy ? proxy.hostname : url.hostname} could not be found (DNS).`);
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET') return new HttpError('connection-reset', `The connection to ${where} was reset before an answer arrived.`);
  if (error instanceof HttpError) return error;
  return new HttpError('network', `The request to ${where} failed: ${code || error.message}`);
}

/** The proxy for a URL per HTTPS_PROXY / HTTP_PROXY / NO_PROXY (either case), if any. */
export function proxyFor(url: URL, env: Record<string, string | undefined>): URL | undefined {
  const value = (name: string): string | undefined => env[name] ?? env[name.toLowerCase()];
  const noProxy = (value('NO_PROXY') ?? '').split(',').map((entry) => entry.trim().toLowerCase()).filter(Boolean);
  const host = url.hostname.toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  for (const entry of noProxy) {
    if (entry === '*') return undefined;
    const [entryHost = '', entryPort] = entry.split(':');
    if (entryPort && entryPort !== port) continue;
    const bare = entryHost.replace(/^\*?\./, '');
    if (host === bare || host.endsWith(`.${bare}`)) return undefined;
  }
  const raw = url.protocol === 'https:' ? (value('HTTPS_PROXY') ?? value('HTTP_PROXY')) : value('HTTP_PROXY');
  if (!raw) return undefined;
  try {
    return new URL(raw.includes('://') ? raw : `http://${raw}`);
  } catch {
    throw new HttpError('proxy', 'The proxy setting (HTTPS_PROXY/HTTP_PROXY) is not a valid URL.');
  }
}

function proxyAuth(proxy: URL): Record<string, string> {
  if (!proxy.username) return {};
  const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  return { 'Proxy-Authorization': `Basic ${Buffer.from(credentials).toString('base64')}` };
}

/** An https:// proxy is itself reached over TLS (verified, with the same extra CAs); an http:// one in the clear. */
const requestVia = (proxy: URL): typeof httpRequest => (proxy.protocol === 'https:' ? httpsRequest : httpRequest);

function proxyEndpoint(proxy: URL, ca: string[] | undefined): { host: string; port: string | number; servername?: string; ca?: string[] } {
  const secure = proxy.protocol === 'https:';
  return { host: proxy.hostname.replace(/^\[|\]$/g, ''), port: proxy.port || (secure ? 443 : 80), ...(secure ? { ...serverName(proxy), ...(ca ? { ca } : {}) } : {}) };
}

/** A CONNECT tunnel through the proxy, with TLS to the instance verified end to end. */
function tunnel(proxy: URL, target: URL, ca: string[] | undefined, fail: (error: HttpError) => void) {
  return (_options: unknown, callback: (error: Error | null, socket: Socket) => void): undefined => {
    const authority = `${target.hostname}:${target.port || 443}`;
    const connectRequest = requestVia(proxy)({
      ...proxyEndpoint(proxy, ca),
      method: 'CONNECT',
      path: authority,
      headers: { Host: authority, ...proxyAuth(proxy) },
    });
    connectRequest.on('connect', (response: IncomingMessage, socket: Socket) => {
      if (response.statusCode !== 200) {
        socket.destroy();
        fail(new HttpError('proxy', `The proxy ${proxy.host} refused to connect to ${target.host} (HTTP ${response.statusCode ?? 0}).`));
        return;
      }
      const secure = tlsConnect({ socket, ...serverName(target), ...(ca ? { ca } : {}) });
      callback(null, secure);
    });
    connectRequest.on('error', (error: Error & { code?: string }) =>
      fail(new HttpError('proxy', `The proxy ${proxy.host} could not be reached (${error.code ?? error.message}).`)),
    );
    connectRequest.end();
    return undefined;
  };
}

/** SNI carries host names only; an IP address is verified against the certificate without it. */
const serverName = (url: URL): { servername?: string } => (isIP(url.hostname.replace(/^\[|\]$/g, '')) ? {} : { servername: url.hostname });
