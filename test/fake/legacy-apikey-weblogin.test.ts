import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../fake-artifactory/clock.js';
import { ADMIN_USER, DEMO_USER } from '../fake-artifactory/directory.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';

const basic = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const ALICE = basic(DEMO_USER.name, DEMO_USER.password);
const ADMIN = basic(ADMIN_USER.name, ADMIN_USER.password);
const form = (fields: Record<string, string>): { headers: Record<string, string>; body: string } => ({
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});

describe('fake Artifactory: legacy token API, API keys, browser login', () => {
  let fake: FakeArtifactory;
  beforeAll(async () => {
    fake = await startFakeArtifactory({ clock: new FakeClock({ frozen: true }) });
  });
  afterAll(() => fake.stop());

  const legacy = `/artifactory/api/security/token`;
  const post = (path: string, authorization: string | undefined, fields: Record<string, string>): Promise<Response> => {
    const request = form(fields);
    return fetch(`${fake.url}${path}`, { method: 'POST', headers: { ...request.headers, ...(authorization ? { authorization } : {}) }, body: request.body });
  };

  it('legacy: form only, one-hour default, api:* added, no token_id, jfrt issuer', async () => {
    const json = await fetch(`${fake.url}${legacy}`, { method: 'POST', headers: { authorization: ALICE, 'content-type': 'application/json' }, body: '{}' });
    expect(json.status).toBe(415);
    const body = (await (await post(legacy, ALICE, { refreshable: 'true', scope: 'member-of-groups:readers' })).json()) as Record<string, string | number>;
    expect(body).toMatchObject({ expires_in: 3600, scope: 'member-of-groups:readers api:*', token_type: 'Bearer' });
    expect(body['token_id']).toBeUndefined();
    const claims = JSON.parse(Buffer.from(String(body['access_token']).split('.')[1] ?? '', 'base64url').toString()) as Record<string, string>;
    expect(claims['iss']).toBe(fake.artifactoryServiceId);
    expect(claims['aud']).toBe(fake.artifactoryServiceId);
    const bad = await post(legacy, ALICE, { expires_in: 'x' });
    expect(await bad.json()).toEqual({ error: 'invalid_request', error_description: 'expires_in must be a non-negative number' });

    const pair = { grant_type: 'refresh_token', refresh_token: String(body['refresh_token']), access_token: String(body['access_token']) };
    const rotated = (await (await post(legacy, undefined, pair)).json()) as Record<string, string>;
    expect(rotated['refresh_token']).not.toBe(pair.refresh_token);
    expect((await post(legacy, undefined, pair)).status).toBe(401);

    const kept = fake.issueToken({ kind: 'legacy', username: 'alice', expiresIn: 86_400 });
    const list = await fetch(`${fake.url}${legacy}`, { headers: { authorization: ADMIN } });
    // Hour-long tokens are below the persistency threshold: only the day-long one is listed.
    expect(((await list.json()) as { tokens: { token_id: string }[] }).tokens.map((t) => t.token_id)).toEqual([kept.id]);
    expect((await fetch(`${fake.url}${legacy}`, { headers: { authorization: ALICE } })).status).toBe(403);
  });

  it('legacy revoke answers in plain text', async () => {
    const token = fake.issueToken({ kind: 'legacy', username: 'alice', expiresIn: 86_400 });
    const revoked = await post(`${legacy}/revoke`, ALICE, { token: token.jwt });
    expect(revoked.headers.get('content-type')).toBe('text/plain');
    expect(await revoked.text()).toBe('Token revoked');
    expect(await (await post(`${legacy}/revoke`, ALICE, { token_id: token.id })).text()).toBe('Token not found');
  });

  it('API keys: create, read, authenticate with both headers, regenerate, revoke', async () => {
    const path = `${fake.url}/artifactory/api/security/apiKey`;
    expect(await (await fetch(path, { headers: { authorization: ALICE } })).json()).toEqual({});
    const created = await fetch(path, { method: 'POST', headers: { authorization: ALICE } });
    expect(created.status).toBe(201);
    const { apiKey } = (await created.json()) as { apiKey: string };
    expect(apiKey).toMatch(/^AKCp8[A-Za-z0-9]{68}$/);
    expect((await fetch(path, { method: 'POST', headers: { authorization: ALICE } })).status).toBe(400);
    for (const headers of [{ 'X-JFrog-Art-Api': apiKey }, { authorization: basic('alice', apiKey) }] as Record<string, string>[]) {
      const token = await fetch(`${fake.url}/access/api/v1/tokens`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: '{"expires_in":3600}' });
      expect(token.status).toBe(200);
    }
    const regenerated = (await (await fetch(path, { method: 'PUT', headers: { authorization: ALICE } })).json()) as { apiKey: string };
    expect(regenerated.apiKey).not.toBe(apiKey);
    expect((await fetch(path, { headers: { 'X-JFrog-Art-Api': apiKey } })).status).toBe(401);
    expect((await fetch(path, { method: 'DELETE', headers: { authorization: ALICE } })).status).toBe(200);
    expect((await fetch(path, { headers: { 'X-JFrog-Art-Api': regenerated.apiKey } })).status).toBe(401);
    const bobKey = fake.createApiKey('bob');
    expect((await fetch(`${path}/bob`, { method: 'DELETE', headers: { authorization: ADMIN } })).status).toBe(200);
    expect((await fetch(path, { headers: { 'X-JFrog-Art-Api': bobKey } })).status).toBe(401);
    fake.config.apiKeysEnabled = false;
    expect((await fetch(path, { method: 'POST', headers: { authorization: ALICE } })).status).toBe(400);
    fake.config.apiKeysEnabled = true;
  });

  it('browser login: pending 400, approved once 200, then gone; sessions expire', async () => {
    const base = `${fake.url}/access/api/v2/authentication/jfrog_client_login`;
    const start = (session: string): Promise<Response> => fetch(`${base}/request`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ session }) });
    expect((await start('not-a-uuid')).status).toBe(400);
    const session = randomUUID();
    const started = await start(session);
    expect(started.status).toBe(200);
    expect(await started.text()).toBe('');
    expect((await fetch(`${base}/token/${session}`)).status).toBe(400);
    fake.approveLogin(session, 'alice');
    const done = await fetch(`${base}/token/${session}`);
    expect(done.status).toBe(200);
    expect(Object.keys((await done.json()) as object).sort()).toEqual(['access_token', 'expires_in', 'refresh_token', 'scope', 'token_id', 'token_type']);
    expect((await fetch(`${base}/token/${session}`)).status).toBe(404);

    const stale = randomUUID();
    await start(stale);
    fake.clock.advance(fake.config.webLoginSessionSeconds + 1);
    expect((await fetch(`${base}/token/${stale}`)).status).toBe(404);

    fake.config.webLoginEnabled = false;
    expect((await start(randomUUID())).status).toBe(404);
    fake.config.webLoginEnabled = true;
  });

  it('browser login page: a person signs in with the code', async () => {
    const session = randomUUID();
    await fetch(`${fake.url}/access/api/v2/authentication/jfrog_client_login/request`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ session }) });
    const page = await fetch(`${fake.url}/ui/login?jfClientSession=${session}&jfClientName=Artikey&jfClientCode=1`);
    expect(await page.text()).toMatch(/Sign in to authorize Artikey/);
    const submit = (fields: Record<string, string>): Promise<Response> => post('/ui/login', undefined, { session, ...fields });
    expect((await submit({ username: 'alice', password: 'wrong', code: session.slice(-4) })).status).toBe(400);
    expect((await submit({ username: 'alice', password: DEMO_USER.password, code: 'zzzz' })).status).toBe(400);
    expect(fake.pendingLogins()).toContain(session);
    const ok = await submit({ username: 'alice', password: DEMO_USER.password, code: session.slice(-4) });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toMatch(/Return to Artikey/);
    expect(fake.pendingLogins()).not.toContain(session);
  });
});
