import { request } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FakeArtifactory } from '../fake-artifactory/server.js';
import type { RequestRecord } from '../fake-artifactory/recorder.js';
import { ALICE, get, reset, settled, startFrozen, waitFor } from './helpers.js';

const PING = '/artifactory/api/system/ping';
const VERSION = '/artifactory/api/system/version';

/** Fault injection: the network and proxy troubles a client must survive. */
describe('fake Artifactory: faults', () => {
  let fake: FakeArtifactory;
  beforeAll(async () => {
    fake = await startFrozen();
  });
  afterAll(() => fake.stop());
  afterEach(() => reset(fake));

  const ping = (init: RequestInit = {}): Promise<Response> => fetch(`${fake.url}${PING}`, init);
  const healthy = async (): Promise<void> => {
    const res = await ping();
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('OK');
  };

  it('status: 503 once, then normal', async () => {
    fake.faults.add({
      path: PING,
      times: 1,
      action: {
        kind: 'status',
        status: 503,
        body: 'Service Unavailable',
        headers: { 'Retry-After': '1' },
      },
    });
    const res = await ping();
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(res.headers.get('content-type')).toBe('text/plain');
    expect(await res.text()).toBe('Service Unavailable');
    await healthy();
  });

  it('counts `times` and then steps aside; unlimited without it until removed', async () => {
    fake.faults.add({ path: PING, times: 3, action: { kind: 'status', status: 500 } });
    for (let i = 0; i < 3; i++) expect((await ping()).status).toBe(500);
    await healthy();
    const id = fake.faults.add({ path: PING, action: { kind: 'status', status: 429 } });
    for (let i = 0; i < 5; i++) expect((await ping()).status).toBe(429);
    fake.faults.remove(id);
    await healthy();
    fake.faults.remove(id);
  });

  it('matches by method, exact path, prefix* and RegExp; first added wins; clear() removes all', async () => {
    fake.faults.add({ method: 'POST', path: PING, action: { kind: 'status', status: 500 } });
    await healthy();
    fake.faults.add({ path: '/artifactory/api/system/*', action: { kind: 'status', status: 502 } });
    fake.faults.add({ path: /version$/, action: { kind: 'status', status: 504 } });
    expect((await ping()).status).toBe(502);
    expect((await get(fake, VERSION)).status).toBe(502);
    expect((await get(fake, '/access/api/v1/system/ping')).status).toBe(200);
    fake.faults.clear();
    await healthy();
    fake.faults.add({ path: /version$/, action: { kind: 'status', status: 504 } });
    expect((await get(fake, VERSION)).status).toBe(504);
    await healthy();
  });

  it('delay: answers normally after at least the given time', async () => {
    fake.requests.clear();
    fake.faults.add({ path: PING, times: 1, action: { kind: 'delay', ms: 200 } });
    const started = performance.now();
    await healthy();
    expect(performance.now() - started).toBeGreaterThanOrEqual(195);
    await healthy();
    await settled(fake);
    expect(fake.requests.list({ path: PING }).map((r) => r.fault)).toEqual(['delay', null]);
  });

  it('reset: the connection drops and fetch rejects', async () => {
    fake.faults.add({ path: PING, times: 1, action: { kind: 'reset' } });
    await expect(ping()).rejects.toThrow(/fetch failed/);
    await healthy();
  });

  it('hang: no answer until the client’s own timeout aborts', async () => {
    fake.faults.add({ path: PING, times: 1, action: { kind: 'hang' } });
    const started = performance.now();
    const error = await ping({ signal: AbortSignal.timeout(150) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe('TimeoutError');
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    await healthy();
  });

  it('html-login: an SSO page with status 200 in place of JSON', async () => {
    fake.faults.add({ path: VERSION, times: 1, action: { kind: 'html-login' } });
    const res = await get(fake, VERSION, ALICE);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('<form');
  });

  it('proxy-error: a 502 nginx HTML page', async () => {
    fake.faults.add({ path: PING, times: 1, action: { kind: 'proxy-error' } });
    const res = await ping();
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toBe('text/html');
    expect(res.headers.get('server')).toBe('nginx');
    expect(await res.text()).toContain('<title>502 Bad Gateway</title>');
  });

  it('redirect: to http://localhost:<port> by default, keeping path and query; or where told', async () => {
    fake.faults.add({ path: PING, times: 1, action: { kind: 'redirect' } });
    const moved = await ping({ redirect: 'manual' });
    expect(moved.status).toBe(302);
    expect(moved.headers.get('location')).toBe(`http://localhost:${fake.port}${PING}`);
    fake.faults.add({
      path: '/access/*',
      times: 1,
      action: { kind: 'redirect', to: 'https://sso.example.invalid/', status: 307 },
    });
    const elsewhere = await get(fake, '/access/api/v1/tokens?x=1&y=2', undefined, {
      redirect: 'manual',
    });
    expect(elsewhere.status).toBe(307);
    expect(elsewhere.headers.get('location')).toBe(
      'https://sso.example.invalid/access/api/v1/tokens?x=1&y=2',
    );
    // Followed, the default one lands on this same server under another name.
    fake.faults.add({ path: PING, times: 1, action: { kind: 'redirect' } });
    const followed = await ping();
    expect(followed.status).toBe(200);
    expect(followed.url).toBe(`http://localhost:${fake.port}${PING}`);
  });

  it('echo: a 502 text page quoting the body, request line and headers back', async () => {
    fake.faults.add({
      method: 'POST',
      path: '/access/api/v1/tokens',
      times: 1,
      action: { kind: 'echo' },
    });
    const res = await fetch(`${fake.url}/access/api/v1/tokens?x=1`, {
      method: 'POST',
      headers: { Authorization: 'Bearer echo-me', 'Content-Type': 'application/json' },
      body: '{"refresh_token":"echo-me-too"}',
    });
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toBe('text/plain');
    const text = await res.text();
    expect(text).toMatch(
      /^\{"refresh_token":"echo-me-too"\}\n\nPOST \/access\/api\/v1\/tokens\?x=1\n/,
    );
    expect(text).toContain('\nauthorization: Bearer echo-me');
    fake.faults.add({
      path: PING,
      times: 1,
      action: { kind: 'echo', status: 500, contentType: 'text/html' },
    });
    const page = await ping();
    expect([page.status, page.headers.get('content-type')]).toEqual([500, 'text/html']);
    await healthy();
  });

  it('oversized: streams at least the given bytes while read, stops when the client hangs up, survives', async () => {
    const limit = 2 * 1024 * 1024;
    fake.faults.add({
      path: PING,
      times: 1,
      action: { kind: 'oversized', bytes: 256 * 1024 * 1024 },
    });
    const res = await ping();
    expect(res.status).toBe(200);
    const reader = res.body?.getReader();
    if (!reader) throw new Error('no body');
    let received = 0;
    while (received < limit) {
      const { value, done } = await reader.read();
      if (done) break;
      received += value.length;
    }
    await reader.cancel();
    expect(received).toBeGreaterThanOrEqual(limit);
    await healthy();
    const oversized = (): RequestRecord | undefined =>
      fake.requests.list({ path: PING }).find((r) => r.fault?.startsWith('oversized:'));
    await waitFor(() => oversized() !== undefined);
    const record = oversized();
    const sent = Number(record?.fault?.split(':')[1]);
    expect(sent).toBeGreaterThanOrEqual(limit);
    expect(sent).toBeLessThan(256 * 1024 * 1024);
  });

  it('oversized: sends all of a small size in full, as valid JSON', async () => {
    fake.faults.add({ path: VERSION, times: 1, action: { kind: 'oversized', bytes: 200 * 1024 } });
    const res = await get(fake, VERSION);
    const text = await res.text();
    expect(text.length).toBeGreaterThanOrEqual(200 * 1024);
    expect(Object.keys(JSON.parse(text) as object)).toEqual(['padding']);
  });

  it('records which fault took a request', async () => {
    fake.requests.clear();
    fake.faults.add({ path: PING, times: 1, action: { kind: 'status', status: 503 } });
    await ping();
    await ping();
    await settled(fake);
    expect(fake.requests.list({ path: PING }).map((r) => [r.status, r.fault])).toEqual([
      [503, 'status'],
      [200, null],
    ]);
  });

  it('a raw HTTP/1.1 client sees the reset as a socket error (ECONNRESET)', async () => {
    fake.faults.add({ path: PING, times: 1, action: { kind: 'reset' } });
    const code = await new Promise<string | undefined>((resolve) => {
      request(`${fake.url}${PING}`, (res) => {
        res.resume();
        resolve(`status ${res.statusCode}`);
      })
        .on('error', (error: NodeJS.ErrnoException) => resolve(error.code))
        .end();
    });
    expect(code).toMatch(/ECONNRESET|EPIPE|socket hang up/);
  });
});
