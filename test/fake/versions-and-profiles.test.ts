import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../fake-artifactory/config.js';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { profileOverrides, type ProfileName } from '../fake-artifactory/profiles.js';
import type { FakeArtifactory } from '../fake-artifactory/server.js';
import {
  accessError,
  ALICE,
  bearer,
  createToken,
  get,
  json,
  NOW,
  postTokens,
  reset,
  startFrozen,
} from './helpers.js';

const webLoginRequest = (fake: FakeArtifactory): Promise<Response> =>
  fetch(`${fake.url}/access/api/v2/authentication/jfrog_client_login/request`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ session: randomUUID() }),
  });

/** A refreshable token for alice, minted directly (no Basic creation needed). */
const refreshable = (fake: FakeArtifactory, expiresIn = 3600): { jwt: string; refreshToken: string } => {
  const token = fake.issueToken({ username: DEMO_USER.name, expiresIn, refreshable: true });
  return { jwt: token.jwt, refreshToken: token.refreshToken ?? '' };
};

const refresh = (fake: FakeArtifactory, token: { jwt: string; refreshToken: string }): Promise<Response> =>
  postTokens(fake, bearer(token.jwt), { grant_type: 'refresh_token', refresh_token: token.refreshToken });

/** Each API the version knob can take away, at the release before and the release that added it. */
describe('fake Artifactory: version gates', () => {
  let fake: FakeArtifactory;
  beforeAll(async () => (fake = await startFrozen()));
  afterEach(() => reset(fake));
  afterAll(() => fake.stop());

  it('has the Access token API from 7.21.1; before, its paths answer 404 as unknown ones do', async () => {
    const token = fake.issueToken({ username: DEMO_USER.name, expiresIn: 3600 }).jwt;
    fake.config.artifactoryVersion = '7.20.0';
    const old = await postTokens(fake, bearer(token), {});
    expect(old.status).toBe(404);
    expect(await json(old)).toEqual(accessError('NOT_FOUND', 'HTTP 404 Not Found'));
    expect((await get(fake, '/access/api/v1/tokens', bearer(token))).status).toBe(404);
    fake.config.artifactoryVersion = '7.21.1';
    expect((await postTokens(fake, bearer(token), {})).status).toBe(200);
  });

  it('refreshes from 7.37.9; before, the refresh grant is refused with 400', async () => {
    fake.config.artifactoryVersion = '7.37.8';
    const old = await refresh(fake, refreshable(fake));
    expect(old.status).toBe(400);
    expect(await json(old)).toEqual(accessError('BAD_REQUEST', 'Unsupported grant type: refresh_token'));
    fake.config.artifactoryVersion = '7.37.9';
    expect((await refresh(fake, refreshable(fake))).status).toBe(200);
  });

  it('knows /tokens/me from 7.53.1; before, "me" is a token id nobody has (GET 404, DELETE 204)', async () => {
    const token = fake.issueToken({ username: DEMO_USER.name, expiresIn: 86_400 }).jwt;
    fake.config.artifactoryVersion = '7.53.0';
    expect((await get(fake, '/access/api/v1/tokens/me', bearer(token))).status).toBe(404);
    expect((await get(fake, '/access/api/v1/tokens/me', bearer(token), { method: 'DELETE' })).status).toBe(204);
    fake.config.artifactoryVersion = '7.53.1';
    expect((await get(fake, '/access/api/v1/tokens/me', bearer(token))).status).toBe(200);
  });

  it('refreshes an expired token within the grace only from 7.59.5; before, there is no grace', async () => {
    fake.config.refreshGraceSeconds = 86_400;
    fake.config.artifactoryVersion = '7.59.4';
    const before = refreshable(fake);
    fake.clock.set(NOW + 2 * 3600_000);
    expect((await refresh(fake, before)).status).toBe(404);
    fake.clock.set(NOW);
    fake.config.artifactoryVersion = '7.59.5';
    const after = refreshable(fake);
    fake.clock.set(NOW + 2 * 3600_000);
    expect((await refresh(fake, after)).status).toBe(200);
  });

  it('lets Basic user:password create tokens (when enabled) only from 7.63.2', async () => {
    fake.config.allowBasicAuthTokenCreation = true;
    fake.config.artifactoryVersion = '7.63.1';
    expect((await postTokens(fake, ALICE, {})).status).toBe(401);
    fake.config.artifactoryVersion = '7.63.2';
    expect((await postTokens(fake, ALICE, {})).status).toBe(200);
  });

  it('offers browser login from 7.64.0; before, its paths answer 404', async () => {
    fake.config.artifactoryVersion = '7.63.2';
    expect((await webLoginRequest(fake)).status).toBe(404);
    const poll = await get(fake, `/access/api/v2/authentication/jfrog_client_login/token/${randomUUID()}`);
    expect(poll.status).toBe(404);
    fake.config.artifactoryVersion = '7.64.0';
    expect((await webLoginRequest(fake)).status).toBe(200);
  });
});

/** The named servers, each with what tells it apart. */
describe('fake Artifactory: profiles', () => {
  const started: FakeArtifactory[] = [];
  afterAll(() => Promise.all(started.map((f) => f.stop())));
  const start = async (profile: ProfileName): Promise<FakeArtifactory> => {
    const fake = await startFrozen({ profile });
    started.push(fake);
    return fake;
  };
  const version = (fake: FakeArtifactory, authorization: string): Promise<Body> =>
    get(fake, '/artifactory/api/system/version', authorization).then(json);
  type Body = Record<string, unknown>;

  it('default: the strict default configuration itself', async () => {
    const fake = await start('default');
    expect(profileOverrides('default')).toEqual({});
    expect((await get(fake, '/artifactory/api/system/version')).status).toBe(401);
  });

  it('saas-default: a 7.1xx release that refuses Basic token creation and has browser login', async () => {
    const fake = await start('saas-default');
    expect(String((await version(fake, ALICE))['version'])).toMatch(/^7\.1\d\d\./);
    const basic = await postTokens(fake, ALICE, {});
    expect(basic.status).toBe(401);
    expect((await webLoginRequest(fake)).status).toBe(200);
    expect(fake.config.refreshGraceSeconds).toBe(defaultConfig().refreshGraceSeconds);
  });

  it('self-hosted-7.64: a 7.64 that creates tokens from Basic credentials, with browser login and /tokens/me', async () => {
    const fake = await start('self-hosted-7.64');
    expect(String((await version(fake, ALICE))['version'])).toMatch(/^7\.64\./);
    const created = await createToken(fake, ALICE, { expires_in: 86_400 });
    expect((await webLoginRequest(fake)).status).toBe(200);
    expect((await get(fake, '/access/api/v1/tokens/me', bearer(created.access_token))).status).toBe(200);
  });

  it('legacy-7.40: no browser login, no refresh grace, no /tokens/me, no Basic token creation', async () => {
    const fake = await start('legacy-7.40');
    expect((await version(fake, ALICE))['version']).toBe('7.40.2');
    expect((await webLoginRequest(fake)).status).toBe(404);
    fake.config.allowBasicAuthTokenCreation = true;
    expect((await postTokens(fake, ALICE, {})).status).toBe(401);
    const token = refreshable(fake);
    expect((await get(fake, '/access/api/v1/tokens/me', bearer(token.jwt))).status).toBe(404);
    fake.config.refreshGraceSeconds = 86_400;
    fake.clock.set(NOW + 2 * 3600_000);
    expect((await refresh(fake, token)).status).toBe(404);
  });

  it('refuses an unknown profile, naming the known ones', () => {
    expect(() => profileOverrides('legacy-6.0')).toThrow(
      'unknown profile "legacy-6.0"; known profiles: default, saas-default, self-hosted-7.64, legacy-7.40',
    );
  });
});
