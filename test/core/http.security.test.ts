import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient, HttpError, proxyFor } from '../../electron/core/http.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import { startTestProxy, type TestProxy } from '../support/proxy.js';

const noSleep = (): Promise<void> => Promise.resolve();
const CANARY = 'Bearer canary-token-value-1234567890';

describe('core HTTP client', () => {
  let fake: FakeArtifactory;
  beforeAll(async () => {
    // Anonymous access on: a request whose Authorization was dropped on the way still gets its answer.
    fake = await startFakeArtifactory({ config: { anonymousAccess: true } });
  });
  afterAll(() => fake.stop());
  afterEach(() => {
    fake.faults.clear();
    fake.requests.clear();
  });
  const http = createHttpClient({ sleep: noSleep, env: {} });

  it('returns status, headers and body', async () => {
    const response = await http({ method: 'GET', url: `${fake.url}/artifactory/api/system/ping` });
    expect(response.status).toBe(200);
    expect(response.text()).toBe('OK');
    expect(response.headers['content-type']).toBe('text/plain');
  });

  it('retries idempotent requests on 503 and network resets, with backoff', async () => {
    fake.faults.add({ path: '/artifactory/api/system/ping', times: 2, action: { kind: 'status', status: 503 } });
    expect((await http({ method: 'GET', url: `${fake.url}/artifactory/api/system/ping` })).status).toBe(200);
    expect(fake.requests.list({ path: '/artifactory/api/system/ping' })).toHaveLength(3);
    fake.faults.add({ path: '/artifactory/api/system/ping', times: 1, action: { kind: 'reset' } });
    expect((await http({ method: 'GET', url: `${fake.url}/artifactory/api/system/ping` })).status).toBe(200);
  });

  it('never retries a POST: a refresh token must not be spent twice', async () => {
    fake.faults.add({ path: '/access/api/v1/tokens', times: 1, action: { kind: 'reset' } });
    await expect(http({ method: 'POST', url: `${fake.url}/access/api/v1/tokens`, body: '{}', headers: { 'Content-Type': 'application/json' } })).rejects.toMatchObject({ code: 'connection-reset' });
    fake.faults.add({ path: '/access/api/v1/tokens', times: 1, action: { kind: 'status', status: 503 } });
    expect((await http({ method: 'POST', url: `${fake.url}/access/api/v1/tokens`, body: '{}', headers: { 'Content-Type': 'application/json' } })).status).toBe(503);
    expect(fake.requests.list({ path: '/access/api/v1/tokens' })).toHaveLength(2);
  });

  it('times out a server that never answers', async () => {
    fake.faults.add({ path: '/artifactory/api/system/ping', action: { kind: 'hang' } });
    await expect(http({ method: 'GET', url: `${fake.url}/artifactory/api/system/ping`, timeoutMs: 300, retries: 0 })).rejects.toMatchObject({ code: 'timeout', message: expect.stringContaining('did not answer') });
  });

  it('caps response bodies', async () => {
    fake.faults.add({ path: '/artifactory/api/system/version', action: { kind: 'oversized', bytes: 8 * 1024 * 1024 } });
    await expect(http({ method: 'GET', url: `${fake.url}/artifactory/api/system/version`, maxBodyBytes: 256 * 1024 })).rejects.toMatchObject({ code: 'response-too-large' });
  });

  it('drops Authorization when a redirect leaves the instance, and keeps it on the same origin', async () => {
    fake.faults.add({ path: '/artifactory/api/system/version', times: 1, action: { kind: 'redirect' } });
    const response = await http({ method: 'GET', url: `${fake.url}/artifactory/api/system/version`, headers: { Authorization: CANARY, Cookie: 'session=canary' } });
    expect(response.status).toBe(200);
    expect(response.url).toMatch(/^http:\/\/localhost:/);
    const [first, second] = fake.requests.list({ path: '/artifactory/api/system/version' });
    expect(first?.scheme).toBe('Bearer');
    expect(second?.scheme).toBeNull();

    fake.faults.add({ path: '/artifactory/api/system/version', times: 1, action: { kind: 'redirect', to: fake.url } });
    fake.requests.clear();
    await http({ method: 'GET', url: `${fake.url}/artifactory/api/system/version`, headers: { Authorization: CANARY } });
    expect(fake.requests.list({ path: '/artifactory/api/system/version' }).map((r) => r.scheme)).toEqual(['Bearer', 'Bearer']);
  });

  it('stops redirect loops', async () => {
    fake.faults.add({ path: '/artifactory/api/system/ping', action: { kind: 'redirect', to: fake.url } });
    await expect(http({ method: 'GET', url: `${fake.url}/artifactory/api/system/ping` })).rejects.toMatchObject({ code: 'too-many-redirects' });
  });

  it('keeps secrets and query strings out of error messages', async () => {
    fake.faults.add({ path: '/artifactory/api/system/ping', action: { kind: 'hang' } });
    const error = await http({ method: 'GET', url: `${fake.url}/artifactory/api/system/ping?token=canary-in-query`, headers: { Authorization: CANARY }, timeoutMs: 200, retries: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(String((error as Error).message)).not.toMatch(/canary/);
  });
});

describe('core HTTP client over TLS and proxies', () => {
  let fake: FakeArtifactory;
  let proxy: TestProxy;
  beforeAll(async () => {
    fake = await startFakeArtifactory({ tls: true });
    proxy = await startTestProxy();
  });
  afterAll(async () => {
    await fake.stop();
    await proxy.stop();
  });

  it('verifies TLS and names the fix when the certificate is unknown', async () => {
    const http = createHttpClient({ env: {} });
    await expect(http({ method: 'GET', url: `${fake.url}/artifactory/api/system/ping`, retries: 0 })).rejects.toMatchObject({ code: 'tls', message: expect.stringMatching(/CA bundle/) });
  });

  it('trusts an instance CA bundle in addition to the system CAs', async () => {
    const http = createHttpClient({ extraCa: fake.tls?.caPem ?? '', env: {} });
    expect((await http({ method: 'GET', url: `${fake.url}/artifactory/api/system/ping` })).text()).toBe('OK');
  });

  it('tunnels HTTPS through HTTPS_PROXY and still verifies the instance certificate', async () => {
    const trusted = createHttpClient({ extraCa: fake.tls?.caPem ?? '', env: { HTTPS_PROXY: proxy.url } });
    expect((await trusted({ method: 'GET', url: `${fake.url}/artifactory/api/system/ping` })).text()).toBe('OK');
    expect(proxy.tunnels).toContain(`127.0.0.1:${fake.port}`);
    const untrusted = createHttpClient({ env: { https_proxy: proxy.url } });
    await expect(untrusted({ method: 'GET', url: `${fake.url}/artifactory/api/system/ping`, retries: 0 })).rejects.toMatchObject({ code: 'tls' });
  });

  it('honours NO_PROXY', () => {
    const target = new URL('https://arti.corp.example:8443/artifactory/');
    expect(proxyFor(target, { HTTPS_PROXY: 'http://proxy:3128' })?.host).toBe('proxy:3128');
    expect(proxyFor(target, { HTTPS_PROXY: 'proxy:3128', NO_PROXY: 'localhost,.corp.example' })).toBeUndefined();
    expect(proxyFor(target, { HTTPS_PROXY: 'proxy:3128', no_proxy: 'arti.corp.example:8443' })).toBeUndefined();
    expect(proxyFor(target, { HTTPS_PROXY: 'proxy:3128', NO_PROXY: 'arti.corp.example:443' })?.host).toBe('proxy:3128');
    expect(proxyFor(target, { HTTPS_PROXY: 'proxy:3128', NO_PROXY: '*' })).toBeUndefined();
    expect(proxyFor(new URL('http://x.example/'), { HTTPS_PROXY: 'proxy:3128' })).toBeUndefined();
  });
});

describe('core HTTP client through a plain HTTP proxy', () => {
  it('sends absolute-URI requests to HTTP_PROXY', async () => {
    const fake = await startFakeArtifactory();
    const proxy = await startTestProxy();
    try {
      const http = createHttpClient({ env: { HTTP_PROXY: proxy.url } });
      expect((await http({ method: 'GET', url: `${fake.url}/artifactory/api/system/ping` })).text()).toBe('OK');
      expect(proxy.forwarded).toEqual([`${fake.url}/artifactory/api/system/ping`]);
    } finally {
      await fake.stop();
      await proxy.stop();
    }
  });
});
