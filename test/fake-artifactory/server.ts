import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { authenticate, type AuthResult } from './auth.js';
import { createLoopbackTls, createTokenIssuerCertificate, generateRsaKeyPair, keyId, type TlsMaterial } from './certificates.js';
import { FakeClock } from './clock.js';
import { defaultConfig, type FakeConfig } from './config.js';
import { Directory } from './directory.js';
import { Faults, type FaultAction } from './faults.js';
import { accessError, artifactoryError, BodyTooLarge, readBody, Router, sendText, type Exchange } from './http.js';
import * as ids from './ids.js';
import { profileOverrides, type ProfileName } from './profiles.js';
import { fingerprint, formatRecord, noteCaller, RequestLog, type RequestRecord } from './recorder.js';
import { accessTokenRoutes } from './routes/access-tokens.js';
import { apiKeyRoutes } from './routes/api-keys.js';
import { legacyTokenRoutes } from './routes/legacy-tokens.js';
import { packageRoutes } from './routes/packages.js';
import { repositoryRoutes } from './routes/repositories.js';
import { systemRoutes } from './routes/system.js';
import { approveWebLogin, webLoginRoutes } from './routes/web-login.js';
import type { FakeState } from './state.js';
import { TokenStore, type IssueRequest, type TokenRecord } from './token-store.js';
import { absentInVersion } from './versions.js';

export interface FakeArtifactoryOptions {
  /** Port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  clock?: FakeClock;
  /** A named server (profiles.ts); `config` overrides it knob by knob. */
  profile?: ProfileName;
  config?: Partial<FakeConfig>;
  /** Serve HTTPS with a private CA (see `tls.caPem`) instead of HTTP. */
  tls?: boolean;
  /** Receives one line per request, with every secret redacted. */
  log?: (line: string) => void;
  /** See `FakeArtifactory.approveBrowserLoginsAs`. */
  approveBrowserLoginsAs?: string;
}

export interface FakeArtifactory {
  /** `http://127.0.0.1:PORT`: the platform URL without a trailing slash. */
  readonly url: string;
  /** `127.0.0.1:PORT`: the Docker registry host. */
  readonly host: string;
  readonly port: number;
  readonly clock: FakeClock;
  /** The named server it started as (profiles.ts); `config` may have been changed since. */
  readonly profile: ProfileName;
  readonly config: FakeConfig;
  readonly directory: Directory;
  readonly tokens: TokenStore;
  readonly faults: Faults;
  readonly requests: RequestLog;
  readonly accessServiceId: string;
  readonly artifactoryServiceId: string;
  readonly rootCertificate: { der: Buffer; pem: string };
  /** The CA that signed the HTTPS certificate, when started with `tls: true`. */
  readonly tls: TlsMaterial | undefined;
  /** Mints a token directly, as if an admin had created it. */
  issueToken(request: IssueRequest): TokenRecord;
  /** Gives a user an API key and returns it. */
  createApiKey(username: string): string;
  /** Approves a pending browser-login session as `username` (what the person does in the browser). */
  approveLogin(session: string, username: string): void;
  /** Browser-login sessions still waiting for approval. */
  pendingLogins(): string[];
  /**
   * Test hook simulating the person, not the server: approve every browser login as `username`
   * the moment the client registers it, as `approveLogin` would, so a login started with
   * `--no-browser` completes on its first poll; null stops approving.
   */
  approveBrowserLoginsAs(username: string | null): void;
  fingerprint(secret: string): string;
  stop(): Promise<void>;
}

export async function startFakeArtifactory(options: FakeArtifactoryOptions = {}): Promise<FakeArtifactory> {
  const clock = options.clock ?? new FakeClock();
  const config: FakeConfig = { ...defaultConfig(), ...profileOverrides(options.profile ?? 'default'), ...options.config };
  const keys = generateRsaKeyPair();
  const accessServiceId = `jfac@${ids.serviceId()}`;
  const artifactoryServiceId = `jfrt@${ids.serviceId()}`;
  const root = createTokenIssuerCertificate(keys, accessServiceId, new Date(clock.now()));
  const signing = { ...keys, kid: keyId(keys.publicKey) };
  const directory = new Directory();
  if (options.approveBrowserLoginsAs !== undefined && !directory.user(options.approveBrowserLoginsAs)) {
    throw new Error(`no such user: ${options.approveBrowserLoginsAs}`);
  }
  const tokens = new TokenStore(clock, config, signing, accessServiceId, artifactoryServiceId);
  const faults = new Faults();
  const requests = new RequestLog();
  const tls = options.tls ? createLoopbackTls(new Date(clock.now())) : undefined;
  let port = 0;
  const origin = (): string => `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;

  const state: FakeState = {
    clock,
    config,
    directory,
    tokens,
    signing,
    rootCertificateDer: root.der,
    accessServiceId,
    artifactoryServiceId,
    webLoginSessions: new Map(),
    browserLoginApprover: options.approveBrowserLoginsAs ?? null,
    registryTokens: new Map(),
    baseUrl: origin,
    host: () => `127.0.0.1:${port}`,
  };

  const router = new Router();
  systemRoutes(router);
  accessTokenRoutes(router);
  legacyTokenRoutes(router);
  apiKeyRoutes(router);
  webLoginRoutes(router);
  packageRoutes(router);
  repositoryRoutes(router);

  const sockets = new Set<Socket>();
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) {
        res.statusCode = 500;
        res.end();
      }
      options.log?.(`internal error: ${error instanceof Error ? error.message : String(error)}`);
    });
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', origin());
    const record = requests.start(method, url, req.headers['user-agent'], clock.now());
    res.setHeader('Date', new Date(clock.now()).toUTCString());
    res.setHeader('Server', `Artifactory/${config.artifactoryVersion}`);
    res.setHeader('X-Artifactory-Id', artifactoryServiceId.slice(5));
    res.setHeader('X-Artifactory-Node-Id', 'fake-artifactory-node-1');
    res.setHeader('X-JFrog-Version', `Artifactory/${config.artifactoryVersion}`);
    res.on('close', () => {
      record.status = res.writableFinished ? res.statusCode : record.status || 0;
      options.log?.(formatRecord(record));
    });

    // Which scheme arrived is recorded even for requests a fault takes over (redirect tests need it).
    record.scheme = schemeOf(req);
    const fault = faults.take(method, url.pathname);
    if (fault) {
      record.fault = fault.kind;
      if (await applyFault(fault, req, res, url, record)) return;
    }

    let authResult: AuthResult | undefined;
    let bodyPromise: Promise<Buffer> | undefined;
    const exchange: Exchange = {
      req,
      res,
      url,
      method,
      params: [],
      state,
      record,
      body: () => (bodyPromise ??= readBody(req, config.maxRequestBodyBytes)),
      auth: () => {
        if (!authResult) {
          authResult = authenticate(req, state);
          noteCaller(record, authResult, (name) => directory.user(name) !== undefined);
        }
        return authResult;
      },
    };

    const found = absentInVersion(config, url.pathname) ? undefined : router.match(method, url.pathname);
    try {
      if (found === undefined) return notFound(exchange);
      if (found === 'method-not-allowed') {
        return url.pathname.startsWith('/access/')
          ? accessError(exchange, 405, 'METHOD_NOT_ALLOWED', 'HTTP 405 Method Not Allowed')
          : artifactoryError(exchange, 405, 'Method Not Allowed');
      }
      exchange.params = found.params;
      await found.handler(exchange);
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        if (!res.headersSent) artifactoryError(exchange, 413, 'Request Entity Too Large');
        return;
      }
      throw error;
    }
  }

  async function applyFault(fault: FaultAction, req: IncomingMessage, res: ServerResponse, url: URL, record: RequestRecord): Promise<boolean> {
    switch (fault.kind) {
      case 'delay':
        await new Promise((resolve) => setTimeout(resolve, fault.ms));
        return res.destroyed;
      case 'hold-answer': {
        const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
        const held = fault.ms;
        res.end = ((...args: unknown[]) => {
          if (held !== undefined) setTimeout(() => end(...args), held);
          return res;
        }) as typeof res.end;
        return false;
      }
      case 'reset':
        req.socket.destroy();
        return true;
      case 'hang':
        return true;
      case 'status':
        res.writeHead(fault.status, { 'Content-Type': fault.contentType ?? 'text/plain', ...fault.headers });
        res.end(fault.body ?? '');
        return true;
      case 'html-login':
        res.writeHead(200, { 'Content-Type': 'text/html;charset=utf-8' });
        res.end(ssoLoginPage);
        return true;
      case 'proxy-error': {
        const status = fault.status ?? 502;
        res.writeHead(status, { 'Content-Type': 'text/html', Server: 'nginx' });
        res.end(`<html>\r\n<head><title>${status} Bad Gateway</title></head>\r\n<body>\r\n<center><h1>${status} Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`);
        return true;
      }
      case 'redirect': {
        const target = fault.to ?? `${tls ? 'https' : 'http'}://localhost:${port}`;
        res.writeHead(fault.status ?? 302, { Location: `${target.replace(/\/$/, '')}${url.pathname}${url.search}` });
        res.end();
        return true;
      }
      case 'echo': {
        const body = await readBody(req, config.maxRequestBodyBytes);
        const headers = Object.entries(req.headers).map(([name, value]) => `${name}: ${String(value)}`);
        res.writeHead(fault.status ?? 502, { 'Content-Type': fault.contentType ?? 'text/plain' });
        // The body first, as the debug pages that leaked refresh tokens did: a quote clipped short still holds it.
        res.end(`${body.toString('utf8')}\n\n${req.method ?? 'GET'} ${url.pathname}${url.search}\n${headers.join('\n')}`);
        return true;
      }
      case 'oversized': {
        res.writeHead(200, { 'Content-Type': fault.contentType ?? 'application/json' });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        let sent = 0;
        res.write('{"padding":"');
        while (sent < fault.bytes && !res.destroyed) {
          const ok = res.write(chunk);
          sent += chunk.length;
          if (!ok) {
            await new Promise<void>((resolve) => {
              const done = (): void => {
                res.off('drain', done).off('close', done);
                resolve();
              };
              res.on('drain', done).on('close', done);
            });
          }
        }
        if (!res.destroyed) res.end('"}');
        record.fault = `oversized:${sent}`;
        return true;
      }
    }
  }

  const server: Server = tls
    ? createHttpsServer({ cert: tls.certPem, key: tls.keyPem }, handler)
    : createHttpServer(handler);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: origin(),
    host: state.host(),
    port,
    clock,
    profile: options.profile ?? 'default',
    config,
    directory,
    tokens,
    faults,
    requests,
    accessServiceId,
    artifactoryServiceId,
    rootCertificate: root,
    tls,
    issueToken: (request) => tokens.issue(request),
    createApiKey(username) {
      const user = directory.user(username);
      if (!user) throw new Error(`no such user: ${username}`);
      user.apiKey = ids.apiKey();
      return user.apiKey;
    },
    approveLogin: (session, username) => approveWebLogin(state, session, username),
    pendingLogins: () => [...state.webLoginSessions].filter(([, s]) => s.state === 'pending').map(([id]) => id),
    approveBrowserLoginsAs(username) {
      if (username !== null && !directory.user(username)) throw new Error(`no such user: ${username}`);
      state.browserLoginApprover = username;
    },
    fingerprint,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

function schemeOf(req: IncomingMessage): RequestRecord['scheme'] {
  if (req.headers['x-jfrog-art-api']) return 'ApiKey';
  const scheme = req.headers.authorization?.split(' ', 1)[0]?.toLowerCase();
  return scheme === 'bearer' ? 'Bearer' : scheme === 'basic' ? 'Basic' : null;
}

/**
 * An unknown path, which is also what a server older than an endpoint answers for it. Access's
 * wording is inferred from its 405, `{"errors":[{"code":"METHOD_NOT_ALLOWED","message":"HTTP 405
 * Method Not Allowed"}]}` (jfrog/vault-plugin-secrets-artifactory#286): the JAX-RS default
 * message; a guess for 404, where only the status is on record (jfrog-cli-core `weblogin.go`,
 * vault plugin PR #44).
 */
function notFound(exchange: Exchange): void {
  const path = exchange.url.pathname;
  if (path.startsWith('/access/')) return accessError(exchange, 404, 'NOT_FOUND', 'HTTP 404 Not Found');
  if (path.startsWith('/artifactory/')) return artifactoryError(exchange, 404, 'Could not find resource');
  sendText(exchange, 404, 'Not Found');
}

const ssoLoginPage = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Sign In - Corporate SSO</title></head>
<body><form method="post" action="/sso/saml/login"><h1>Sign in with your corporate account</h1>
<label>Username <input name="username"></label><label>Password <input name="password" type="password"></label>
<button type="submit">Sign in</button></form></body></html>
`;
