import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FakeArtifactory } from '../fake-artifactory/server.js';
import {
  ADMIN,
  ALICE,
  artifactoryError,
  basic,
  BOB,
  decodeJwt,
  get,
  json,
  postTokens,
  reset,
  startFrozen,
} from './helpers.js';

const PATH = '/artifactory/api/security/apiKey';

/** The end-of-life API keys (API notes §0, §4 "API keys"). */
describe('fake Artifactory: API keys', () => {
  let fake: FakeArtifactory;
  beforeAll(async () => {
    fake = await startFrozen();
  });
  afterAll(() => fake.stop());
  afterEach(() => {
    reset(fake);
    for (const user of fake.directory.users.values()) delete user.apiKey;
  });

  const call = (
    method: string,
    authorization: string | undefined,
    path = PATH,
  ): Promise<Response> =>
    fetch(`${fake.url}${path}`, { method, headers: authorization ? { authorization } : {} });
  const withKey = (key: string, path = PATH): Promise<Response> =>
    get(fake, path, undefined, { headers: { 'X-JFrog-Art-Api': key } });

  it('answers {} before a key exists, then 201 {"apiKey":"AKCp8…"} (73 characters) on POST', async () => {
    const empty = await call('GET', ALICE);
    expect(empty.status).toBe(200);
    expect(await json(empty)).toEqual({});
    const created = await call('POST', ALICE);
    expect(created.status).toBe(201);
    const body = await json(created);
    expect(Object.keys(body)).toEqual(['apiKey']);
    const key = String(body['apiKey']);
    expect(key).toHaveLength(73);
    expect(key).toMatch(/^AKCp8[A-Za-z0-9]{68}$/);
    expect(await json(await call('GET', ALICE))).toEqual({ apiKey: key });
  });

  it('refuses a second POST with 400 in the Artifactory shape', async () => {
    await call('POST', ALICE);
    const again = await call('POST', ALICE);
    expect(again.status).toBe(400);
    expect(again.headers.get('content-type')).toBe('application/json;charset=ISO-8859-1');
    expect(await json(again)).toEqual(
      artifactoryError(400, 'Api key already exists for user: alice'),
    );
  });

  it('regenerates with PUT (200); the old key stops working', async () => {
    const old = String((await json(await call('POST', ALICE)))['apiKey']);
    const put = await call('PUT', ALICE);
    expect(put.status).toBe(200);
    const fresh = String((await json(put))['apiKey']);
    expect(fresh).toMatch(/^AKCp8[A-Za-z0-9]{68}$/);
    expect(fresh).not.toBe(old);
    expect((await withKey(old)).status).toBe(401);
    expect((await withKey(fresh)).status).toBe(200);
  });

  it('authenticates with X-JFrog-Art-Api and with Basic user:apikey, e.g. to create a token', async () => {
    const key = String((await json(await call('POST', ALICE)))['apiKey']);
    const create = (headers: Record<string, string>): Promise<Response> =>
      fetch(`${fake.url}/access/api/v1/tokens`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: '{"expires_in":3600}',
      });
    const createsForAlice = async (headers: Record<string, string>): Promise<void> => {
      const res = await create(headers);
      expect(res.status).toBe(200);
      const { access_token } = (await res.json()) as { access_token: string };
      expect(decodeJwt(access_token).payload['sub']).toBe(`${fake.accessServiceId}/users/alice`);
    };
    const headerKey = { 'X-JFrog-Art-Api': key };
    const basicKey = { authorization: basic('alice', key) };
    for (const headers of [headerKey, basicKey]) {
      expect((await get(fake, '/artifactory/api/system/version', undefined, { headers })).status).toBe(200);
    }
    await createsForAlice(headerKey);
    // Basic user:apikey is Basic: refused for token creation unless an admin enabled it via the API.
    const refused = await create(basicKey);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({ errors: [{ code: 'UNAUTHORIZED', message: 'Unsupported authentication method Basic' }] });
    fake.config.allowBasicAuthTokenCreation = true;
    await createsForAlice(basicKey);
    // The key belongs to alice: bob's name with it is refused.
    const wrongUser = await get(fake, PATH, basic('bob', key));
    expect(wrongUser.status).toBe(401);
    expect(await json(wrongUser)).toEqual(artifactoryError(401, 'Bad credentials'));
    expect((await postTokens(fake, basic('bob', key), {})).status).toBe(401);
  });

  it('revokes with DELETE: the key then fails with 401', async () => {
    const key = String((await json(await call('POST', ALICE)))['apiKey']);
    const res = await call('DELETE', ALICE);
    expect(res.status).toBe(200);
    const failed = await withKey(key);
    expect(failed.status).toBe(401);
    expect(failed.headers.get('www-authenticate')).toBe('Basic realm="Artifactory Realm"');
    expect(await json(failed)).toEqual(artifactoryError(401, 'Bad credentials'));
    expect((await get(fake, PATH, basic('alice', key))).status).toBe(401);
    expect(await json(await call('GET', ALICE))).toEqual({});
  });

  it('lets an admin revoke a user’s key with DELETE /apiKey/<user>; users may not', async () => {
    const key = fake.createApiKey('bob');
    expect((await withKey(key)).status).toBe(200);
    const forbidden = await call('DELETE', ALICE, `${PATH}/bob`);
    expect(forbidden.status).toBe(403);
    expect(await json(forbidden)).toEqual(artifactoryError(403, 'Forbidden'));
    expect((await withKey(key)).status).toBe(200);
    expect((await call('DELETE', ADMIN, `${PATH}/bob`)).status).toBe(200);
    expect((await withKey(key)).status).toBe(401);
    expect(await json(await call('GET', BOB))).toEqual({});
    expect((await call('DELETE', ADMIN, `${PATH}/nobody-like-this`)).status).toBe(404);
  });

  it('refuses keys entirely when apiKeysEnabled is off', async () => {
    const key = fake.createApiKey('alice');
    fake.config.apiKeysEnabled = false;
    for (const method of ['POST', 'PUT']) {
      const res = await call(method, BOB);
      expect(res.status, method).toBe(400);
      expect(((await json(res))['errors'] as { status: number }[])[0]?.status).toBe(400);
    }
    const used = await withKey(key);
    expect(used.status).toBe(401);
    expect(await json(used)).toEqual(artifactoryError(401, 'API Key usage is disabled'));
    expect((await get(fake, PATH, basic('alice', key))).status).toBe(401);
  });

  it('needs authentication', async () => {
    for (const method of ['GET', 'POST', 'PUT', 'DELETE']) {
      const res = await call(method, undefined);
      expect(res.status, method).toBe(401);
      expect(await json(res)).toEqual(artifactoryError(401, 'Unauthorized'));
    }
  });
});
