import { get } from 'node:https';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../fake-artifactory/clock.js';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { formatRecord } from '../fake-artifactory/recorder.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';

const PING = '/artifactory/api/system/ping';

describe('fake Artifactory: fault injection', () => {
  let fake: FakeArtifactory;
  beforeAll(async () => {
    fake = await startFakeArtifactory();
  });
  afterAll(() => fake.stop());
  afterEach(() => fake.faults.clear());

  it('answers a status a given number of times, then normally', async () => {
    fake.faults.add({ path: PING, times: 2, action: { kind: 'status', status: 503, body: 'busy' } });
    expect((await fetch(`${fake.url}${PING}`)).status).toBe(503);
    expect((await fetch(`${fake.url}${PING}`)).status).toBe(503);
    expect((await fetch(`${fake.url}${PING}`)).status).toBe(200);
  });

  it('delays, resets, hangs', async () => {
    fake.faults.add({ path: PING, times: 1, action: { kind: 'delay', ms: 150 } });
    const started = performance.now();
    expect((await fetch(`${fake.url}${PING}`)).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    fake.faults.add({ path: PING, times: 1, action: { kind: 'reset' } });
    await expect(fetch(`${fake.url}${PING}`)).rejects.toThrow();
    fake.faults.add({ path: PING, times: 1, action: { kind: 'hang' } });
    await expect(fetch(`${fake.url}${PING}`, { signal: AbortSignal.timeout(200) })).rejects.toThrow();
  });

  it('serves an SSO page with 200, a proxy error page, and cross-origin redirects', async () => {
    fake.faults.add({ path: PING, times: 1, action: { kind: 'html-login' } });
    const sso = await fetch(`${fake.url}${PING}`);
    expect(sso.status).toBe(200);
    expect(sso.headers.get('content-type')).toMatch(/text\/html/);
    fake.faults.add({ path: PING, times: 1, action: { kind: 'proxy-error' } });
    const proxy = await fetch(`${fake.url}${PING}`);
    expect(proxy.status).toBe(502);
    expect(await proxy.text()).toMatch(/502 Bad Gateway/);
    fake.faults.add({ path: '/artifactory/*', times: 1, action: { kind: 'redirect' } });
    const moved = await fetch(`${fake.url}${PING}?x=1`, { redirect: 'manual' });
    expect(moved.status).toBe(302);
    expect(moved.headers.get('location')).toBe(`http://localhost:${fake.port}${PING}?x=1`);
  });

  it('streams an oversized body and survives the client hanging up', async () => {
    fake.faults.add({ path: PING, times: 1, action: { kind: 'oversized', bytes: 32 * 1024 * 1024 } });
    const response = await fetch(`${fake.url}${PING}`);
    const reader = response.body?.getReader();
    let received = 0;
    while (received < 1024 * 1024) received += (await reader?.read())?.value?.length ?? 0;
    await reader?.cancel();
    expect(received).toBeGreaterThanOrEqual(1024 * 1024);
    expect((await fetch(`${fake.url}${PING}`)).status).toBe(200);
  });

  it('removes one fault by id', async () => {
    const id = fake.faults.add({ path: /ping$/, action: { kind: 'status', status: 500 } });
    expect((await fetch(`${fake.url}${PING}`)).status).toBe(500);
    fake.faults.remove(id);
    expect((await fetch(`${fake.url}${PING}`)).status).toBe(200);
  });
});

describe('fake Artifactory: request log', () => {
  it('records who called with what, and never the secret itself', async () => {
    const lines: string[] = [];
    const fake = await startFakeArtifactory({ clock: new FakeClock({ frozen: true }), log: (line) => lines.push(line) });
    try {
      const canary = fake.issueToken({ username: 'alice', expiresIn: 86_400 });
      await fetch(`${fake.url}/artifactory/api/system/version?token=canary-query-secret`, { headers: { authorization: `Bearer ${canary.jwt}`, 'user-agent': 'artikey-test' } });
      await fetch(`${fake.url}/artifactory/api/system/version`, { headers: { authorization: `Basic ${Buffer.from(`alice:${DEMO_USER.password}`).toString('base64')}` } });
      await fetch(`${fake.url}/artifactory/api/system/version`, { headers: { authorization: 'Basic YWxpY2U6Y2FuYXJ5LXdyb25n' } });
      const [first, second, third] = fake.requests.list({ path: '/artifactory/api/system/version' });
      expect(first).toMatchObject({ method: 'GET', scheme: 'Bearer', credential: 'access-token', user: 'alice', tokenId: canary.id, secret: fake.fingerprint(canary.jwt), status: 200, userAgent: 'artikey-test' });
      expect(second).toMatchObject({ scheme: 'Basic', credential: 'password', user: 'alice', status: 200 });
      expect(third).toMatchObject({ scheme: 'Basic', credential: 'invalid', status: 401 });
      await new Promise((resolve) => setTimeout(resolve, 20));
      const everything = `${lines.join('\n')}\n${JSON.stringify(fake.requests.list())}\n${fake.requests.list().map(formatRecord).join('\n')}`;
      for (const secret of [canary.jwt, DEMO_USER.password, 'canary-query-secret', 'canary-wrong']) expect(everything).not.toContain(secret);
      expect(lines.some((line) => line.includes('?token=***'))).toBe(true);
    } finally {
      await fake.stop();
    }
  });
});

describe('fake Artifactory over TLS', () => {
  it('serves HTTPS that verifies only with its private CA', async () => {
    const fake = await startFakeArtifactory({ tls: true });
    try {
      const status = (ca?: string): Promise<number | string> =>
        new Promise((resolve) => {
          get(`${fake.url}${PING}`, ca ? { ca } : {}, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          }).on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
        });
      expect(await status(fake.tls?.caPem)).toBe(200);
      expect(await status()).toMatch(/CERT|SELF_SIGNED|UNABLE/);
    } finally {
      await fake.stop();
    }
  });
});
