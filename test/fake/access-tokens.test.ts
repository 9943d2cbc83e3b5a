import { generateKeyPairSync } from 'node:crypto';
import { compactVerify, importX509 } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../fake-artifactory/clock.js';
import { defaultConfig } from '../fake-artifactory/config.js';
import { ADMIN_USER, DEMO_USER } from '../fake-artifactory/directory.js';
import { signJwt } from '../fake-artifactory/jwt.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';

const basic = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const ALICE = basic(DEMO_USER.name, DEMO_USER.password);
const ADMIN = basic(ADMIN_USER.name, ADMIN_USER.password);
const NOW = Date.UTC(2026, 10, 22, 12);

describe('fake Artifactory: Access tokens', () => {
  let fake: FakeArtifactory;
  beforeAll(async () => {
    fake = await startFakeArtifactory({ clock: new FakeClock({ start: NOW, frozen: true }) });
  });
  afterAll(() => fake.stop());
  afterEach(() => {
    Object.assign(fake.config, defaultConfig());
    fake.clock.set(NOW);
  });

  const tokens = (authorization: string | undefined, body: Record<string, unknown>, form = false): Promise<Response> =>
    fetch(`${fake.url}/access/api/v1/tokens`, {
      method: 'POST',
      headers: {
        ...(authorization ? { authorization } : {}),
        'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json',
      },
      body: form ? new URLSearchParams(Object.entries(body).map(([k, v]): [string, string] => [k, String(v)])).toString() : JSON.stringify(body),
    });
  const payload = (jwt: string): Record<string, unknown> => JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;

  it('creates tokens from form and JSON bodies with the documented response fields', async () => {
    for (const form of [false, true]) {
      const res = await tokens(ALICE, { refreshable: true, expires_in: 43_200, description: 'cli' }, form);
      expect(res.status).toBe(200);
      const body = (await res.json()) as Record<string, unknown>;
      expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'refresh_token', 'scope', 'token_id', 'token_type']);
      expect(body).toMatchObject({ expires_in: 43_200, scope: 'applied-permissions/user', token_type: 'Bearer' });
    }
  });

  it('defaults to a one-year non-refreshable token; 0 means no exp claim', async () => {
    const body = (await (await tokens(ALICE, {})).json()) as Record<string, unknown>;
    expect(body['expires_in']).toBe(31_536_000);
    expect(body['refresh_token']).toBeUndefined();
    const forever = (await (await tokens(ALICE, { expires_in: 0 })).json()) as { access_token: string };
    expect(payload(forever.access_token)['exp']).toBeUndefined();
  });

  it('lays out the JWT as JFrog does and signs it with the served root certificate', async () => {
    const body = (await (await tokens(ALICE, { audience: 'jfrt@* jfac@*', expires_in: 86_400 })).json()) as { access_token: string; token_id: string };
    expect(body.access_token.startsWith('eyJ2ZXIiOiIyIiwidHlwIjoiSldUIiwiYWxnIjoiUlMyNTYiLCJraWQiOi')).toBe(true);
    const raw = Buffer.from(body.access_token.split('.')[1] ?? '', 'base64url').toString();
    expect(raw).toContain('\\/users\\/alice');
    expect(payload(body.access_token)).toEqual({
      ext: '{"revocable":"true"}',
      sub: `${fake.accessServiceId}/users/alice`,
      scp: 'applied-permissions/user',
      aud: ['jfrt@*', 'jfac@*'],
      iss: fake.accessServiceId,
      exp: NOW / 1000 + 86_400,
      iat: NOW / 1000,
      jti: body.token_id,
    });
    const admin = fake.issueToken({ username: 'admin', scope: 'applied-permissions/admin', expiresIn: 3600 }).jwt;
    const der = await (await fetch(`${fake.url}/access/api/v1/cert/root`, { headers: { authorization: `Bearer ${admin}` } })).text();
    const key = await importX509(`-----BEGIN CERTIFICATE-----\n${der.match(/.{1,64}/g)?.join('\n') ?? ''}\n-----END CERTIFICATE-----`, 'RS256');
    await expect(compactVerify(body.access_token, key)).resolves.toBeTruthy();
  });

  it('validates input with the Access error shape', async () => {
    for (const expires of [-1, 'soon']) {
      const res = await tokens(ALICE, { expires_in: expires });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ errors: [{ code: 'BAD_REQUEST', message: 'expires_in must be a non-negative integer' }] });
    }
    const res = await fetch(`${fake.url}/access/api/v1/tokens`, { method: 'POST', headers: { authorization: ALICE, 'content-type': 'text/plain' }, body: 'x' });
    expect(res.status).toBe(415);
    expect((await tokens(undefined, {})).status).toBe(401);
  });

  it('enforces who may ask for what', async () => {
    expect((await tokens(ALICE, { username: 'bob' })).status).toBe(403);
    expect((await tokens(ADMIN, { username: 'bob' })).status).toBe(200);
    expect((await tokens(ALICE, { scope: 'applied-permissions/admin' })).status).toBe(403);
    expect((await tokens(ALICE, { scope: 'applied-permissions/groups:readers' })).status).toBe(200);
    fake.config.maxExpirySeconds = 86_400;
    expect((await tokens(ALICE, { expires_in: 0 })).status).toBe(403);
    expect((await tokens(ALICE, { expires_in: 172_800 })).status).toBe(403);
    fake.config.allowRefreshable = false;
    expect((await tokens(ALICE, { refreshable: true, expires_in: 3600 })).status).toBe(403);
    fake.config.allowBasicAuthTokenCreation = false;
    expect((await tokens(ALICE, { expires_in: 3600 })).status).toBe(401);
  });

  it('issues reference tokens usable as Bearer and as Basic password', async () => {
    const body = (await (await tokens(ALICE, { include_reference_token: true, expires_in: 86_400 })).json()) as { reference_token: string };
    expect(body.reference_token).toMatch(/^cmVmd[A-Za-z0-9]{59}$/);
    for (const authorization of [`Bearer ${body.reference_token}`, basic('alice', body.reference_token)]) {
      expect((await fetch(`${fake.url}/artifactory/api/system/version`, { headers: { authorization } })).status).toBe(200);
    }
  });

  it('rotates refresh tokens once, and answers a spent one with 404 NOT_FOUND', async () => {
    const first = (await (await tokens(ALICE, { refreshable: true, expires_in: 43_200 })).json()) as { access_token: string; refresh_token: string };
    const refresh = (token: string | undefined, rt: string, form = false): Promise<Response> => tokens(token ? `Bearer ${token}` : undefined, { grant_type: 'refresh_token', refresh_token: rt }, form);
    const second = (await (await refresh(first.access_token, first.refresh_token)).json()) as { access_token: string; refresh_token: string };
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.access_token).not.toBe(first.access_token);
    const spent = await refresh(undefined, first.refresh_token, true);
    expect(spent.status).toBe(404);
    expect(await spent.json()).toEqual({ errors: [{ code: 'NOT_FOUND', message: 'Token matching the provided refresh token was not found.' }] });
    // The replaced (revocable) access token is revoked: both error shapes say so.
    const access = await fetch(`${fake.url}/access/api/v1/tokens/me`, { headers: { authorization: `Bearer ${first.access_token}` } });
    expect(await access.json()).toEqual({ errors: [{ code: 'UNAUTHORIZED', message: 'Invalid token, revoked' }] });
    const art = await fetch(`${fake.url}/artifactory/api/system/version`, { headers: { authorization: `Bearer ${first.access_token}` } });
    expect(await art.json()).toEqual({ errors: [{ status: 401, message: 'Token failed verification: revoked' }] });
    expect((await refresh(undefined, second.refresh_token, true)).status).toBe(200);
  });

  it('refreshes an expired token within the grace period only, and follows the expired-bearer knob', async () => {
    const grant = (await (await tokens(ALICE, { refreshable: true, expires_in: 43_200 })).json()) as { access_token: string; refresh_token: string };
    fake.clock.advance(43_200 + 3600);
    fake.config.acceptExpiredBearerOnRefresh = false;
    expect((await tokens(`Bearer ${grant.access_token}`, { grant_type: 'refresh_token', refresh_token: grant.refresh_token })).status).toBe(401);
    fake.config.acceptExpiredBearerOnRefresh = true;
    expect((await tokens(`Bearer ${grant.access_token}`, { grant_type: 'refresh_token', refresh_token: grant.refresh_token })).status).toBe(200);
    const late = (await (await tokens(ALICE, { refreshable: true, expires_in: 43_200 })).json()) as { refresh_token: string };
    fake.clock.advance(43_200 + 86_400 + 1);
    expect((await tokens(undefined, { grant_type: 'refresh_token', refresh_token: late.refresh_token })).status).toBe(404);
  });

  it('applies the revocable and persistency thresholds', async () => {
    const short = (await (await tokens(ALICE, { expires_in: 3600 })).json()) as { token_id: string; access_token: string };
    const mid = (await (await tokens(ALICE, { expires_in: 4 * 3600 })).json()) as { token_id: string };
    const forced = (await (await tokens(ALICE, { expires_in: 3600, force_revocable: true })).json()) as { token_id: string };
    const get = (id: string): Promise<Response> => fetch(`${fake.url}/access/api/v1/tokens/${id}`, { headers: { authorization: ALICE } });
    expect((await get(short.token_id)).status).toBe(404);
    expect((await get(mid.token_id)).status).toBe(200);
    const del = (id: string): Promise<Response> => fetch(`${fake.url}/access/api/v1/tokens/${id}`, { method: 'DELETE', headers: { authorization: ALICE } });
    const notRevocable = await del(mid.token_id);
    expect(notRevocable.status).toBe(400);
    expect(await notRevocable.json()).toEqual({ errors: [{ code: 'BAD_REQUEST', message: 'Token not revocable' }] });
    expect((await del(forced.token_id)).status).toBe(200);
    expect((await del(forced.token_id)).status).toBe(204);
    expect((await del('no-such-id')).status).toBe(204);
  });

  it('lists with filters, shows users only their own tokens, and revokes by value for admins', async () => {
    const bob = fake.issueToken({ username: 'bob', expiresIn: 86_400, description: 'bob-ci' });
    const mine = (await (await tokens(ALICE, { expires_in: 86_400, description: 'laptop-1' })).json()) as { token_id: string; access_token: string };
    const list = async (query: string, authorization: string): Promise<string[]> =>
      ((await (await fetch(`${fake.url}/access/api/v1/tokens${query}`, { headers: { authorization } })).json()) as { tokens: { token_id: string }[] }).tokens.map((t) => t.token_id);
    expect(await list('?description=laptop*', ALICE)).toEqual([mine.token_id]);
    expect(await list('', ALICE)).not.toContain(bob.id);
    expect(await list('?username=bob', ADMIN)).toContain(bob.id);
    expect((await fetch(`${fake.url}/access/api/v1/tokens?order_by=nonsense`, { headers: { authorization: ALICE } })).status).toBe(400);
    const info = (await (await fetch(`${fake.url}/access/api/v1/tokens/me`, { headers: { authorization: `Bearer ${mine.access_token}` } })).json()) as Record<string, unknown>;
    expect(Object.keys(info).sort()).toEqual(['description', 'expiry', 'issued_at', 'issuer', 'last_used', 'refreshable', 'subject', 'token_id']);
    const byValue = (authorization: string): Promise<Response> =>
      fetch(`${fake.url}/access/api/v1/tokens/revoke`, { method: 'DELETE', headers: { authorization, 'content-type': 'application/json' }, body: JSON.stringify({ token: bob.jwt }) });
    expect((await byValue(ALICE)).status).toBe(403);
    const revoked = await byValue(ADMIN);
    expect(await revoked.json()).toEqual({ 'revoked-token-id': bob.id });
  });

  it('treats expired, malformed and foreign tokens as the server does', async () => {
    const expired = fake.issueToken({ username: 'alice', expiresIn: 60 }).jwt;
    fake.clock.advance(120);
    const me = (authorization: string): Promise<Response> => fetch(`${fake.url}/access/api/v1/tokens/me`, { headers: { authorization } });
    expect(await (await me(`Bearer ${expired}`)).json()).toEqual({ errors: [{ code: 'UNAUTHORIZED', message: 'Invalid token, expired' }] });
    const art = await fetch(`${fake.url}/artifactory/api/security/apiKey`, { headers: { authorization: `Bearer ${expired}` } });
    expect(art.headers.get('content-type')).toBe('application/json;charset=ISO-8859-1');
    expect(await art.json()).toEqual({ errors: [{ status: 401, message: 'Token failed verification: expired' }] });
    expect(await (await me('Bearer not-a-jwt')).json()).toEqual({ errors: [{ code: 'UNAUTHORIZED', message: 'Invalid token, malformed' }] });
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const foreign = signJwt({ sub: `${fake.accessServiceId}/users/alice`, scp: 'applied-permissions/user', aud: '*@*', iss: fake.accessServiceId, iat: 1, jti: 'x' }, privateKey, 'kid');
    expect(await (await me(`Bearer ${foreign}`)).json()).toEqual({ errors: [{ code: 'UNAUTHORIZED', message: 'Bad credentials' }] });
  });
});
