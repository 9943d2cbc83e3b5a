import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FakeArtifactory } from '../fake-artifactory/server.js';
import {
  accessError,
  ADMIN,
  ALICE,
  artifactoryError,
  bearer,
  BOB,
  createToken,
  decodeJwt,
  get,
  json,
  NOW_S,
  postTokens,
  reset,
  startFrozen,
  type TokenResponse,
  BASIC_TOKEN_CREATION,
} from './helpers.js';

const SPENT = accessError('NOT_FOUND', 'Token matching the provided refresh token was not found.');

/** Refresh on POST /access/api/v1/tokens with grant_type=refresh_token (API notes §2a). */
describe('fake Artifactory: refresh (Access API)', () => {
  let fake: FakeArtifactory;
  beforeAll(async () => {
    fake = await startFrozen({ config: BASIC_TOKEN_CREATION });
  });
  afterAll(() => fake.stop());
  afterEach(() => reset(fake, BASIC_TOKEN_CREATION));

  const refreshable = (body: Record<string, unknown> = {}): Promise<TokenResponse> =>
    createToken(fake, ALICE, { refreshable: true, expires_in: 43_200, ...body });
  const refresh = (
    authorization: string | undefined,
    refreshToken: string,
    form = false,
    extra: Record<string, unknown> = {},
  ): Promise<Response> =>
    postTokens(
      fake,
      authorization,
      { grant_type: 'refresh_token', refresh_token: refreshToken, ...extra },
      form,
    );
  const works = async (token: string): Promise<number> =>
    (await get(fake, '/access/api/v1/tokens/me', bearer(token))).status;

  describe('who may refresh', () => {
    for (const form of [false, true]) {
      for (const withBearer of [true, false]) {
        it(`rotates with a ${form ? 'form' : 'JSON'} body ${withBearer ? 'and the current token as Bearer' : 'and no auth, where a permissive server allows it'}`, async () => {
          fake.config.allowUnauthenticatedRefresh = !withBearer;
          const first = await refreshable();
          const res = await refresh(
            withBearer ? bearer(first.access_token) : undefined,
            first.refresh_token ?? '',
            form,
          );
          expect(res.status).toBe(200);
          const second = (await res.json()) as TokenResponse;
          expect(Object.keys(second).sort()).toEqual([
            'access_token',
            'expires_in',
            'refresh_token',
            'scope',
            'token_id',
            'token_type',
          ]);
          expect(second).toMatchObject({
            expires_in: 43_200,
            scope: 'applied-permissions/user',
            token_type: 'Bearer',
          });
          expect(second.access_token).not.toBe(first.access_token);
          expect(second.refresh_token).not.toBe(first.refresh_token);
          expect(second.token_id).not.toBe(first.token_id);
          expect(decodeJwt(second.access_token).payload).toMatchObject({
            sub: `${fake.accessServiceId}/users/alice`,
            jti: second.token_id,
          });
        });
      }
    }

    it('takes the exact body jfrog-cli sends', async () => {
      const first = await refreshable();
      const res = await fetch(`${fake.url}/access/api/v1/tokens`, {
        method: 'POST',
        headers: { authorization: bearer(first.access_token), 'content-type': 'application/json' },
        body: JSON.stringify({
          access_token: first.access_token,
          refresh_token: first.refresh_token,
          grant_type: 'refresh_token',
          refreshable: true,
        }),
      });
      expect(res.status).toBe(200);
    });

    it('lets an admin refresh a user’s token (the Vault plugin way); the new token stays the user’s', async () => {
      const first = await refreshable();
      const admin = fake.issueToken({
        username: 'admin',
        scope: 'applied-permissions/admin',
        expiresIn: 86_400,
      }).jwt;
      const second = (await (
        await refresh(bearer(admin), first.refresh_token ?? '')
      ).json()) as TokenResponse;
      expect(decodeJwt(second.access_token).payload['sub']).toBe(
        `${fake.accessServiceId}/users/alice`,
      );
      expect((await refresh(ADMIN, second.refresh_token ?? '')).status).toBe(200);
    });

    it('refuses another non-admin user with 403 and leaves the refresh token unspent', async () => {
      const first = await refreshable();
      const bob = fake.issueToken({ username: 'bob', expiresIn: 86_400 }).jwt;
      for (const authorization of [bearer(bob), BOB]) {
        const res = await refresh(authorization, first.refresh_token ?? '');
        expect(res.status).toBe(403);
        expect(await json(res)).toEqual(
          accessError(
            'FORBIDDEN',
            'The authenticated user does not match the user of the token being refreshed',
          ),
        );
      }
      expect((await refresh(bearer(first.access_token), first.refresh_token ?? '')).status).toBe(
        200,
      );
    });

    it('refuses a refresh with no credentials with 401, as a real server does, and leaves the refresh token unspent', async () => {
      const first = await refreshable();
      const res = await refresh(undefined, first.refresh_token ?? '');
      expect(res.status).toBe(401);
      expect(await json(res)).toEqual(accessError('UNAUTHORIZED', 'Unauthorized'));
      expect((await refresh(bearer(first.access_token), first.refresh_token ?? '')).status).toBe(200);
    });

    it('refuses bad credentials with 401 even when the refresh token is good', async () => {
      const first = await refreshable();
      const res = await refresh('Bearer not-a-token', first.refresh_token ?? '');
      expect(res.status).toBe(401);
      expect(await json(res)).toEqual(accessError('UNAUTHORIZED', 'Invalid token, malformed'));
      expect((await refresh(ALICE, first.refresh_token ?? '')).status).toBe(200);
    });

    it('needs a refresh_token: 400 BAD_REQUEST without one', async () => {
      const res = await postTokens(fake, ALICE, { grant_type: 'refresh_token' });
      expect(res.status).toBe(400);
      expect(await json(res)).toEqual(
        accessError('BAD_REQUEST', 'refresh_token is required for grant_type refresh_token'),
      );
    });
  });

  describe('single use', () => {
    it('answers a spent refresh token 404 NOT_FOUND with the exact body, whatever authenticates it', async () => {
      const first = await refreshable();
      const second = (await (
        await refresh(bearer(first.access_token), first.refresh_token ?? '')
      ).json()) as TokenResponse;
      for (const [authorization, form] of [
        [ALICE, false],
        [bearer(second.access_token), true],
        [bearer(second.access_token), false],
        [ALICE, true],
      ] as const) {
        const res = await refresh(authorization, first.refresh_token ?? '', form);
        expect(res.status).toBe(404);
        expect(res.headers.get('content-type')).toBe('application/json');
        expect(await res.text()).toBe(JSON.stringify(SPENT));
      }
      // The rotated one still works, once.
      expect((await refresh(ALICE, second.refresh_token ?? '')).status).toBe(200);
      expect((await refresh(ALICE, second.refresh_token ?? '')).status).toBe(404);
    });

    it('answers an unknown refresh token the same way', async () => {
      const res = await refresh(ALICE, '4a1c0e9e-0000-4000-8000-000000000000');
      expect(res.status).toBe(404);
      expect(await json(res)).toEqual(SPENT);
    });

    it('forgets the refresh token of a revoked access token', async () => {
      const first = await refreshable({ expires_in: 86_400 });
      expect(
        (
          await fetch(`${fake.url}/access/api/v1/tokens/${first.token_id}`, {
            method: 'DELETE',
            headers: { authorization: ALICE },
          })
        ).status,
      ).toBe(200);
      expect(await json(await refresh(ALICE, first.refresh_token ?? ''))).toEqual(SPENT);
    });

    it('counts successful refreshes only', async () => {
      const before = fake.tokens.refreshCount;
      const first = await refreshable();
      await refresh(ALICE, first.refresh_token ?? '');
      await refresh(ALICE, first.refresh_token ?? '');
      await refresh(ALICE, 'nothing');
      expect(fake.tokens.refreshCount).toBe(before + 1);
    });
  });

  describe('the access token it replaces', () => {
    it('is revoked when revocable and revokeAccessTokenOnRefresh is on: both services say so', async () => {
      const first = await refreshable();
      expect((await refresh(bearer(first.access_token), first.refresh_token ?? '')).status).toBe(
        200,
      );
      const access = await get(fake, '/access/api/v1/tokens/me', bearer(first.access_token));
      expect(access.status).toBe(401);
      expect(await json(access)).toEqual(accessError('UNAUTHORIZED', 'Invalid token, revoked'));
      const art = await get(fake, '/artifactory/api/system/version', bearer(first.access_token));
      expect(art.status).toBe(401);
      expect(art.headers.get('www-authenticate')).toBe('Basic realm="Artifactory Realm"');
      expect(art.headers.get('content-type')).toBe('application/json;charset=ISO-8859-1');
      expect(await json(art)).toEqual(artifactoryError(401, 'Token failed verification: revoked'));
    });

    it('keeps working when revokeAccessTokenOnRefresh is off', async () => {
      fake.config.revokeAccessTokenOnRefresh = false;
      const first = await refreshable();
      const second = (await (
        await refresh(bearer(first.access_token), first.refresh_token ?? '')
      ).json()) as TokenResponse;
      expect(await works(first.access_token)).toBe(200);
      expect(await works(second.access_token)).toBe(200);
    });

    it('keeps working when it is not revocable (shorter than the revocable threshold)', async () => {
      const first = await createToken(fake, ALICE, { refreshable: true, expires_in: 3600 });
      const second = (await (
        await refresh(ALICE, first.refresh_token ?? '')
      ).json()) as TokenResponse;
      expect(
        (await get(fake, '/artifactory/api/system/version', bearer(first.access_token))).status,
      ).toBe(200);
      expect(decodeJwt(second.access_token).payload['ext']).toBe('{"revocable":"false"}');
    });
  });

  describe('the new token', () => {
    it('keeps the old one’s scope, audience, lifetime and description, refreshable', async () => {
      const first = await refreshable({
        scope: 'applied-permissions/groups:readers',
        audience: 'jfrt@* jfac@*',
        expires_in: 86_400,
        description: 'laptop',
      });
      fake.clock.advance(600);
      const second = (await (
        await refresh(ALICE, first.refresh_token ?? '')
      ).json()) as TokenResponse;
      expect(second).toMatchObject({
        scope: 'applied-permissions/groups:readers',
        expires_in: 86_400,
      });
      expect(decodeJwt(second.access_token).payload).toMatchObject({
        aud: ['jfrt@*', 'jfac@*'],
        iat: NOW_S + 600,
        exp: NOW_S + 600 + 86_400,
      });
      expect(
        await json(await get(fake, `/access/api/v1/tokens/${second.token_id}`, ALICE)),
      ).toMatchObject({ description: 'laptop', refreshable: true });
    });
  });

  describe('expired tokens', () => {
    it('refresh inside the grace period and not after it', async () => {
      fake.config.refreshGraceSeconds = 3600;
      const inside = await refreshable();
      const outside = await refreshable();
      fake.clock.advance(43_200 + 3600);
      expect(await works(inside.access_token)).toBe(401);
      expect((await refresh(ALICE, inside.refresh_token ?? '')).status).toBe(200);
      fake.clock.advance(1);
      const late = await refresh(ALICE, outside.refresh_token ?? '');
      expect(late.status).toBe(404);
      expect(await json(late)).toEqual(SPENT);
    });

    it('cannot be refreshed by default: no grace, the stricter of JFrog\'s two readings', async () => {
      const first = await refreshable();
      fake.clock.advance(43_200 + 1);
      const late = await refresh(ALICE, first.refresh_token ?? '');
      expect(late.status).toBe(404);
      expect(await json(late)).toEqual(SPENT);
    });

    it('use a grace of 24 h where it is set so (the admin page\'s reading)', async () => {
      fake.config.refreshGraceSeconds = 86_400;
      const first = await refreshable();
      const second = await refreshable();
      fake.clock.advance(43_200 + 86_400);
      expect((await refresh(ALICE, first.refresh_token ?? '')).status).toBe(200);
      fake.clock.advance(1);
      expect((await refresh(ALICE, second.refresh_token ?? '')).status).toBe(404);
    });

    it('are accepted as their own bearer only when acceptExpiredBearerOnRefresh is on', async () => {
      fake.config.refreshGraceSeconds = 86_400;
      const first = await refreshable();
      fake.clock.advance(43_200 + 60);
      fake.config.acceptExpiredBearerOnRefresh = false;
      const refused = await refresh(bearer(first.access_token), first.refresh_token ?? '');
      expect(refused.status).toBe(401);
      expect(await json(refused)).toEqual(accessError('UNAUTHORIZED', 'Invalid token, expired'));
      fake.config.acceptExpiredBearerOnRefresh = true;
      expect((await refresh(bearer(first.access_token), first.refresh_token ?? '')).status).toBe(
        200,
      );
    });
  });

  describe('the misbehaving-server knob issuedTokensExpireAfterSeconds', () => {
    it('issues tokens already expired, and honest ones of the asked lifetime once it is off', async () => {
      fake.config.issuedTokensExpireAfterSeconds = -60;
      fake.config.refreshGraceSeconds = 86_400; // a token born expired is refreshable only inside a grace
      const first = await refreshable();
      expect(first.expires_in).toBe(-60);
      expect(decodeJwt(first.access_token).payload['exp']).toBe(NOW_S - 60);
      const second = (await (
        await refresh(ALICE, first.refresh_token ?? '')
      ).json()) as TokenResponse;
      expect(decodeJwt(second.access_token).payload['exp']).toBe(NOW_S - 60);
      fake.config.issuedTokensExpireAfterSeconds = null;
      const third = (await (
        await refresh(ALICE, second.refresh_token ?? '')
      ).json()) as TokenResponse;
      expect(third.expires_in).toBe(43_200);
    });
  });
});
