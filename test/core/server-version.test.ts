import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AccessClient } from '../../electron/core/access.js';
import { createHttpClient } from '../../electron/core/http.js';
import { FakeClock } from '../fake-artifactory/clock.js';
import { defaultConfig } from '../fake-artifactory/config.js';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { profileOverrides, type ProfileName } from '../fake-artifactory/profiles.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import { testArtikey, type TestArtikey } from '../support/artikey.js';

/**
 * Issue 15, item 9: the core reads the server's version (with credentials where anonymous access
 * is off, as it is by default) and says which release a login method needs, instead of failing
 * on the missing endpoint.
 */
describe('the server version and what it lacks', () => {
  let fake: FakeArtifactory;
  let t: TestArtikey;
  beforeAll(async () => {
    fake = await startFakeArtifactory({ clock: new FakeClock({ frozen: true }) });
  });
  afterAll(() => fake.stop());
  afterEach(async () => {
    for (const instance of await t.artikey.list()) await t.vault.erase(instance.id);
    t.cleanup();
    Object.assign(fake.config, defaultConfig());
  });
  const play = (profile: ProfileName, extra: Partial<typeof fake.config> = {}): void => {
    Object.assign(fake.config, defaultConfig(), profileOverrides(profile), extra);
  };
  const prompts: string[] = [];
  const approve = (prompt: { url: string }): void => {
    prompts.push(prompt.url);
    fake.approveLogin(new URL(prompt.url).searchParams.get('jfClientSession') ?? '', 'alice');
  };

  it('reads the version with the credentials it has when anonymous access is off', async () => {
    t = testArtikey(fake);
    const client = new AccessClient(createHttpClient({ env: {}, sleep: () => Promise.resolve() }), `${fake.url}/`);
    const token = fake.issueToken({ username: DEMO_USER.name, expiresIn: 86_400 }).jwt;
    expect((await client.identify({ kind: 'bearer', token })).version).toBe(fake.config.artifactoryVersion);
  });

  it('browser login on 7.40: says the version and what browser login needs, before opening anything', async () => {
    play('legacy-7.40');
    t = testArtikey(fake);
    prompts.length = 0;
    await expect(t.artikey.loginWithBrowser({ url: fake.url, onPrompt: approve })).rejects.toMatchObject({
      code: 'server-too-old',
      message: expect.stringMatching(/^This server is 7\.40\.2: browser login needs 7\.64 or newer; use a token/),
    });
    expect(prompts).toEqual([]);
  });

  it('password login on 7.40: creating a token from a password needs 7.63.2; use a token', async () => {
    play('legacy-7.40', { allowBasicAuthTokenCreation: true });
    t = testArtikey(fake);
    const before = fake.tokens.all().length;
    await expect(t.artikey.loginWithPassword({ url: fake.url, username: DEMO_USER.name, password: DEMO_USER.password })).rejects.toMatchObject({
      code: 'server-too-old',
      message: expect.stringMatching(/^This server is 7\.40\.2: logging in with a user name and password needs 7\.63\.2 or newer; use a token/),
    });
    expect(fake.tokens.all()).toHaveLength(before);
  });

  it('any login on 7.20: Artikey needs the Access token API of 7.21.1', async () => {
    play('default', { artifactoryVersion: '7.20.0' });
    t = testArtikey(fake);
    const token = fake.issueToken({ username: DEMO_USER.name, expiresIn: 86_400 }).jwt;
    await expect(t.artikey.loginWithToken({ url: fake.url, token })).rejects.toMatchObject({
      code: 'server-too-old',
      message: expect.stringMatching(/^This server is 7\.20\.0: Artikey needs 7\.21\.1 or newer/),
    });
  });

  it('a token login on 7.30 says the token cannot be refreshed because refresh needs 7.37.9', async () => {
    play('default', { artifactoryVersion: '7.30.0' });
    t = testArtikey(fake);
    const token = fake.issueToken({ username: DEMO_USER.name, expiresIn: 86_400 }).jwt;
    const { instance, notes } = await t.artikey.loginWithToken({ url: fake.url, token });
    expect(instance.token.refreshable).toBe(false);
    expect(notes.join('\n')).toMatch(/This server is 7\.30\.0: refreshing tokens needs 7\.37\.9 or newer/);
  });

  it('status knows the version of a 7.40 server and does not take a missing /tokens/me for an unkept token', async () => {
    play('legacy-7.40');
    t = testArtikey(fake);
    const token = fake.issueToken({ username: DEMO_USER.name, expiresIn: 86_400 }).jwt;
    const { instance } = await t.artikey.loginWithToken({ url: fake.url, token });
    const detail = await t.artikey.inspect(instance.id);
    expect(detail.serverVersion).toBe('7.40.2');
    expect(detail.revocation.status).not.toBe('not-persisted');
  });

  it('status on a 7.40 server asks about the token by its id: active, then revoked once the server revokes it', async () => {
    play('legacy-7.40');
    t = testArtikey(fake);
    const token = fake.issueToken({ username: DEMO_USER.name, expiresIn: 86_400 }).jwt;
    const { instance } = await t.artikey.loginWithToken({ url: fake.url, token });
    expect((await t.artikey.inspect(instance.id)).revocation.status).toBe('active');
    const held = fake.tokens.byId(instance.token.tokenId ?? '');
    expect(held, 'the token Artikey holds is kept on the server').toBeDefined();
    fake.tokens.revoke(held!);
    expect((await t.artikey.inspect(instance.id)).revocation.status).toBe('revoked');
  });

  it('a current server: browser login works as before', async () => {
    play('saas-default');
    t = testArtikey(fake);
    const { instance } = await t.artikey.loginWithBrowser({ url: fake.url, onPrompt: approve });
    expect(instance.loginMethod).toBe('browser');
  });
});
