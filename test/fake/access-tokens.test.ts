import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FakeArtifactory } from '../fake-artifactory/server.js';
import {
  accessError,
  ADMIN,
  ALICE,
  basic,
  bearer,
  createToken,
  decodeJwt,
  get,
  json,
  NOW_S,
  postTokens,
  reset,
  startFrozen,
  REFRESHABLE_RESPONSE_KEYS,
  BASIC_TOKEN_CREATION,
} from './helpers.js';

/** POST /access/api/v1/tokens, parameter by parameter (API notes §1a, §8). */
describe('fake Artifactory: create token (Access API)', () => {
  let fake: FakeArtifactory;
  beforeAll(async () => {
    fake = await startFrozen({ config: BASIC_TOKEN_CREATION });
  });
  afterAll(() => fake.stop());
  afterEach(() => reset(fake, BASIC_TOKEN_CREATION));

  const info = async (tokenId: string): Promise<Record<string, unknown>> =>
    json(await get(fake, `/access/api/v1/tokens/${tokenId}`, ADMIN));

  describe('bodies and response', () => {
    for (const form of [false, true]) {
      it(`accepts a ${form ? 'form' : 'JSON'} body and answers exactly the documented fields`, async () => {
        const res = await postTokens(
          fake,
          ALICE,
          {
            grant_type: 'client_credentials',
            refreshable: true,
            expires_in: 43_200,
            description: 'cli',
          },
          form,
        );
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toBe('application/json');
        const body = await json(res);
        expect(Object.keys(body).sort()).toEqual(REFRESHABLE_RESPONSE_KEYS);
        expect(body).toMatchObject({
          expires_in: 43_200,
          scope: 'applied-permissions/user',
          token_type: 'Bearer',
        });
        expect(body['token_id']).toMatch(/^[0-9a-f-]{36}$/);
        expect(body['access_token']).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
        expect(body['refresh_token']).toEqual(expect.any(String));
        expect(body['refresh_token']).not.toBe(body['access_token']);
      });
    }

    it('has no refresh_token unless refreshable, in either body type', async () => {
      for (const [refreshable, form] of [
        [undefined, false],
        [false, false],
        ['false', true],
      ] as const) {
        const body = await createToken(
          fake,
          ALICE,
          refreshable === undefined ? {} : { refreshable },
          form,
        );
        expect(Object.keys(body).sort()).toEqual([
          'access_token',
          'expires_in',
          'scope',
          'token_id',
          'token_type',
        ]);
      }
    });

    it('refuses an unsupported content type with 415 and bad JSON with 400', async () => {
      const text = await fetch(`${fake.url}/access/api/v1/tokens`, {
        method: 'POST',
        headers: { authorization: ALICE, 'content-type': 'text/plain' },
        body: 'expires_in=60',
      });
      expect(text.status).toBe(415);
      expect(await json(text)).toEqual(
        accessError('UNSUPPORTED_MEDIA_TYPE', 'Unsupported Media Type: text/plain'),
      );
      const broken = await fetch(`${fake.url}/access/api/v1/tokens`, {
        method: 'POST',
        headers: { authorization: ALICE, 'content-type': 'application/json' },
        body: '{"expires_in":',
      });
      expect(broken.status).toBe(400);
      expect(((await json(broken))['errors'] as { code: string }[])[0]?.code).toBe('BAD_REQUEST');
    });

    it('refuses an unknown grant_type with 400 BAD_REQUEST', async () => {
      const res = await postTokens(fake, ALICE, { grant_type: 'password' });
      expect(res.status).toBe(400);
      expect(await json(res)).toEqual(
        accessError('BAD_REQUEST', 'Unsupported grant type: password'),
      );
    });
  });

  describe('who may create', () => {
    it('answers anonymous callers 401 UNAUTHORIZED in the Access shape', async () => {
      for (const form of [false, true]) {
        const res = await postTokens(fake, undefined, { expires_in: 3600 }, form);
        expect(res.status).toBe(401);
        expect(res.headers.get('content-type')).toBe('application/json');
        expect(await json(res)).toEqual(accessError('UNAUTHORIZED', 'Unauthorized'));
      }
    });

    it('accepts Basic user:password, and refuses it when token generation via API is disabled', async () => {
      expect((await postTokens(fake, ALICE, {})).status).toBe(200);
      fake.config.allowBasicAuthTokenCreation = false;
      const refused = await postTokens(fake, ALICE, {});
      expect(refused.status).toBe(401);
      expect(refused.headers.get('content-type')).toBe('application/json');
      expect(await json(refused)).toEqual(
        accessError('UNAUTHORIZED', 'Unsupported authentication method Basic'),
      );
      // A token still may mint tokens.
      const token = fake.issueToken({ username: 'alice', expiresIn: 86_400 }).jwt;
      expect((await postTokens(fake, bearer(token), {})).status).toBe(200);
    });

    it('refuses Basic user:apikey the same way when token generation via API is disabled', async () => {
      const key = fake.createApiKey('alice');
      fake.config.allowBasicAuthTokenCreation = false;
      const refused = await postTokens(fake, basic('alice', key), {});
      expect(refused.status).toBe(401);
      expect(await json(refused)).toEqual(
        accessError('UNAUTHORIZED', 'Unsupported authentication method Basic'),
      );
    });

    it('refuses Basic for a user with MFA, and for an LDAP or SAML user, even with the knob on', async () => {
      fake.directory.addUser({ name: 'mfa-user', password: 'mfa-password', mfa: true });
      fake.directory.addUser({ name: 'ldap-user', password: 'ldap-password', realm: 'ldap' });
      fake.directory.addUser({ name: 'saml-user', password: 'saml-password', realm: 'saml' });
      for (const [user, password] of [
        ['mfa-user', 'mfa-password'],
        ['ldap-user', 'ldap-password'],
        ['saml-user', 'saml-password'],
      ] as const) {
        const refused = await postTokens(fake, basic(user, password), {});
        expect(refused.status).toBe(401);
        expect(await json(refused)).toEqual(
          accessError('UNAUTHORIZED', 'Unsupported authentication method Basic'),
        );
      }
      // Their password still works where Basic is accepted (the Artifactory REST API).
      expect((await get(fake, '/artifactory/api/security/apiKey', basic('ldap-user', 'ldap-password'))).status).toBe(200);
    });

    it('refuses a wrong password with 401 Bad credentials', async () => {
      const res = await postTokens(fake, basic('alice', 'not-her-password'), {});
      expect(res.status).toBe(401);
      expect(await json(res)).toEqual(accessError('UNAUTHORIZED', 'Bad credentials'));
    });
  });

  describe('username', () => {
    it('defaults to the caller and becomes the subject <access id>/users/<name>', async () => {
      const { access_token } = await createToken(fake, ALICE);
      expect(decodeJwt(access_token).payload['sub']).toBe(`${fake.accessServiceId}/users/alice`);
      expect((await postTokens(fake, ALICE, { username: 'alice' })).status).toBe(200);
    });

    it('lets an admin create tokens for others', async () => {
      const { access_token } = await createToken(fake, ADMIN, { username: 'bob' });
      expect(decodeJwt(access_token).payload['sub']).toBe(`${fake.accessServiceId}/users/bob`);
    });

    it('lets an admin create a group token for an unknown (transient) user, which then works', async () => {
      const { access_token } = await createToken(fake, ADMIN, {
        username: 'ci-pipeline',
        scope: 'applied-permissions/groups:readers',
        expires_in: 86_400,
      });
      expect(decodeJwt(access_token).payload['sub']).toBe(
        `${fake.accessServiceId}/users/ci-pipeline`,
      );
      const me = await get(fake, '/access/api/v1/tokens/me', bearer(access_token));
      expect(me.status).toBe(200);
      expect(await json(me)).toMatchObject({
        subject: `${fake.accessServiceId}/users/ci-pipeline`,
      });
      expect(
        (await get(fake, '/artifactory/api/system/service_id', bearer(access_token))).status,
      ).toBe(403);
    });

    it('refuses a non-admin creating for someone else with 403 FORBIDDEN', async () => {
      for (const form of [false, true]) {
        const res = await postTokens(fake, ALICE, { username: 'bob' }, form);
        expect(res.status).toBe(403);
        expect(await json(res)).toEqual(
          accessError('FORBIDDEN', 'Non-admin users can only create tokens for themselves'),
        );
      }
    });
  });

  describe('scope', () => {
    it('defaults to applied-permissions/user', async () => {
      const body = await createToken(fake, ALICE);
      expect(body.scope).toBe('applied-permissions/user');
      expect(decodeJwt(body.access_token).payload['scp']).toBe('applied-permissions/user');
    });

    it('refuses the admin scope to non-admins with 403, grants it to admins', async () => {
      const res = await postTokens(fake, ALICE, { scope: 'applied-permissions/admin' });
      expect(res.status).toBe(403);
      expect(await json(res)).toEqual(
        accessError('FORBIDDEN', 'Scope is not permitted: applied-permissions/admin'),
      );
      const admin = await createToken(fake, ADMIN, { scope: 'applied-permissions/admin' });
      expect(admin.scope).toBe('applied-permissions/admin');
    });

    it('grants group scopes for the caller’s own groups only', async () => {
      const groups = await createToken(
        fake,
        ALICE,
        { scope: 'applied-permissions/groups:readers,developers' },
        true,
      );
      expect(groups.scope).toBe('applied-permissions/groups:readers,developers');
      expect(decodeJwt(groups.access_token).payload['scp']).toBe(
        'applied-permissions/groups:readers,developers',
      );
      expect(
        (await postTokens(fake, ALICE, { scope: 'applied-permissions/groups:admins' })).status,
      ).toBe(403);
    });

    it('refuses a scope longer than 500 characters with 400', async () => {
      const res = await postTokens(fake, ALICE, {
        scope: `applied-permissions/groups:${'r'.repeat(500)}`,
      });
      expect(res.status).toBe(400);
      expect(await json(res)).toEqual(
        accessError('BAD_REQUEST', 'scope must be at most 500 characters'),
      );
    });
  });

  describe('expires_in', () => {
    it('defaults to one year (31536000 s)', async () => {
      const body = await createToken(fake, ALICE);
      expect(body.expires_in).toBe(31_536_000);
      expect(decodeJwt(body.access_token).payload).toMatchObject({
        iat: NOW_S,
        exp: NOW_S + 31_536_000,
      });
    });

    it('follows the configured default expiry', async () => {
      fake.config.defaultExpirySeconds = 7 * 86_400;
      expect((await createToken(fake, ALICE)).expires_in).toBe(7 * 86_400);
    });

    it('takes 0 as non-expiring: no exp claim and no expiry in the token info', async () => {
      for (const form of [false, true]) {
        const body = await createToken(fake, ALICE, { expires_in: 0 }, form);
        expect(decodeJwt(body.access_token).payload['exp']).toBeUndefined();
        expect(await info(body.token_id)).not.toHaveProperty('expiry');
      }
    });

    it('refuses negative and non-numeric values with 400 BAD_REQUEST', async () => {
      for (const [value, form] of [
        [-1, false],
        ['soon', false],
        [1.5, false],
        ['-5', true],
        ['soon', true],
        [true, false],
      ] as const) {
        const res = await postTokens(fake, ALICE, { expires_in: value }, form);
        expect(res.status, `expires_in=${String(value)}`).toBe(400);
        expect(await json(res)).toEqual(
          accessError('BAD_REQUEST', 'expires_in must be a non-negative integer'),
        );
      }
    });

    it('accepts a numeric string in JSON as the form does', async () => {
      expect((await createToken(fake, ALICE, { expires_in: '7200' })).expires_in).toBe(7200);
    });

    it('holds non-admins to max-expiry when it is set, admins not', async () => {
      fake.config.maxExpirySeconds = 86_400;
      const message = accessError(
        'FORBIDDEN',
        'Token expiry exceeds the maximum allowed (86400 seconds)',
      );
      for (const expires of [86_401, 0]) {
        const res = await postTokens(fake, ALICE, { expires_in: expires });
        expect(res.status).toBe(403);
        expect(await json(res)).toEqual(message);
      }
      // The platform default (one year) is above the limit too.
      expect((await postTokens(fake, ALICE, {})).status).toBe(403);
      expect((await createToken(fake, ALICE, { expires_in: 86_400 })).expires_in).toBe(86_400);
      expect((await postTokens(fake, ADMIN, { expires_in: 0 })).status).toBe(200);
      fake.config.maxExpirySeconds = 0;
      expect((await postTokens(fake, ALICE, { expires_in: 0 })).status).toBe(200);
    });
  });

  describe('refreshable', () => {
    it('gives a refresh token only when refreshable, as boolean or string', async () => {
      expect((await createToken(fake, ALICE, { refreshable: true })).refresh_token).toEqual(
        expect.any(String),
      );
      expect((await createToken(fake, ALICE, { refreshable: 'true' })).refresh_token).toEqual(
        expect.any(String),
      );
      expect((await createToken(fake, ALICE, { refreshable: 'true' }, true)).refresh_token).toEqual(
        expect.any(String),
      );
      expect((await postTokens(fake, ALICE, { refreshable: 'maybe' })).status).toBe(400);
      expect(
        await info((await createToken(fake, ALICE, { refreshable: true })).token_id),
      ).toMatchObject({ refreshable: true });
    });

    it('issues a refreshable request a plain token, silently, when allow-refreshable is off', async () => {
      fake.config.allowRefreshable = false;
      const body = await createToken(fake, ALICE, { refreshable: true });
      expect(body).not.toHaveProperty('refresh_token');
      expect(await info(body.token_id)).toMatchObject({ refreshable: false });
      expect((await postTokens(fake, ALICE, { refreshable: false })).status).toBe(200);
    });
  });

  describe('description and audience', () => {
    it('keeps the description for the token info, without echoing it in the response', async () => {
      const body = await createToken(fake, ALICE, { description: 'Artikey on laptop' }, true);
      expect(body).not.toHaveProperty('description');
      expect(await info(body.token_id)).toMatchObject({ description: 'Artikey on laptop' });
      expect((await postTokens(fake, ALICE, { description: 'd'.repeat(1025) })).status).toBe(400);
    });

    it('defaults aud to *@*, keeps one audience as a string and several as an array', async () => {
      expect(decodeJwt((await createToken(fake, ALICE)).access_token).payload['aud']).toBe('*@*');
      expect(
        decodeJwt((await createToken(fake, ALICE, { audience: 'jfrt@*' })).access_token).payload[
          'aud'
        ],
      ).toBe('jfrt@*');
      const many = await createToken(
        fake,
        ALICE,
        { audience: 'jfrt@* jfmd@* jfevt@* jfac@*' },
        true,
      );
      expect(decodeJwt(many.access_token).payload['aud']).toEqual([
        'jfrt@*',
        'jfmd@*',
        'jfevt@*',
        'jfac@*',
      ]);
    });
  });

  describe('include_reference_token', () => {
    it('adds a 64-character reference token usable as Bearer, Basic password and X-JFrog-Art-Api', async () => {
      const body = await createToken(fake, ALICE, {
        include_reference_token: true,
        expires_in: 86_400,
      });
      expect(Object.keys(body).sort()).toEqual([
        'access_token',
        'expires_in',
        'reference_token',
        'scope',
        'token_id',
        'token_type',
      ]);
      const reference = body.reference_token ?? '';
      expect(reference).toHaveLength(64);
      expect(reference).toMatch(/^cmVmd[A-Za-z0-9]{59}$/);
      expect(Buffer.from(reference, 'base64').toString()).toMatch(
        new RegExp(`^reftkn:01:${NOW_S + 86_400}:[A-Za-z0-9]{27}$`),
      );
      const me = await get(fake, '/access/api/v1/tokens/me', bearer(reference));
      expect(me.status).toBe(200);
      expect(await json(me)).toMatchObject({ token_id: body.token_id });
      expect(
        (await get(fake, '/artifactory/api/system/version', basic('alice', reference))).status,
      ).toBe(200);
      expect(
        (
          await get(fake, '/artifactory/api/security/apiKey', undefined, {
            headers: { 'X-JFrog-Art-Api': reference },
          })
        ).status,
      ).toBe(200);
      // As Basic password it creates tokens, like any token.
      expect((await postTokens(fake, basic('alice', reference), { expires_in: 3600 })).status).toBe(
        200,
      );
      expect(
        (await get(fake, '/artifactory/api/system/version', basic('bob', reference))).status,
      ).toBe(401);
    });

    it('has no reference token unless asked', async () => {
      expect(await createToken(fake, ALICE, { include_reference_token: false })).not.toHaveProperty(
        'reference_token',
      );
    });
  });

  describe('force_revocable', () => {
    it('makes a short-lived token revocable (ext says so)', async () => {
      const plain = await createToken(fake, ALICE, { expires_in: 3600 });
      const forced = await createToken(
        fake,
        ALICE,
        { expires_in: 3600, force_revocable: true },
        true,
      );
      expect(decodeJwt(plain.access_token).payload['ext']).toBe('{"revocable":"false"}');
      expect(decodeJwt(forced.access_token).payload['ext']).toBe('{"revocable":"true"}');
      const del = await fetch(`${fake.url}/access/api/v1/tokens/${forced.token_id}`, {
        method: 'DELETE',
        headers: { authorization: ALICE },
      });
      expect(del.status).toBe(200);
    });
  });
});

describe('fake Artifactory: create token on the default (strict) configuration', () => {
  let fake: FakeArtifactory;
  beforeAll(async () => {
    fake = await startFrozen();
  });
  afterAll(() => fake.stop());

  it('refuses Basic user:password with 401, as a server whose admin left token generation via API off; a bearer still creates', async () => {
    expect((await postTokens(fake, ALICE, {})).status).toBe(401);
    const token = fake.issueToken({ username: 'alice', expiresIn: 86_400 }).jwt;
    expect((await postTokens(fake, bearer(token), {})).status).toBe(200);
  });
});
