import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FakeArtifactory } from '../fake-artifactory/server.js';
import {
  ADMIN,
  ALICE,
  artifactoryError,
  bearer,
  decodeJwt,
  get,
  json,
  NOW_S,
  postForm,
  reset,
  settled,
  startFrozen,
  type Body,
} from './helpers.js';

const LEGACY = '/artifactory/api/security/token';

interface LegacyResponse {
  access_token: string;
  refresh_token?: string;
  expires_in: number;
  scope: string;
  token_type: string;
}

/** The deprecated Artifactory token API (API notes §1b, §2b, §3). */
describe('fake Artifactory: legacy token API', () => {
  let fake: FakeArtifactory;
  beforeAll(async () => {
    fake = await startFrozen();
  });
  afterAll(() => fake.stop());
  afterEach(() => reset(fake));

  const create = async (
    authorization: string | undefined,
    fields: Body,
  ): Promise<LegacyResponse> => {
    const res = await postForm(fake, LEGACY, authorization, fields);
    expect(res.status).toBe(200);
    return (await res.json()) as LegacyResponse;
  };
  const oauth = async (res: Response, status: number, error: string): Promise<void> => {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toBe('application/json');
    const body = await json(res);
    expect(Object.keys(body).sort()).toEqual(['error', 'error_description']);
    expect(body['error']).toBe(error);
  };

  describe('create', () => {
    it('takes forms only: JSON gets 415', async () => {
      const res = await fetch(`${fake.url}${LEGACY}`, {
        method: 'POST',
        headers: { authorization: ALICE, 'content-type': 'application/json' },
        body: '{"expires_in":60}',
      });
      expect(res.status).toBe(415);
      expect(await json(res)).toEqual(
        artifactoryError(415, 'Unsupported Media Type: application/json'),
      );
    });

    it('defaults to one hour, adds api:* to the scope and answers without token_id', async () => {
      const body = await create(ALICE, { scope: 'member-of-groups:readers' });
      expect(Object.keys(body).sort()).toEqual([
        'access_token',
        'expires_in',
        'scope',
        'token_type',
      ]);
      expect(body).toMatchObject({
        expires_in: 3600,
        scope: 'member-of-groups:readers api:*',
        token_type: 'Bearer',
      });
      expect((await create(ALICE, {})).scope).toBe('member-of-groups:* api:*');
      expect((await create(ALICE, { scope: 'member-of-groups:readers api:*' })).scope).toBe(
        'member-of-groups:readers api:*',
      );
    });

    it('issues jfrt@ tokens: sub, aud and iss name the Artifactory service', async () => {
      const body = await create(ALICE, { grant_type: 'client_credentials', expires_in: 7200 });
      expect(decodeJwt(body.access_token).payload).toMatchObject({
        sub: `${fake.artifactoryServiceId}/users/alice`,
        scp: 'member-of-groups:* api:*',
        aud: fake.artifactoryServiceId,
        iss: fake.artifactoryServiceId,
        iat: NOW_S,
        exp: NOW_S + 7200,
      });
      expect(fake.artifactoryServiceId).toMatch(/^jfrt@01[0-9a-z]{24}$/);
      const audience = await create(ALICE, { audience: 'jfrt@*' });
      expect(decodeJwt(audience.access_token).payload['aud']).toBe('jfrt@*');
    });

    it('gives a refresh token when refreshable=true; expires_in=0 never expires', async () => {
      const body = await create(ALICE, { refreshable: 'true' });
      expect(Object.keys(body).sort()).toEqual([
        'access_token',
        'expires_in',
        'refresh_token',
        'scope',
        'token_type',
      ]);
      const forever = await create(ALICE, { expires_in: 0 });
      expect(forever.expires_in).toBe(0);
      expect(decodeJwt(forever.access_token).payload['exp']).toBeUndefined();
    });

    it('lets admins create for others, not users', async () => {
      const admin = await create(ADMIN, { username: 'bob' });
      expect(decodeJwt(admin.access_token).payload['sub']).toBe(
        `${fake.artifactoryServiceId}/users/bob`,
      );
      const res = await postForm(fake, LEGACY, ALICE, { username: 'bob' });
      expect(res.status).toBe(403);
      expect(res.headers.get('content-type')).toBe('application/json;charset=ISO-8859-1');
      expect(await json(res)).toEqual(
        artifactoryError(403, 'Only an admin user can create tokens for other users'),
      );
    });

    it('makes a transient user when an admin names an unknown one: the token works, with its groups only', async () => {
      const body = await create(ADMIN, { username: 'ci-bot', scope: 'member-of-groups:readers' });
      expect(decodeJwt(body.access_token).payload['sub']).toBe(
        `${fake.artifactoryServiceId}/users/ci-bot`,
      );
      expect(
        (await get(fake, '/artifactory/api/system/version', bearer(body.access_token))).status,
      ).toBe(200);
      expect(fake.directory.user('ci-bot')).toBeUndefined();
      // Not an admin, whatever the admin who made it.
      expect((await get(fake, LEGACY, bearer(body.access_token))).status).toBe(403);
    });

    it('refuses anonymous callers in the Artifactory shape', async () => {
      const res = await postForm(fake, LEGACY, undefined, {});
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Basic realm="Artifactory Realm"');
      expect(await json(res)).toEqual(artifactoryError(401, 'Unauthorized'));
    });

    it('reports validation errors OAuth-style', async () => {
      const bad = await postForm(fake, LEGACY, ALICE, { expires_in: 'x' });
      expect(bad.status).toBe(400);
      expect(await json(bad)).toEqual({
        error: 'invalid_request',
        error_description: 'expires_in must be a non-negative number',
      });
      await oauth(await postForm(fake, LEGACY, ALICE, { expires_in: -1 }), 400, 'invalid_request');
      await oauth(
        await postForm(fake, LEGACY, ALICE, { refreshable: 'maybe' }),
        400,
        'invalid_request',
      );
      await oauth(
        await postForm(fake, LEGACY, ALICE, { grant_type: 'password' }),
        400,
        'unsupported_grant_type',
      );
      await oauth(
        await postForm(fake, LEGACY, undefined, {
          grant_type: 'refresh_token',
          refresh_token: 'x',
        }),
        400,
        'invalid_request',
      );
    });
  });

  describe('refresh', () => {
    const pair = (body: LegacyResponse): Body => ({
      grant_type: 'refresh_token',
      refresh_token: body.refresh_token ?? '',
      access_token: body.access_token,
    });

    it('rotates with the pair alone and no auth; the new token keeps the old settings', async () => {
      const first = await create(ALICE, {
        refreshable: 'true',
        scope: 'member-of-groups:readers',
        expires_in: 7200,
      });
      fake.clock.advance(60);
      const second = await create(undefined, pair(first));
      expect(second.access_token).not.toBe(first.access_token);
      expect(second.refresh_token).toEqual(expect.any(String));
      expect(second.refresh_token).not.toBe(first.refresh_token);
      expect(second).toMatchObject({
        scope: 'member-of-groups:readers api:*',
        expires_in: 7200,
        token_type: 'Bearer',
      });
      expect(decodeJwt(second.access_token).payload).toMatchObject({
        iss: fake.artifactoryServiceId,
        iat: NOW_S + 60,
      });
      expect(
        (await get(fake, '/artifactory/api/system/version', bearer(second.access_token))).status,
      ).toBe(200);
      await settled(fake);
      expect(fake.requests.list({ path: LEGACY }).at(-1)).toMatchObject({
        credential: 'refresh-pair',
        user: 'alice',
        status: 200,
      });
    });

    it('fails for a spent pair and for a refresh token paired with another access token', async () => {
      const first = await create(ALICE, { refreshable: 'true' });
      const second = await create(undefined, pair(first));
      await oauth(await postForm(fake, LEGACY, undefined, pair(first)), 401, 'invalid_grant');
      const other = await create(ALICE, { refreshable: 'true' });
      await oauth(
        await postForm(fake, LEGACY, undefined, {
          ...pair(second),
          access_token: other.access_token,
        }),
        401,
        'invalid_grant',
      );
      expect((await postForm(fake, LEGACY, undefined, pair(second))).status).toBe(200);
    });

    it('needs an admin for extra parameters', async () => {
      const first = await create(ALICE, { refreshable: 'true' });
      expect(
        (await postForm(fake, LEGACY, undefined, { ...pair(first), expires_in: 60 })).status,
      ).toBe(401);
      expect((await postForm(fake, LEGACY, ALICE, { ...pair(first), expires_in: 60 })).status).toBe(
        401,
      );
      expect((await postForm(fake, LEGACY, ADMIN, { ...pair(first), expires_in: 60 })).status).toBe(
        200,
      );
    });
  });

  describe('list and revoke', () => {
    it('lists kept legacy tokens to admins only, with the documented fields', async () => {
      const kept = fake.issueToken({
        kind: 'legacy',
        username: 'alice',
        expiresIn: 86_400,
        refreshable: true,
      });
      const hour = await create(ALICE, {});
      const res = await get(fake, LEGACY, ADMIN);
      expect(res.status).toBe(200);
      const { tokens } = (await res.json()) as { tokens: Record<string, unknown>[] };
      const ids = tokens.map((t) => t['token_id']);
      expect(ids).toContain(kept.id);
      expect(ids).not.toContain(decodeJwt(hour.access_token).payload['jti']);
      expect(tokens.find((t) => t['token_id'] === kept.id)).toEqual({
        token_id: kept.id,
        issuer: fake.artifactoryServiceId,
        subject: `${fake.artifactoryServiceId}/users/alice`,
        expiry: NOW_S + 86_400,
        refreshable: true,
        issued_at: NOW_S,
      });
      const user = await get(fake, LEGACY, ALICE);
      expect(user.status).toBe(403);
      expect(await json(user)).toEqual(artifactoryError(403, 'Forbidden'));
    });

    it('revokes by token value and by token_id with plain-text answers', async () => {
      const text = async (res: Response, body: string): Promise<void> => {
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toBe('text/plain');
        expect(await res.text()).toBe(body);
      };
      const byValue = fake.issueToken({ kind: 'legacy', username: 'alice', expiresIn: 86_400 });
      await text(
        await postForm(fake, `${LEGACY}/revoke`, ALICE, { token: byValue.jwt }),
        'Token revoked',
      );
      await text(
        await postForm(fake, `${LEGACY}/revoke`, ALICE, { token: byValue.jwt }),
        'Token not found',
      );
      expect((await get(fake, '/artifactory/api/system/version', bearer(byValue.jwt))).status).toBe(
        401,
      );
      const byId = fake.issueToken({ kind: 'legacy', username: 'alice', expiresIn: 86_400 });
      await text(
        await postForm(fake, `${LEGACY}/revoke`, ADMIN, { token_id: byId.id }),
        'Token revoked',
      );
      await text(
        await postForm(fake, `${LEGACY}/revoke`, ADMIN, { token_id: byId.id }),
        'Token not found',
      );
      await text(
        await postForm(fake, `${LEGACY}/revoke`, ADMIN, { token_id: 'no-such-token' }),
        'Token not found',
      );
      await oauth(await postForm(fake, `${LEGACY}/revoke`, ADMIN, {}), 400, 'invalid_request');
    });
  });
});
