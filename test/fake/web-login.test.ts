import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import type { FakeArtifactory } from '../fake-artifactory/server.js';
import {
  accessError,
  bearer,
  decodeJwt,
  get,
  json,
  postForm,
  postTokens,
  reset,
  startFrozen,
  REFRESHABLE_RESPONSE_KEYS,
} from './helpers.js';

const BASE = '/access/api/v2/authentication/jfrog_client_login';

/** The browser-login flow of API notes §5, including the fake's own login page. */
describe('fake Artifactory: browser login', () => {
  let fake: FakeArtifactory;
  beforeAll(async () => {
    fake = await startFrozen();
  });
  afterAll(() => fake.stop());
  afterEach(() => reset(fake));

  const request = (body: unknown, contentType = 'application/json'): Promise<Response> =>
    fetch(`${fake.url}${BASE}/request`, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: JSON.stringify(body),
    });
  const start = async (): Promise<string> => {
    const session = randomUUID();
    const res = await request({ session });
    expect(res.status).toBe(200);
    return session;
  };
  const poll = (session: string): Promise<Response> => get(fake, `${BASE}/token/${session}`);

  describe('request', () => {
    it('registers a UUID v4 session with 200 and an empty body, without auth', async () => {
      const session = randomUUID();
      const res = await request({ session });
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('');
      expect(fake.pendingLogins()).toContain(session);
    });

    it('refuses anything but a lower-case UUID v4 with 400 BAD_REQUEST', async () => {
      for (const session of [
        'not-a-uuid',
        randomUUID().toUpperCase(),
        '6ba7b810-9dad-11d1-80b4-00c04fd430c8',
        '',
        42,
      ]) {
        const res = await request({ session });
        expect(res.status, String(session)).toBe(400);
        expect(await json(res)).toEqual(
          accessError('BAD_REQUEST', 'session must be a lower-case UUID v4'),
        );
      }
      expect((await request({})).status).toBe(400);
    });

    it('answers 404, as for any unknown path, on a server older than 7.64.0', async () => {
      fake.config.artifactoryVersion = '7.63.2';
      const res = await request({ session: randomUUID() });
      expect(res.status).toBe(404);
      expect(await json(res)).toEqual(accessError('NOT_FOUND', 'HTTP 404 Not Found'));
      expect((await poll(randomUUID())).status).toBe(404);
    });
  });

  describe('poll', () => {
    it('is 400 while pending, 200 with the tokens once approved, then neither 200 nor 400', async () => {
      const session = await start();
      for (let i = 0; i < 2; i++) {
        const pending = await poll(session);
        expect(pending.status).toBe(400);
        expect(((await json(pending))['errors'] as { code: string }[])[0]?.code).toBe(
          'BAD_REQUEST',
        );
      }
      fake.approveLogin(session, 'alice');
      const done = await poll(session);
      expect(done.status).toBe(200);
      const body = await json(done);
      expect(Object.keys(body).sort()).toEqual(REFRESHABLE_RESPONSE_KEYS);
      expect(body).toMatchObject({
        token_type: 'Bearer',
        scope: 'applied-permissions/user',
        expires_in: 31_536_000,
      });
      const token = String(body['access_token']);
      expect(decodeJwt(token).payload).toMatchObject({
        sub: `${fake.accessServiceId}/users/alice`,
        jti: body['token_id'],
      });
      expect((await get(fake, '/access/api/v1/tokens/me', bearer(token))).status).toBe(200);
      // The refresh token works like any other.
      expect(
        (
          await postTokens(fake, bearer(token), {
            grant_type: 'refresh_token',
            refresh_token: body['refresh_token'],
          })
        ).status,
      ).toBe(200);
      const again = await poll(session);
      expect(again.status).not.toBe(200);
      expect(again.status).not.toBe(400);
      expect(again.status).toBe(404);
    });

    it('approveBrowserLoginsAs (a test hook for the person) approves each session as it is registered, until null', async () => {
      fake.approveBrowserLoginsAs('bob');
      try {
        const session = await start();
        expect(fake.pendingLogins()).not.toContain(session);
        const first = await poll(session);
        expect(first.status).toBe(200);
        expect(decodeJwt(String((await json(first))['access_token'])).payload['sub']).toBe(
          `${fake.accessServiceId}/users/bob`,
        );
        expect(() => fake.approveBrowserLoginsAs('nobody')).toThrow(/no such user/);
      } finally {
        fake.approveBrowserLoginsAs(null);
      }
      expect((await poll(await start())).status).toBe(400);
    });

    it('answers an unknown session with 404, not the pending 400', async () => {
      expect((await poll(randomUUID())).status).toBe(404);
    });

    it('drops sessions after webLoginSessionSeconds', async () => {
      fake.config.webLoginSessionSeconds = 300;
      const session = await start();
      fake.clock.advance(300);
      expect((await poll(session)).status).toBe(400);
      fake.clock.advance(1);
      expect((await poll(session)).status).toBe(404);
      expect(() => fake.approveLogin(session, 'alice')).toThrow(/no pending/);
      expect(fake.pendingLogins()).not.toContain(session);
    });

    it('leaves refresh_token out when refreshable tokens are disabled', async () => {
      fake.config.allowRefreshable = false;
      const session = await start();
      fake.approveLogin(session, 'bob');
      const body = await json(await poll(session));
      expect(body).not.toHaveProperty('refresh_token');
      expect(decodeJwt(String(body['access_token'])).payload['sub']).toBe(
        `${fake.accessServiceId}/users/bob`,
      );
    });
  });

  describe('the login page', () => {
    it('shows a form for the session with the client name', async () => {
      const session = await start();
      const res = await get(
        fake,
        `/ui/login?jfClientSession=${session}&jfClientName=Artikey&jfClientCode=1`,
      );
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await res.text();
      expect(html).toContain('<form method="post" action="/ui/login">');
      expect(html).toContain(`name="session" value="${session}"`);
      for (const field of ['username', 'password', 'code'])
        expect(html).toContain(`name="${field}"`);
      expect(html).toContain('Artikey');
    });

    it('approves with username, password and the code (last 4 characters); wrong ones get 400 and stay pending', async () => {
      const session = await start();
      await get(fake, `/ui/login?jfClientSession=${session}&jfClientName=Artikey&jfClientCode=1`);
      const submit = (fields: Record<string, string>): Promise<Response> =>
        postForm(fake, '/ui/login', undefined, { session, ...fields });
      const code = session.slice(-4);
      for (const wrong of [
        { username: 'alice', password: 'wrong', code },
        { username: 'alice', password: DEMO_USER.password, code: 'zzzz' },
        { username: 'nobody', password: DEMO_USER.password, code },
      ]) {
        const res = await submit(wrong);
        expect(res.status).toBe(400);
        expect(await res.text()).toContain('role="alert"');
        expect((await poll(session)).status).toBe(400);
      }
      const ok = await submit({ username: DEMO_USER.name, password: DEMO_USER.password, code });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain('Return to Artikey');
      const done = await poll(session);
      expect(done.status).toBe(200);
      expect(decodeJwt(String((await json(done))['access_token'])).payload['sub']).toBe(
        `${fake.accessServiceId}/users/alice`,
      );
      // Used sessions cannot be approved twice.
      expect(
        (await submit({ username: DEMO_USER.name, password: DEMO_USER.password, code })).status,
      ).toBe(400);
    });
  });
});
