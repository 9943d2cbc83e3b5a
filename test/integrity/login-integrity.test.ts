import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { Vault, VaultError, type SecretBackend } from '../../electron/core/vault.js';
import { FakeClock } from '../fake-artifactory/clock.js';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import { testArtikey, type TestArtikey } from '../support/artikey.js';
import { logInAs } from '../support/browser-login.js';
import { realKeychain } from '../support/keychain.js';
import { sourceCli, type SourceCli } from '../support/source-cli.js';

const alice = { username: DEMO_USER.name, password: DEMO_USER.password };
const bob = { username: 'bob', password: 'bob-demo-password' };

/** The real keychain, locked as far as writing goes: every set() fails the way a locked keyring does. */
function locked(backend: SecretBackend): SecretBackend {
  return {
    ...backend,
    set: () => Promise.reject(new VaultError('keychain-locked', 'The Secret Service keyring is locked.')),
  };
}

/** The real keychain that takes small entries (the probe, pointers) but locks before anything as long as a token arrives. */
function lockingOnTokens(backend: SecretBackend): SecretBackend {
  return {
    ...backend,
    set: (account, secret) =>
      secret.length > 300 ? Promise.reject(new VaultError('keychain-locked', 'The Secret Service keyring is locked.')) : backend.set(account, secret),
  };
}

describe('a login either completes or leaves nothing behind on the server', () => {
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

  /** Tokens the server would still accept that Artikey asked for (or the browser login handed out). */
  const liveTokens = (username: string) => fake.tokens.all().filter((token) => token.username === username && !token.revoked);
  const tokenPosts = () => fake.requests.list({ method: 'POST', path: '/access/api/v1/tokens' });

  it('a keychain that cannot store before the login starts: no token is created on the server at all', async () => {
    t = testArtikey(fake, { vault: new Vault(locked(realKeychain())) });
    const before = liveTokens('alice').length;
    fake.requests.clear();
    await expect(logInAs(t.artikey, fake, alice.username)).rejects.toMatchObject({ code: 'keychain-locked' });
    expect(tokenPosts()).toHaveLength(0);
    expect(liveTokens('alice')).toHaveLength(before);
    expect(await t.artikey.list()).toEqual([]);
  });

  it('a keychain that locks between the check and the store: the new token is revoked again, and the error says so', async () => {
    t = testArtikey(fake, { vault: new Vault(lockingOnTokens(realKeychain())) });
    const before = liveTokens('alice').length;
    fake.requests.clear();
    const failure = logInAs(t.artikey, fake, alice.username);
    await expect(failure).rejects.toMatchObject({ code: 'keychain-locked' });
    await expect(failure).rejects.toThrow(/the new token was revoked again/);
    expect(tokenPosts()).toHaveLength(1);
    expect(liveTokens('alice')).toHaveLength(before);
    expect(await t.artikey.list()).toEqual([]);
  });

  it('three logins in a row to one instance leave exactly one live Artikey token, the one it holds', async () => {
    t = testArtikey(fake);
    const before = new Set(liveTokens('alice').map((token) => token.id));
    for (let i = 0; i < 3; i++) await logInAs(t.artikey, fake, alice.username);
    const [instance] = await t.artikey.list();
    const mine = liveTokens('alice').filter((token) => !before.has(token.id));
    expect(mine.map((token) => token.id)).toEqual([instance?.token.tokenId]);
  });

  it('a browser login leaves no year-long token behind, and re-logging in through the browser replaces the last one', async () => {
    t = testArtikey(fake);
    const before = new Set(liveTokens('alice').map((token) => token.id));
    const approve = (prompt: { url: string }): void => fake.approveLogin(new URL(prompt.url).searchParams.get('jfClientSession') ?? '', 'alice');
    await t.artikey.loginWithBrowser({ url: fake.url, onPrompt: approve });
    await t.artikey.loginWithBrowser({ url: fake.url, onPrompt: approve });
    const [instance] = await t.artikey.list();
    const mine = liveTokens('alice').filter((token) => !before.has(token.id));
    expect(mine.map((token) => token.id)).toEqual([instance?.token.tokenId]);
    expect(mine[0]?.requestedExpiresIn).toBe(4 * 86_400); // the default lifetime
  });

  describe('logging in again as another user', () => {
    const netrc = (): string => join(t.home, '.netrc');
    const loggedInWithNetrc = async (): Promise<string> => {
      const { instance } = await logInAs(t.artikey, fake, alice.username);
      await t.artikey.configureTool(instance.id, { kind: 'netrc', path: netrc(), machine: '127.0.0.1' });
      return instance.id;
    };
    const snapshot = async (id: string) => ({
      state: readFileSync(t.stateFile, 'utf8'),
      secrets: await t.vault.read(id),
      netrc: readFileSync(netrc(), 'utf8'),
    });

    it('is refused with a password, naming both users and the tool files, before any token is created', async () => {
      t = testArtikey(fake);
      const id = await loggedInWithNetrc();
      const before = await snapshot(id);
      fake.requests.clear();
      // A permissive server (token generation via the API with Basic enabled): the password login names its user up front.
      fake.config.allowBasicAuthTokenCreation = true;
      onTestFinished(() => {
        fake.config.allowBasicAuthTokenCreation = false;
      });
      const refusal = t.artikey.loginWithPassword({ url: fake.url, ...bob });
      await expect(refusal).rejects.toMatchObject({ code: 'user-mismatch' });
      await expect(refusal).rejects.toThrow(new RegExp(`logged in as alice.*bob.*${netrc().replace(/[.]/g, '\\.')}`, 's'));
      expect(tokenPosts()).toHaveLength(0);
      expect(await snapshot(id)).toEqual(before);
    });

    it('is refused through the browser once the token shows the user, and the new token is revoked', async () => {
      t = testArtikey(fake);
      const id = await loggedInWithNetrc();
      const before = await snapshot(id);
      const bobBefore = liveTokens('bob').length;
      const refusal = t.artikey.loginWithBrowser({ url: fake.url, onPrompt: (prompt) => fake.approveLogin(new URL(prompt.url).searchParams.get('jfClientSession') ?? '', 'bob') });
      await expect(refusal).rejects.toMatchObject({ code: 'user-mismatch' });
      await expect(refusal).rejects.toThrow(/the new token was revoked again/);
      expect(liveTokens('bob')).toHaveLength(bobBefore);
      expect(await snapshot(id)).toEqual(before);
    });

    it('proceeds with replaceUser: the tool files carry the new user and token, and the old token is revoked', async () => {
      t = testArtikey(fake);
      const id = await loggedInWithNetrc();
      const old = (await t.artikey.instance(id)).token.tokenId;
      const { instance } = await logInAs(t.artikey, fake, bob.username, { replaceUser: true });
      expect(instance.username).toBe('bob');
      const secrets = await t.vault.read(id);
      const file = readFileSync(netrc(), 'utf8');
      expect(file).toContain('login bob');
      expect(file).toContain(secrets?.accessToken ?? 'x');
      expect(fake.tokens.byId(old ?? '')?.revoked).toBe(true);
    });

    it('compares user names without regard to case', async () => {
      t = testArtikey(fake);
      const { instance } = await logInAs(t.artikey, fake, alice.username);
      // As recorded when the person typed their name the way a case-insensitive server accepts it.
      writeFileSync(t.stateFile, readFileSync(t.stateFile, 'utf8').replace('"username": "alice"', '"username": "ALICE"'));
      expect((await t.artikey.instance(instance.id)).username).toBe('ALICE');
      await expect(logInAs(t.artikey, fake, alice.username)).resolves.toBeTruthy();
    });
  });
});

describe('artikey login --replace', () => {
  let fake: FakeArtifactory;
  let cli: SourceCli;
  beforeAll(async () => {
    // A permissive server (token generation via the API with Basic enabled): with a password the
    // CLI knows the user before it asks for a token, and refuses another one up front.
    fake = await startFakeArtifactory({ config: { allowBasicAuthTokenCreation: true } });
    cli = sourceCli();
  });
  afterAll(async () => {
    await cli.run(['logout', fake.url]);
    cli.cleanup();
    await fake.stop();
  });

  it('refuses another user without it, and replaces the user with it', async () => {
    const first = await cli.run(['login', fake.url, '--user', 'alice', '--password-stdin'], { input: alice.password });
    expect(first.code, first.stderr).toBe(0);
    const refused = await cli.run(['login', fake.url, '--user', 'bob', '--password-stdin'], { input: bob.password });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/logged in as alice.*--replace.*\[user-mismatch\]/s);
    expect(JSON.parse((await cli.run(['list', '--json'])).stdout)).toMatchObject([{ username: 'alice' }]);
    const replaced = await cli.run(['login', fake.url, '--user', 'bob', '--password-stdin', '--replace'], { input: bob.password });
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(replaced.stdout).toMatch(/as bob/);
  });
});
