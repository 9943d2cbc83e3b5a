import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AccessClient, AccessError, type Credentials } from '../../electron/core/access.js';
import { createHttpClient } from '../../electron/core/http.js';
import { FakeClock } from '../fake-artifactory/clock.js';
import { ADMIN_USER, DEMO_USER } from '../fake-artifactory/directory.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';

describe('AccessClient against the fake Artifactory', () => {
  let fake: FakeArtifactory;
  let client: AccessClient;
  // The person's own token (as from a browser login): a real server lets a bearer, not a password, create tokens.
  let alice: Credentials;
  beforeAll(async () => {
    fake = await startFakeArtifactory({ clock: new FakeClock({ frozen: true }) });
    alice = { kind: 'bearer', token: fake.issueToken({ username: DEMO_USER.name, expiresIn: 31_536_000 }).jwt };
    client = new AccessClient(createHttpClient({ env: {}, sleep: () => Promise.resolve() }), `${fake.url}/`);
  });
  afterAll(() => fake.stop());
  afterEach(() => fake.faults.clear());

  it('identifies an Artifactory by ping and version: from the Server header when anonymous access is off, from the JSON with credentials', async () => {
    expect(await client.identify()).toEqual({ version: fake.config.artifactoryVersion, revision: null });
    const token = fake.issueToken({ username: 'alice', expiresIn: 86_400 }).jwt;
    expect(await client.identify({ kind: 'bearer', token })).toEqual({ version: fake.config.artifactoryVersion, revision: expect.any(String) });
  });

  it('explains an SSO page answered with status 200 instead of the API', async () => {
    fake.faults.add({ path: '/artifactory/api/system/ping', times: 1, action: { kind: 'html-login' } });
    const error = await client.identify().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AccessError);
    expect(error).toMatchObject({ code: 'not-artifactory', message: expect.stringMatching(/single sign-on or proxy login page/) });
    expect((error as Error).message).toContain(`${fake.url}/artifactory/api/system/ping`);
  });

  it('explains a proxy error page', async () => {
    fake.faults.add({ path: '/artifactory/api/system/ping', action: { kind: 'proxy-error', status: 502 } });
    await expect(client.identify()).rejects.toMatchObject({ code: 'not-artifactory', message: expect.stringMatching(/proxy or gateway error page/) });
  });

  it('creates a scoped refreshable token with the person’s token, and refreshes it with rotation', async () => {
    const grant = await client.createToken(alice, { refreshable: true, expiresIn: 43_200, scope: 'applied-permissions/user', description: 'Artikey' });
    expect(grant).toMatchObject({ tokenId: expect.any(String), refreshToken: expect.any(String), expiresIn: 43_200, scope: 'applied-permissions/user' });
    const next = await client.refreshToken(grant.accessToken, grant.refreshToken ?? '');
    expect(next.accessToken).not.toBe(grant.accessToken);
    expect(next.refreshToken).not.toBe(grant.refreshToken);
    // The bearer, revoked by the refresh, is refused before the spent refresh token is looked at.
    await expect(client.refreshToken(grant.accessToken, grant.refreshToken ?? '')).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(client.refreshToken(next.accessToken, grant.refreshToken ?? '')).rejects.toMatchObject({ code: 'refresh-token-invalid' });
  });

  it('refreshes an expired token inside the grace period, authenticated by that token', async () => {
    fake.config.refreshGraceSeconds = 86_400;
    try {
      const grant = await client.createToken(alice, { refreshable: true, expiresIn: 43_200 });
      fake.clock.advance(43_200 + 60);
      const next = await client.refreshToken(grant.accessToken, grant.refreshToken ?? '');
      expect(next.refreshToken).toBeTruthy();
    } finally {
      fake.config.refreshGraceSeconds = 0;
    }
  });

  it('finds an expired token beyond the grace (none by default) refreshable no more: log in again', async () => {
    const grant = await client.createToken(alice, { refreshable: true, expiresIn: 43_200 });
    fake.clock.advance(43_200 + 60);
    await expect(client.refreshToken(grant.accessToken, grant.refreshToken ?? '')).rejects.toMatchObject({ code: 'refresh-token-invalid', status: 404, message: expect.stringMatching(/Log in again/) });
  });

  it('sends the lifetime with a refresh, which the fake applies by default', async () => {
    const grant = await client.createToken(alice, { refreshable: true, expiresIn: 43_200 });
    const next = await client.refreshToken(grant.accessToken, grant.refreshToken ?? '', 4 * 86_400);
    // Without it the fake would keep the 12 hours of the token refreshed.
    expect(next.expiresIn).toBe(4 * 86_400);
  });

  it('takes a refused bearer as final: no second try without credentials, which a real server refuses', async () => {
    fake.config.acceptExpiredBearerOnRefresh = false;
    fake.config.allowUnauthenticatedRefresh = true; // even where the server would take the pair alone
    try {
      const grant = await client.createToken(alice, { refreshable: true, expiresIn: 43_200 });
      fake.clock.advance(43_200 + 60);
      const refreshes = fake.tokens.refreshCount;
      await expect(client.refreshToken(grant.accessToken, grant.refreshToken ?? '')).rejects.toMatchObject({ code: 'unauthorized', status: 401 });
      expect(fake.tokens.refreshCount).toBe(refreshes);
      expect(fake.tokens.refreshable(grant.refreshToken ?? '')).toBe(true);
    } finally {
      fake.config.acceptExpiredBearerOnRefresh = true;
      fake.config.allowUnauthenticatedRefresh = false;
    }
  });

  it('maps refused credentials to a clear error without echoing them', async () => {
    const error = await client.createToken({ kind: 'basic', username: 'alice', password: 'canary-wrong-password' }, {}).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'unauthorized', status: 401, message: expect.stringMatching(/Bad credentials/) });
    expect(String((error as Error).message)).not.toContain('canary');
  });

  it('reads the current token, a token by id, the list, and revokes by id', async () => {
    const grant = await client.createToken(alice, { expiresIn: 86_400, description: 'listed' });
    const bearer: Credentials = { kind: 'bearer', token: grant.accessToken };
    expect(await client.currentToken(bearer)).toMatchObject({ tokenId: grant.tokenId, refreshable: false, description: 'listed' });
    expect(await client.tokenById(bearer, grant.tokenId ?? '')).toMatchObject({ tokenId: grant.tokenId });
    expect((await client.listTokens(bearer)).map((t) => t.tokenId)).toContain(grant.tokenId);
    const other = await client.createToken(alice, { expiresIn: 86_400 });
    expect(await client.revokeToken(bearer, other.tokenId ?? '')).toBe(true);
    expect(await client.revokeToken(bearer, other.tokenId ?? '')).toBe(false);
    expect(await client.tokenById(bearer, other.tokenId ?? '')).toBeNull();
  });

  it('says null, not revoked, for short-lived tokens the server does not keep', async () => {
    const grant = await client.createToken(alice, { expiresIn: 3600 });
    expect(await client.currentToken({ kind: 'bearer', token: grant.accessToken })).toBeNull();
  });

  it('fetches the root certificate with admin rights, and null without', async () => {
    const admin: Credentials = { kind: 'basic', username: ADMIN_USER.name, password: ADMIN_USER.password };
    expect(await client.rootCertificate(admin)).toBe(fake.rootCertificate.der.toString('base64'));
    expect(await client.rootCertificate(alice)).toBeNull();
  });

  it('runs the browser login: pending, approved, collected once', async () => {
    const session = randomUUID();
    await client.startWebLogin(session);
    expect(await client.pollWebLogin(session)).toBeNull();
    fake.approveLogin(session, 'alice');
    const grant = await client.pollWebLogin(session);
    expect(grant?.refreshToken).toBeTruthy();
    await expect(client.pollWebLogin(session)).rejects.toBeInstanceOf(AccessError);
    expect(client.webLoginUrl(session)).toBe(`${fake.url}/ui/login?jfClientSession=${session}&jfClientName=Artikey&jfClientCode=1`);
  });

  it('tells when the server is too old for browser login', async () => {
    const current = fake.config.artifactoryVersion;
    fake.config.artifactoryVersion = '7.63.0';
    try {
      await expect(client.startWebLogin(randomUUID())).rejects.toMatchObject({ code: 'web-login-unsupported', message: expect.stringMatching(/7\.64/) });
    } finally {
      fake.config.artifactoryVersion = current;
    }
  });

  it('exchanges an API key for a token and revokes the key', async () => {
    const key = fake.createApiKey('bob');
    const viaKey: Credentials = { kind: 'api-key', key };
    expect(await client.apiKey(viaKey)).toBe(key);
    const grant = await client.createToken(viaKey, { refreshable: true, expiresIn: 43_200 });
    const bearer: Credentials = { kind: 'bearer', token: grant.accessToken };
    await client.revokeApiKey(bearer);
    expect(await client.apiKey(bearer)).toBeNull();
    await expect(client.createToken(viaKey, {})).rejects.toMatchObject({ code: 'unauthorized' });
  });
});
