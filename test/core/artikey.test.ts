import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { DEFAULT_LIFETIME_SECONDS } from '../../electron/core/state.js';
import { decodeAccessToken } from '../../electron/core/tokens.js';
import { Vault } from '../../electron/core/vault.js';
import { FakeClock } from '../fake-artifactory/clock.js';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import { testArtikey, type TestArtikey } from '../support/artikey.js';
import { realKeychain } from '../support/keychain.js';
import { logInAs } from '../support/browser-login.js';

describe('Artikey use cases against the fake Artifactory and the real keychain', () => {
  let fake: FakeArtifactory;
  let t: TestArtikey;
  beforeAll(async () => {
    fake = await startFakeArtifactory({ clock: new FakeClock({ frozen: true }) });
  });
  afterAll(() => fake.stop());
  afterEach(async () => {
    for (const instance of await t.artikey.list()) await t.vault.erase(instance.id);
    t.cleanup();
  });

  const password = { username: DEMO_USER.name, password: DEMO_USER.password };

  it('logs in with a password, where the server allows it: a refreshable scoped token of the default lifetime, secrets only in the keychain', async () => {
    // A permissive server: its admin enabled token generation via the API with Basic auth.
    fake.config.allowBasicAuthTokenCreation = true;
    onTestFinished(() => {
      fake.config.allowBasicAuthTokenCreation = false;
    });
    t = testArtikey(fake);
    const { instance } = await t.artikey.loginWithPassword({ url: `${fake.url}/artifactory/`, ...password });
    expect(instance).toMatchObject({
      id: `127.0.0.1-${fake.port}`,
      name: fake.host,
      username: 'alice',
      loginMethod: 'password',
      status: 'active',
      expiresInSeconds: DEFAULT_LIFETIME_SECONDS,
      token: { kind: 'access-token', refreshable: true, scopes: ['applied-permissions/user'], signature: 'not-checked' },
    });
    const secrets = await t.vault.read(instance.id);
    expect(secrets?.refreshToken).toBeTruthy();
    const state = readFileSync(t.stateFile, 'utf8');
    expect(state).not.toContain(secrets?.accessToken ?? 'x');
    expect(state).not.toContain(secrets?.refreshToken ?? 'x');
    expect(state).not.toContain(DEMO_USER.password);
  });

  it('verifies the token signature when the user may read the root certificate (admins)', async () => {
    t = testArtikey(fake);
    const { instance } = await logInAs(t.artikey, fake, 'admin');
    expect(instance.token.signature).toBe('verified');
  });

  it('logging in again to the same instance, typed differently, updates it instead of adding a twin', async () => {
    t = testArtikey(fake);
    await logInAs(t.artikey, fake, DEMO_USER.name, { name: 'Demo' });
    await logInAs(t.artikey, fake, DEMO_USER.name, { url: `${fake.url}/ui/repos/tree/General`, lifetimeSeconds: 7200 });
    const all = await t.artikey.list();
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ name: 'Demo', expiresInSeconds: 7200, tokenLifetimeSeconds: 7200 });
  });

  it('logs in through the browser and trades the year-long token for a refreshable one of the default lifetime', async () => {
    t = testArtikey(fake);
    const prompts: { code: string; url: string }[] = [];
    const { instance } = await t.artikey.loginWithBrowser({
      url: fake.url,
      onPrompt: (prompt) => {
        prompts.push(prompt);
        const session = new URL(prompt.url).searchParams.get('jfClientSession') ?? '';
        fake.approveLogin(session, 'alice');
      },
    });
    expect(prompts[0]?.code).toHaveLength(4);
    expect(instance).toMatchObject({ loginMethod: 'browser', username: 'alice', expiresInSeconds: DEFAULT_LIFETIME_SECONDS, token: { refreshable: true } });
    const yearLong = fake.tokens.all().find((token) => token.expiresAt !== null && token.expiresAt - token.issuedAt === fake.config.defaultExpirySeconds && token.username === 'alice');
    expect(yearLong?.revoked).toBe(true);
  });

  it('times out and cancels a browser login nobody approves', async () => {
    t = testArtikey(fake);
    let clockTicks = 0;
    const slow = testArtikey(fake, { sleep: () => { fake.clock.advance(3); clockTicks++; return Promise.resolve(); } });
    await expect(slow.artikey.loginWithBrowser({ url: fake.url, onPrompt: () => undefined })).rejects.toMatchObject({ code: 'login-timeout' });
    expect(clockTicks).toBeGreaterThan(90);
    const controller = new AbortController();
    await expect(t.artikey.loginWithBrowser({ url: fake.url, onPrompt: () => controller.abort(), signal: controller.signal })).rejects.toMatchObject({ code: 'login-cancelled' });
    slow.cleanup();
  });

  it('takes a pasted access token and makes it refreshable', async () => {
    t = testArtikey(fake);
    const pasted = fake.issueToken({ username: 'bob', expiresIn: 86_400 }).jwt;
    const { instance } = await t.artikey.loginWithToken({ url: fake.url, token: `  ${pasted}\n` });
    expect(instance).toMatchObject({ loginMethod: 'access-token', username: 'bob', token: { refreshable: true } });
    expect((await t.vault.read(instance.id))?.accessToken).not.toBe(pasted);
  });

  it('keeps a pasted token that may not mint others, as not refreshable, and says so', async () => {
    t = testArtikey(fake);
    const scoped = fake.issueToken({ username: 'bob', expiresIn: 86_400, scope: 'artifact:npm-virtual:r' }).jwt;
    const { instance, notes } = await t.artikey.loginWithToken({ url: fake.url, token: scoped });
    expect(instance).toMatchObject({ username: 'bob', token: { refreshable: false, scopes: ['artifact:npm-virtual:r'] } });
    expect((await t.vault.read(instance.id))?.accessToken).toBe(scoped);
    expect(notes.join(' ')).toMatch(/will warn before it expires/);
  });

  it('needs the user name for a reference token', async () => {
    t = testArtikey(fake);
    const reference = fake.issueToken({ username: 'bob', expiresIn: 86_400, includeReferenceToken: true }).referenceToken ?? '';
    await expect(t.artikey.loginWithToken({ url: fake.url, token: reference })).rejects.toMatchObject({ code: 'username-required' });
    const { instance } = await t.artikey.loginWithToken({ url: fake.url, token: reference, username: 'bob' });
    expect(instance).toMatchObject({ username: 'bob', loginMethod: 'reference-token', token: { refreshable: true } });
  });

  it('leaves the user name out of the exchange: one differing in case still gets a refreshable token, named as the server spells it', async () => {
    t = testArtikey(fake);
    const reference = fake.issueToken({ username: 'bob', expiresIn: 86_400, includeReferenceToken: true }).referenceToken ?? '';
    const { instance, notes } = await t.artikey.loginWithToken({ url: fake.url, token: reference, username: 'BOB' });
    expect(notes.join(' ')).not.toMatch(/keeps it as it is/);
    expect(instance).toMatchObject({ username: 'bob', token: { refreshable: true } });
  });

  it('says at login when the server issues tokens that cannot be refreshed, and never spends a refresh on one', async () => {
    fake.config.allowRefreshable = false;
    try {
      t = testArtikey(fake);
      const { instance, notes } = await logInAs(t.artikey, fake, DEMO_USER.name);
      expect(instance.token.refreshable).toBe(false);
      expect(notes.join(' ')).toMatch(/issued a token that cannot be refreshed .*warns before it expires/);
      await expect(t.artikey.refreshIfDue(instance.id)).rejects.toMatchObject({ code: 'not-refreshable' });
    } finally {
      fake.config.allowRefreshable = true;
    }
  });

  it('says "log in again" when another client spent the refresh token: the bearer it revoked is refused first', async () => {
    t = testArtikey(fake);
    const { instance } = await logInAs(t.artikey, fake, DEMO_USER.name);
    const held = await t.vault.read(instance.id);
    expect(fake.tokens.refresh(held?.refreshToken ?? '').ok).toBe(true);
    await expect(t.artikey.refreshIfDue(instance.id)).rejects.toMatchObject({ code: 'login-required', message: expect.stringMatching(/refused the credentials .*Log in again: artikey login http/) });
  });

  it('exchanges an API key, warns that it is end-of-life, and revokes it when asked', async () => {
    t = testArtikey(fake);
    const key = fake.createApiKey('bob');
    const kept = await t.artikey.loginWithToken({ url: fake.url, token: key });
    expect(kept.instance.loginMethod).toBe('api-key');
    expect(kept.notes.join(' ')).toMatch(/end-of-life/);
    expect(fake.directory.user('bob')?.apiKey).toBe(key);
    const revoked = await t.artikey.loginWithApiKey({ url: fake.url, apiKey: key, revokeApiKey: true });
    expect(revoked.notes.join(' ')).toMatch(/revoked/);
    expect(fake.directory.user('bob')?.apiKey).toBeUndefined();
  });

  it('rejects what is not a token without echoing it', async () => {
    t = testArtikey(fake);
    const error = await t.artikey.loginWithToken({ url: fake.url, token: 'canary-not-a-token' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'invalid-token' });
    expect(String((error as Error).message)).not.toContain('canary');
  });

  it('refreshes with rotation, and asks for a new login once the refresh token is spent elsewhere', async () => {
    t = testArtikey(fake);
    const { instance } = await logInAs(t.artikey, fake, DEMO_USER.name);
    const before = await t.vault.read(instance.id);
    fake.clock.advance(3600);
    const after = await t.artikey.refresh(instance.id);
    expect(after.expiresInSeconds).toBe(DEFAULT_LIFETIME_SECONDS);
    const rotated = await t.vault.read(instance.id);
    expect(rotated?.refreshToken).not.toBe(before?.refreshToken);
    expect(decodeAccessToken(rotated?.accessToken ?? '').tokenId).toBe(after.token.tokenId);
    // Concurrent refreshes in one process spend the refresh token once.
    const refreshesBefore = fake.tokens.refreshCount;
    await Promise.all([t.artikey.refresh(instance.id), t.artikey.refresh(instance.id), t.artikey.refresh(instance.id)]);
    expect(fake.tokens.refreshCount - refreshesBefore).toBe(1);
    // Someone else spends it: Artikey says "log in again" and shows it.
    const current = await t.vault.read(instance.id);
    fake.tokens.refresh(current?.refreshToken ?? '');
    await expect(t.artikey.refresh(instance.id)).rejects.toMatchObject({ code: 'login-required' });
    expect((await t.artikey.instance(instance.id)).status).toBe('refresh-failing');
  });

  it('a login that names no lifetime keeps none of its own, so the instance follows a later change of the default', async () => {
    t = testArtikey(fake);
    const stored = (id: string) =>
      (JSON.parse(readFileSync(t.stateFile, 'utf8')) as { instances: { id: string; tokenLifetimeSeconds: number | null }[] }).instances.find(
        (i) => i.id === id,
      )?.tokenLifetimeSeconds;
    const { instance } = await logInAs(t.artikey, fake, DEMO_USER.name);
    expect(stored(instance.id)).toBeNull();
    await t.artikey.updateSettings({ defaultTokenLifetimeSeconds: 86_400 });
    expect((await t.artikey.instance(instance.id)).tokenLifetimeSeconds).toBe(86_400);
    // A login again without a lifetime leaves the instance following the default.
    await logInAs(t.artikey, fake, DEMO_USER.name);
    expect(stored(instance.id)).toBeNull();
    // One that names a lifetime keeps it whatever the default becomes.
    await logInAs(t.artikey, fake, DEMO_USER.name, { lifetimeSeconds: 7200 });
    await t.artikey.updateSettings({ defaultTokenLifetimeSeconds: 3 * 86_400 });
    expect(stored(instance.id)).toBe(7200);
    expect((await t.artikey.instance(instance.id)).tokenLifetimeSeconds).toBe(7200);
  });

  it('sees a token revoked on the server, then revokes and logs out cleanly', async () => {
    t = testArtikey(fake);
    const { instance } = await logInAs(t.artikey, fake, DEMO_USER.name, { lifetimeSeconds: 86_400 });
    expect((await t.artikey.inspect(instance.id)).revocation.status).toBe('active');
    const token = fake.tokens.byId(instance.token.tokenId ?? '');
    if (token) fake.tokens.revoke(token);
    const detail = await t.artikey.inspect(instance.id);
    expect(detail).toMatchObject({ status: 'revoked', serverVersion: fake.config.artifactoryVersion });
    expect(Math.abs(detail.clockSkewSeconds ?? 99)).toBeLessThanOrEqual(1);

    const second = await logInAs(t.artikey, fake, DEMO_USER.name, { lifetimeSeconds: 86_400 });
    expect(await t.artikey.logout(second.instance.id)).toMatchObject({ revoked: true, targetsRemoved: [], targetsFailed: [], complete: true });
    expect(await t.artikey.list()).toEqual([]);
    expect(await t.vault.read(second.instance.id)).toBeNull();
    expect(fake.tokens.byId(second.instance.token.tokenId ?? '')?.revoked ?? true).toBe(true);
  });

  it('checks revocation periodically only where the last answer is stale, and shows unknown when offline', async () => {
    t = testArtikey(fake);
    const { instance } = await logInAs(t.artikey, fake, DEMO_USER.name, { lifetimeSeconds: 86_400 });
    expect(await t.artikey.recheckRevocations(3600)).toEqual([]);
    fake.clock.advance(3600);
    fake.requests.clear();
    const [checked] = await t.artikey.recheckRevocations(3600);
    expect(checked?.revocation.status).toBe('active');
    expect(fake.requests.list({ path: '/access/api/v1/tokens/me' })).toHaveLength(1);
    expect(await t.artikey.recheckRevocations(3600)).toEqual([]);

    fake.faults.add({ path: '/artifactory/api/system/ping', action: { kind: 'reset' } });
    try {
      const offline = await t.artikey.inspect(instance.id);
      expect(offline).toMatchObject({ status: 'unknown', serverVersion: null, revocation: { status: 'unknown' } });
    } finally {
      fake.faults.clear();
    }
  });

  it('says not-persisted (not revoked) for short tokens the server does not keep', async () => {
    t = testArtikey(fake);
    const { instance } = await logInAs(t.artikey, fake, DEMO_USER.name, { lifetimeSeconds: 3600 });
    expect((await t.artikey.inspect(instance.id))).toMatchObject({ status: 'not-revocable', revocation: { status: 'not-persisted' } });
  });

  it('names the instance it cannot find and lists the known ones', async () => {
    t = testArtikey(fake);
    await logInAs(t.artikey, fake, DEMO_USER.name);
    // By the names people gave them, not by ids (issue 17).
    await expect(t.artikey.instance('nope.example')).rejects.toMatchObject({ code: 'instance-not-found', message: expect.stringContaining(`(known: ${fake.host})`) });
    expect((await t.artikey.rename(fake.url, 'My demo')).name).toBe('My demo');
    expect((await t.artikey.instance('My demo')).id).toBe(`127.0.0.1-${fake.port}`);
    await expect(t.artikey.instance('nope.example')).rejects.toMatchObject({ message: expect.stringContaining('(known: My demo)') });
  });

  it('names a tampered keychain entry by the instance, with the login that mends it (issue 17)', async () => {
    const backend = realKeychain();
    t = testArtikey(fake, { vault: new Vault(backend) });
    const { instance } = await logInAs(t.artikey, fake, DEMO_USER.name);
    const entry = JSON.parse((await backend.get(instance.id)) ?? '{}') as Record<string, unknown>;
    await backend.set(instance.id, JSON.stringify({ ...entry, record: '{"accessToken":"changed"}' }));
    const corrupt = `The keychain entry for ${fake.host} is incomplete or was changed outside Artikey. Log in again: artikey login ${fake.url}/`;
    await expect(t.artikey.inspect(instance.id)).rejects.toMatchObject({ code: 'keychain-corrupt', message: corrupt });
  });

  it('keeps names unique: rename (as the window does it) refuses one another instance has, in any case; an empty one is an invalid name', async () => {
    t = testArtikey(fake);
    const other = await startFakeArtifactory();
    onTestFinished(() => other.stop());
    await logInAs(t.artikey, fake, DEMO_USER.name);
    const second = (await logInAs(t.artikey, other, DEMO_USER.name)).instance;
    await t.artikey.rename(fake.url, 'Acme');
    await expect(t.artikey.rename(second.id, ' acme ')).rejects.toMatchObject({
      code: 'name-taken',
      message: `The name "acme" is taken: ${fake.url}/ is called "Acme". Choose another name.`,
    });
    // Another's id is taken too: it would pick that one on the command line.
    await expect(t.artikey.rename(second.id, `127.0.0.1-${fake.port}`)).rejects.toMatchObject({ code: 'name-taken' });
    await expect(t.artikey.rename(second.id, '   ')).rejects.toMatchObject({ code: 'invalid-name' });
    expect((await t.artikey.instance(second.id)).name).toBe(other.host);
    // Its own name in another case is no clash.
    expect((await t.artikey.rename(fake.url, 'ACME')).name).toBe('ACME');
  });
});
