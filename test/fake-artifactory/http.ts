import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthResult } from './auth.js';
import type { RequestRecord } from './recorder.js';
import type { FakeState } from './state.js';

export class BodyTooLarge extends Error {}

/** One request and its response, as route handlers see them. */
export interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  method: string;
  /** Capture groups of the route pattern, URL-decoded. */
  params: string[];
  state: FakeState;
  record: RequestRecord;
  body(): Promise<Buffer>;
  /** Authenticates once per request and records who it was. */
  auth(): AuthResult;
}

export type Handler = (exchange: Exchange) => void | Promise<void>;

interface Route {
  methods: string[];
  pattern: RegExp;
  handler: Handler;
}

export class Router {
  readonly #routes: Route[] = [];

  on(methods: string | string[], pattern: RegExp, handler: Handler): void {
    this.#routes.push({ methods: Array.isArray(methods) ? methods : [methods], pattern, handler });
  }

  /** The handler for a request, `method-not-allowed` if the path exists, or undefined. */
  match(method: string, path: string): { handler: Handler; params: string[] } | 'method-not-allowed' | undefined {
    let pathMatched = false;
    for (const route of this.#routes) {
      const found = route.pattern.exec(path);
      if (!found) continue;
      pathMatched = true;
      if (!route.methods.includes(method) && !(method === 'HEAD' && route.methods.includes('GET'))) continue;
      return { handler: route.handler, params: found.slice(1).map((p) => (p === undefined ? '' : safeDecode(p))) };
    }
    return pathMatched ? 'method-not-allowed' : undefined;
  }
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new BodyTooLarge(`request body over ${limit} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function send(exchange: Exchange, status: number, body: string | Buffer, contentType: string, headers: Record<string, string> = {}): void {
  const { res } = exchange;
  res.statusCode = status;
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Length', Buffer.byteLength(body));
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.end(exchange.method === 'HEAD' ? undefined : body);
}

export const sendJson = (exchange: Exchange, status: number, body: unknown, headers: Record<string, string> = {}): void =>
  send(exchange, status, JSON.stringify(body), 'application/json', headers);

export const sendText = (exchange: Exchange, status: number, text: string, headers: Record<string, string> = {}): void =>
  send(exchange, status, text, 'text/plain', headers);

export const sendEmpty = (exchange: Exchange, status: number): void => {
  exchange.res.statusCode = status;
  exchange.res.end();
};

export const sendHtml = (exchange: Exchange, status: number, html: string): void =>
  send(exchange, status, html, 'text/html;charset=utf-8');

/**
 * Artifactory's error shape, `{"errors":[{"status":401,"message":…}]}` with `status` a number
 * (jfrog/jfrog-cli#1616 and #599 quote it; jfrog-client-go `trustedkeys_test.go` parses it); JSON
 * served as ISO-8859-1 as the real server labels it.
 */
export function artifactoryError(exchange: Exchange, status: number, message: string, headers: Record<string, string> = {}): void {
  const challenge: Record<string, string> = status === 401 ? { 'WWW-Authenticate': 'Basic realm="Artifactory Realm"' } : {};
  send(exchange, status, JSON.stringify({ errors: [{ status, message }] }), 'application/json;charset=ISO-8859-1', {
    ...challenge,
    ...headers,
  });
}

export type AccessErrorCode = 'BAD_REQUEST' | 'UNAUTHORIZED' | 'FORBIDDEN' | 'NOT_FOUND' | 'INTERNAL_SERVER_ERROR' | 'UNSUPPORTED_MEDIA_TYPE' | 'METHOD_NOT_ALLOWED';

/**
 * Access's error shape, `{"errors":[{"code":"NOT_FOUND","message":…}]}` with `code` a string enum
 * (jfrog/jfrog-cli#2490; terraform-provider-artifactory's `ArtifactoryErrorsResponse` parses it).
 */
export function accessError(exchange: Exchange, status: number, code: AccessErrorCode, message: string): void {
  sendJson(exchange, status, { errors: [{ code, message }] });
}

export type Fields = Record<string, unknown>;

/**
 * Reads a create/refresh body: form or JSON, as the Access token endpoint accepts both (REST
 * "Create Token" documents form fields; jfrog-client-go sends JSON).
 * Answers with an error itself and returns undefined when the body is unusable.
 */
export async function readFields(exchange: Exchange, accepts: { json: boolean; form: boolean }, onError: (message: string, status: number) => void): Promise<Fields | undefined> {
  const type = (exchange.req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const raw = (await exchange.body()).toString('utf8');
  if (type === 'application/json' && accepts.json) {
    try {
      const parsed: unknown = raw.trim() === '' ? {} : JSON.parse(raw);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        onError('Request body must be a JSON object', 400);
        return undefined;
      }
      return parsed as Fields;
    } catch {
      onError('Malformed JSON in request body', 400);
      return undefined;
    }
  }
  if ((type === 'application/x-www-form-urlencoded' || (type === '' && raw === '')) && accepts.form) {
    return Object.fromEntries(new URLSearchParams(raw));
  }
  onError(`Unsupported Media Type: ${type || 'none'}`, 415);
  return undefined;
}

/** Form values are strings; JSON values are typed. These accept both spellings. */
export function fieldString(fields: Fields, name: string): string | undefined {
  const value = fields[name];
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}

export function fieldBoolean(fields: Fields, name: string): boolean | undefined | 'invalid' {
  const value = fields[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  return 'invalid';
}

export function fieldInteger(fields: Fields, name: string): number | undefined | 'invalid' {
  const value = fields[name];
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  return Number.isInteger(n) ? n : 'invalid';
}
