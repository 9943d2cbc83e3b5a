import { existsSync, readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../fake-artifactory/clock.js';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import { testArtikey, type TestArtikey } from '../support/artikey.js';

/**
 * A server that does not let tools trade a password for a token (issue 15, item 1): the login
 * says so and points to the browser login, leaves nothing behind, and the next login to that
 * address offers the browser first.
 */
describe('a server that refuses to create tokens for Basic credentials', () => {
  let fake: FakeArtifactory;
  let t: TestArtikey;
  beforeAll(async () => {
    fake = await startFakeArtifactory({ clock: new FakeClock({ frozen: true }), config: { allowBasicAuthTokenCreation: false } });
  });
  afterAll(() => fake.stop());
  afterEach(async () => {
    fake.config.allowBasicAuthTokenCreation = false;
    for (const instance of await t.artikey.list()) await t.vault.erase(instance.id);
    t.cleanup();
  });

  const password = { username: DEMO_USER.name, password: DEMO_USER.password };
  const id = () => `127.0.0.1-${fake.port}`;
  const state = (): Record<string, unknown> => (existsSync(t.stateFile) ? (JSON.parse(readFileSync(t.stateFile, 'utf8')) as Record<string, unknown>) : {});
  const steer = () => new RegExp(`^127\\.0\\.0\\.1:${fake.port} does not let tools trade a password for a token; log in through the browser instead: artikey login http://127\\.0\\.0\\.1:${fake.port}/$`);

  it('says to log in through the browser, with its own code, and leaves nothing behind', async () => {
    t = testArtikey(fake);
    const tokensBefore = fake.tokens.all().length;
    const error = (await t.artikey.loginWithPassword({ url: fake.url, ...password }).catch((e: unknown) => e)) as { code: string; message: string };
    expect(error.code).toBe('basic-token-creation-disabled');
    expect(error.message).toMatch(steer());
    expect(await t.artikey.list()).toEqual([]);
    expect(await t.vault.read(id())).toBeNull();
    expect(state()['pendingLogins']).toEqual([]);
    expect(fake.tokens.all().length).toBe(tokensBefore);
    expect(error.message).not.toContain(DEMO_USER.password);
  });

  it('still says the credentials were refused for a wrong password', async () => {
    t = testArtikey(fake);
    const error = (await t.artikey.loginWithPassword({ url: fake.url, username: 'alice', password: 'wrong' }).catch((e: unknown) => e)) as { code: string; message: string };
    expect(error.code).toBe('unauthorized');
    expect(error.message).toMatch(/refused the credentials \(401, the server said "Bad credentials"\)/);
    expect((await t.artikey.loginAdvice(fake.url)).preferBrowser).toBe(false);
  });

  it('refuses an API key given with a user name the same way, suggesting the key alone too', async () => {
    t = testArtikey(fake);
    const apiKey = fake.createApiKey('alice');
    const error = (await t.artikey.loginWithApiKey({ url: fake.url, apiKey, username: 'alice' }).catch((e: unknown) => e)) as { code: string; message: string };
    expect(error.code).toBe('basic-token-creation-disabled');
    expect(error.message).toMatch(/does not let tools trade a user name and API key for a token; log in through the browser instead: artikey login http:\/\/127\.0\.0\.1:\d+\/ \(or give the API key without a user name\)$/);
    expect(error.message).not.toContain(apiKey);
    expect(await t.artikey.list()).toEqual([]);
    expect(state()['pendingLogins']).toEqual([]);
  });

  it('remembers the refusal per address, so the next login offers the browser first, until a password login works there', async () => {
    t = testArtikey(fake);
    expect(await t.artikey.loginAdvice(fake.url)).toEqual({ preferBrowser: false, reason: null });
    await t.artikey.loginWithPassword({ url: fake.url, ...password }).catch(() => undefined);
    // Any spelling of the address is the same instance; another address knows nothing of it.
    const advice = await t.artikey.loginAdvice(`${fake.url}/artifactory/`);
    expect(advice.preferBrowser).toBe(true);
    expect(advice.reason).toBe(`127.0.0.1:${fake.port} does not let tools trade a password for a token`);
    expect((await t.artikey.loginAdvice('https://other.example.invalid')).preferBrowser).toBe(false);
    expect(JSON.stringify(state())).not.toContain(DEMO_USER.password);

    // The admin enabled token generation via the API: a password login works and is no longer discouraged.
    fake.config.allowBasicAuthTokenCreation = true;
    await t.artikey.loginWithPassword({ url: fake.url, ...password });
    expect((await t.artikey.loginAdvice(fake.url)).preferBrowser).toBe(false);
  });

  it('a browser login still works there', async () => {
    t = testArtikey(fake);
    await t.artikey.loginWithPassword({ url: fake.url, ...password }).catch(() => undefined);
    const { instance } = await t.artikey.loginWithBrowser({
      url: fake.url,
      pollIntervalMs: 1,
      onPrompt: ({ url }) => fake.approveLogin(new URL(url).searchParams.get('jfClientSession') ?? '', 'alice'),
    });
    expect(instance).toMatchObject({ username: 'alice', loginMethod: 'browser', token: { refreshable: true } });
  });
});
