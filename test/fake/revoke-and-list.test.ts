import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FakeArtifactory } from '../fake-artifactory/server.js';
import {
  accessError,
  ADMIN,
  ALICE,
  basic,
  bearer,
  BOB,
  createToken,
  decodeJwt,
  get,
  json,
  NOW_S,
  reset,
  startFrozen,
  BASIC_TOKEN_CREATION,
} from './helpers.js';

interface Info {
  token_id: string;
  subject: string;
  expiry?: number;
  issued_at: number;
  issuer: string;
  description?: string;
  refreshable: boolean;
  last_used?: number;
}

/** List, get, me and revoke (API notes §3) and the revocable / persistency thresholds (§1a). */
describe('fake Artifactory: token list, info and revocation', () => {
  let fake: FakeArtifactory;
  beforeAll(async () => {
    fake = await startFrozen({ config: BASIC_TOKEN_CREATION });
  });
  afterAll(() => fake.stop());
  afterEach(() => reset(fake, BASIC_TOKEN_CREATION));

  const del = (path: string, authorization: string | undefined): Promise<Response> =>
    fetch(`${fake.url}/access/api/v1/tokens/${path}`, {
      method: 'DELETE',
      headers: authorization ? { authorization } : {},
    });
  const byId = (id: string, authorization = ALICE): Promise<Response> =>
    get(fake, `/access/api/v1/tokens/${id}`, authorization);
  const list = async (query: string, authorization: string): Promise<Info[]> => {
    const res = await get(fake, `/access/api/v1/tokens${query}`, authorization);
    expect(res.status).toBe(200);
    return ((await res.json()) as { tokens: Info[] }).tokens;
  };
  const ids = async (query: string, authorization: string): Promise<string[]> =>
    (await list(query, authorization)).map((t) => t.token_id);

  describe('thresholds', () => {
    it('makes tokens under 6 h non-revocable: DELETE answers 400 "Token not revocable"', async () => {
      const mid = await createToken(fake, ALICE, { expires_in: 4 * 3600 });
      expect(decodeJwt(mid.access_token).payload['ext']).toBe('{"revocable":"false"}');
      const res = await del(mid.token_id, ALICE);
      expect(res.status).toBe(400);
      expect(await json(res)).toEqual(accessError('BAD_REQUEST', 'Token not revocable'));
      const me = await del('me', bearer(mid.access_token));
      expect(me.status).toBe(400);
      expect(await json(me)).toEqual(accessError('BAD_REQUEST', 'Token not revocable'));
      expect((await get(fake, '/access/api/v1/tokens/me', bearer(mid.access_token))).status).toBe(
        200,
      );
    });

    it('makes exactly 6 h revocable', async () => {
      const six = await createToken(fake, ALICE, { expires_in: 6 * 3600 });
      expect(decodeJwt(six.access_token).payload['ext']).toBe('{"revocable":"true"}');
      expect((await del(six.token_id, ALICE)).status).toBe(200);
    });

    it('keeps 3 h to 6 h tokens (get by id, list) though not revocable', async () => {
      const mid = await createToken(fake, ALICE, { expires_in: 3 * 3600, description: 'mid-kept' });
      expect((await byId(mid.token_id)).status).toBe(200);
      expect(await ids('?description=mid-kept', ALICE)).toEqual([mid.token_id]);
    });

    it('does not keep non-revocable tokens under 3 h: get-by-id, list and /tokens/me say 404 / absent', async () => {
      const short = await createToken(fake, ALICE, {
        expires_in: 3600,
        description: 'short-lived',
      });
      const res = await byId(short.token_id);
      expect(res.status).toBe(404);
      expect(await json(res)).toEqual(accessError('NOT_FOUND', 'Token not found'));
      expect((await byId(short.token_id, ADMIN)).status).toBe(404);
      expect(await ids('?description=short-lived', ALICE)).toEqual([]);
      expect(await ids(`?token_id=${short.token_id}`, ADMIN)).toEqual([]);
      const me = await get(fake, '/access/api/v1/tokens/me', bearer(short.access_token));
      expect(me.status).toBe(404);
      expect(await json(me)).toEqual(accessError('NOT_FOUND', 'Token not found'));
      // It still authenticates.
      expect(
        (await get(fake, '/artifactory/api/system/version', bearer(short.access_token))).status,
      ).toBe(200);
    });

    it('keeps and revokes short tokens made with force_revocable', async () => {
      const forced = await createToken(fake, ALICE, { expires_in: 600, force_revocable: true });
      expect((await byId(forced.token_id)).status).toBe(200);
      expect((await del(forced.token_id, ALICE)).status).toBe(200);
    });

    it('follows the configured thresholds', async () => {
      fake.config.revocableThresholdSeconds = 600;
      fake.config.persistencyThresholdSeconds = 60;
      const ten = await createToken(fake, ALICE, { expires_in: 600 });
      const two = await createToken(fake, ALICE, { expires_in: 120 });
      expect((await del(ten.token_id, ALICE)).status).toBe(200);
      expect((await byId(two.token_id)).status).toBe(200);
      expect((await del(two.token_id, ALICE)).status).toBe(400);
    });
  });

  describe('revoke by id', () => {
    it('answers 200 with no body, then 204 on repeat; unknown ids 204', async () => {
      const token = await createToken(fake, ALICE, { expires_in: 86_400 });
      const first = await del(token.token_id, ALICE);
      expect(first.status).toBe(200);
      expect(await first.text()).toBe('');
      const again = await del(token.token_id, ALICE);
      expect(again.status).toBe(204);
      expect(await again.text()).toBe('');
      expect((await del('0b6f3a36-0000-4000-8000-000000000000', ALICE)).status).toBe(204);
      expect((await byId(token.token_id)).status).toBe(404);
      expect(await ids(`?token_id=${token.token_id}`, ADMIN)).toEqual([]);
      const me = await get(fake, '/access/api/v1/tokens/me', bearer(token.access_token));
      expect(await json(me)).toEqual(accessError('UNAUTHORIZED', 'Invalid token, revoked'));
    });

    it('lets users revoke their own tokens, admins anyone’s; 403 for another user’s', async () => {
      const alices = await createToken(fake, ALICE, { expires_in: 86_400 });
      const res = await del(alices.token_id, BOB);
      expect(res.status).toBe(403);
      expect(await json(res)).toEqual(accessError('FORBIDDEN', 'Forbidden'));
      expect((await del(alices.token_id, ADMIN)).status).toBe(200);
    });

    it('needs authentication: 401 UNAUTHORIZED', async () => {
      const token = await createToken(fake, ALICE, { expires_in: 86_400 });
      const res = await del(token.token_id, undefined);
      expect(res.status).toBe(401);
      expect(await json(res)).toEqual(accessError('UNAUTHORIZED', 'Unauthorized'));
    });

    it('revokes the calling token with DELETE /tokens/me', async () => {
      const token = await createToken(fake, ALICE, { expires_in: 86_400 });
      const res = await del('me', bearer(token.access_token));
      expect(res.status).toBe(200);
      expect(
        (await get(fake, '/artifactory/api/system/version', bearer(token.access_token))).status,
      ).toBe(401);
      expect((await byId(token.token_id)).status).toBe(404);
    });
  });

  describe('revoke by value', () => {
    const byValue = (
      authorization: string,
      token: string,
      contentType = 'application/json',
    ): Promise<Response> =>
      fetch(`${fake.url}/access/api/v1/tokens/revoke`, {
        method: 'DELETE',
        headers: { authorization, 'content-type': contentType },
        body: contentType === 'application/json' ? JSON.stringify({ token }) : `token=${token}`,
      });

    it('lets an admin revoke a JWT or a reference token and names its id', async () => {
      const token = await createToken(fake, ALICE, {
        expires_in: 86_400,
        include_reference_token: true,
      });
      const res = await byValue(ADMIN, token.reference_token ?? '');
      expect(res.status).toBe(200);
      expect(await json(res)).toEqual({ 'revoked-token-id': token.token_id });
      expect((await get(fake, '/access/api/v1/tokens/me', bearer(token.access_token))).status).toBe(
        401,
      );
      const other = fake.issueToken({ username: 'bob', expiresIn: 86_400 });
      expect(await json(await byValue(ADMIN, other.jwt))).toEqual({ 'revoked-token-id': other.id });
    });

    it('refuses non-admins with 403, forms with 415, and unknown tokens with 400', async () => {
      const token = await createToken(fake, ALICE, { expires_in: 86_400 });
      const forbidden = await byValue(ALICE, token.access_token);
      expect(forbidden.status).toBe(403);
      expect(await json(forbidden)).toEqual(accessError('FORBIDDEN', 'Forbidden'));
      expect((await byValue(bearer(token.access_token), token.access_token)).status).toBe(403);
      expect(
        (await byValue(ADMIN, token.access_token, 'application/x-www-form-urlencoded')).status,
      ).toBe(415);
      const unknown = await byValue(ADMIN, 'eyJub3QiOiJvdXJzIn0.e30.c2ln');
      expect(unknown.status).toBe(400);
      expect(((await json(unknown))['errors'] as { code: string }[])[0]?.code).toBe('BAD_REQUEST');
      expect((await get(fake, '/access/api/v1/tokens/me', bearer(token.access_token))).status).toBe(
        200,
      );
    });
  });

  describe('list', () => {
    const carol = basic('carol', 'carol-password');
    let made: { laptop: string; desktop: string; ci: string; forever: string };
    beforeAll(async () => {
      fake.directory.addUser({ name: 'carol', password: 'carol-password', groups: ['readers'] });
      // Issued a minute apart, with different lifetimes, so every order is visible.
      made = {
        laptop: (
          await createToken(fake, carol, {
            description: 'laptop-1',
            expires_in: 3 * 86_400,
            refreshable: true,
          })
        ).token_id,
        desktop: '',
        ci: '',
        forever: '',
      };
      fake.clock.advance(60);
      made.desktop = (
        await createToken(fake, carol, { description: 'desktop', expires_in: 86_400 })
      ).token_id;
      fake.clock.advance(60);
      made.ci = (
        await createToken(fake, carol, { description: 'laptop-2', expires_in: 2 * 86_400 })
      ).token_id;
      fake.clock.advance(60);
      made.forever = (await createToken(fake, carol, { expires_in: 0 })).token_id;
      fake.clock.set(NOW_S * 1000);
    });

    it('shows users their own tokens and admins everyone’s, always 200', async () => {
      const own = await ids('', carol);
      expect(own.sort()).toEqual(Object.values(made).sort());
      expect((await ids('', ALICE)).filter((id) => Object.values(made).includes(id))).toEqual([]);
      expect((await ids('?username=carol', ADMIN)).sort()).toEqual(Object.values(made).sort());
      expect(await ids('?username=carol', ALICE)).toEqual([]);
      const empty = await get(fake, '/access/api/v1/tokens?description=nothing-like-this', carol);
      expect(empty.status).toBe(200);
      expect(await json(empty)).toEqual({ tokens: [] });
    });

    it('filters by description (exact or trailing *), refreshable and token_id', async () => {
      expect(await ids('?description=desktop', carol)).toEqual([made.desktop]);
      expect(await ids('?description=laptop', carol)).toEqual([]);
      expect(await ids('?description=laptop*', carol)).toEqual([made.laptop, made.ci]);
      expect(await ids('?refreshable=true', carol)).toEqual([made.laptop]);
      expect((await ids('?refreshable=false', carol)).sort()).toEqual(
        [made.desktop, made.ci, made.forever].sort(),
      );
      expect(await ids(`?token_id=${made.ci}`, carol)).toEqual([made.ci]);
      expect(await ids(`?username=carol&description=laptop*&refreshable=false`, ADMIN)).toEqual([
        made.ci,
      ]);
    });

    it('orders by created (default), expiry, token_id, owner and subject, optionally descending', async () => {
      expect(await ids('', carol)).toEqual([made.laptop, made.desktop, made.ci, made.forever]);
      expect(await ids('?order_by=created&descending_order=true', carol)).toEqual([
        made.forever,
        made.ci,
        made.desktop,
        made.laptop,
      ]);
      expect(await ids('?order_by=expiry', carol)).toEqual([
        made.desktop,
        made.ci,
        made.laptop,
        made.forever,
      ]);
      expect(await ids('?order_by=expiry&descending_order=true', carol)).toEqual([
        made.forever,
        made.laptop,
        made.ci,
        made.desktop,
      ]);
      expect(await ids('?order_by=token_id', carol)).toEqual(Object.values(made).sort());
      const owners = (await list('?order_by=owner', ADMIN)).map(
        (t) => t.subject.split('/').at(-1) ?? '',
      );
      expect(owners).toEqual([...owners].sort());
      const subjects = (await list('?order_by=subject&descending_order=true', ADMIN)).map(
        (t) => t.subject,
      );
      expect(subjects).toEqual([...subjects].sort().reverse());
    });

    it('refuses an unknown order_by with 400 BAD_REQUEST', async () => {
      const res = await get(fake, '/access/api/v1/tokens?order_by=nonsense', carol);
      expect(res.status).toBe(400);
      expect(await json(res)).toEqual(
        accessError('BAD_REQUEST', 'Invalid order_by value: nonsense'),
      );
    });

    it('needs authentication', async () => {
      const res = await get(fake, '/access/api/v1/tokens');
      expect(res.status).toBe(401);
      expect(await json(res)).toEqual(accessError('UNAUTHORIZED', 'Unauthorized'));
    });
  });

  describe('token info', () => {
    it('has token_id, subject, expiry, issued_at, issuer, refreshable, and description / last_used when known', async () => {
      const token = await createToken(fake, ALICE, {
        expires_in: 86_400,
        refreshable: true,
        description: 'info',
      });
      const fresh = (await json(await byId(token.token_id))) as unknown as Info;
      expect(fresh).toEqual({
        token_id: token.token_id,
        subject: `${fake.accessServiceId}/users/alice`,
        expiry: NOW_S + 86_400,
        issued_at: NOW_S,
        issuer: fake.accessServiceId,
        description: 'info',
        refreshable: true,
      });
      fake.clock.advance(300);
      const me = (await json(
        await get(fake, '/access/api/v1/tokens/me', bearer(token.access_token)),
      )) as unknown as Info;
      expect(me).toEqual({ ...fresh, last_used: NOW_S + 300 });
      const plain = await createToken(fake, ALICE, { expires_in: 0 });
      expect(Object.keys(await json(await byId(plain.token_id))).sort()).toEqual([
        'issued_at',
        'issuer',
        'refreshable',
        'subject',
        'token_id',
      ]);
    });

    it('shows a user only their own token by id (404 otherwise); admins any', async () => {
      const bobs = fake.issueToken({ username: 'bob', expiresIn: 86_400 });
      const res = await byId(bobs.id, ALICE);
      expect(res.status).toBe(404);
      expect(await json(res)).toEqual(accessError('NOT_FOUND', 'Token not found'));
      expect((await byId(bobs.id, ADMIN)).status).toBe(200);
      expect((await byId(bobs.id, BOB)).status).toBe(200);
    });

    it('answers /tokens/me for the calling token', async () => {
      const token = await createToken(fake, ALICE, { expires_in: 86_400 });
      const me = await get(fake, '/access/api/v1/tokens/me', bearer(token.access_token));
      expect(me.status).toBe(200);
      expect(await json(me)).toMatchObject({
        token_id: token.token_id,
        subject: `${fake.accessServiceId}/users/alice`,
      });
    });
  });
});
