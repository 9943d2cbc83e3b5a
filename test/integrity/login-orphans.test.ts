import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { osKeychain } from '../../electron/core/keychain.js';
import { Vault } from '../../electron/core/vault.js';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import type { TokenRecord } from '../fake-artifactory/token-store.js';
import { ensureBuilt, root } from '../support/built.js';
import { artikeyEnv, runClient, scratchHome, type ClientRun } from '../support/clients.js';

/**
 * A login killed after the server created its token and before the keychain stored it leaves a
 * live token nobody knows of (and, killed after storing it, the token it replaced). Each login
 * records a marker first and names its token after it; the next Artikey login or refresh of that
 * instance, holding a working token under the instance's lock, revokes what such a killed login
 * left. The kill is made deterministic by the fake holding back its answer (to the token request,
 * or to the root-certificate request that comes between storing and revoking): the server has
 * acted, the login never hears of it, and is killed then.
 */
describe('a login killed between the server creating its token and the keychain storing it', () => {
  let fake: FakeArtifactory;
  let scratch: ReturnType<typeof scratchHome>;
  let env: NodeJS.ProcessEnv;
  const cli = `${root}dist/cli/artikey.js`;
  const artikey = (args: string[], input = ''): Promise<ClientRun> => runClient(process.execPath, [cli, ...args], { env, input });
  const login = (): Promise<ClientRun> => artikey(['login', fake.url, '--no-browser', '--name', 'acme']);

  const liveArtikeyTokens = (): TokenRecord[] => fake.tokens.listed().filter((t) => t.username === DEMO_USER.name && t.description?.startsWith('Artikey') === true);
  const keychainToken = async (): Promise<string | undefined> => {
    const state = JSON.parse(readFileSync(join(scratch.home, '.config', 'artikey', 'state.json'), 'utf8')) as { instances: { id: string }[] };
    const vault = new Vault(osKeychain({ service: env['ARTIKEY_KEYCHAIN_SERVICE']! }));
    return (await vault.read(state.instances[0]!.id))?.accessToken;
  };
  const markers = (): { nonce: string; pid: number }[] => {
    const file = join(scratch.home, '.config', 'artikey', 'state.json');
    return existsSync(file) ? ((JSON.parse(readFileSync(file, 'utf8')) as { pendingLogins?: { nonce: string; pid: number }[] }).pendingLogins ?? []) : [];
  };

  /** An `artikey login` of the demo user in its own process, and a way to SIGKILL it. */
  const startLogin = (): { pid: number; kill: () => Promise<void> } => {
    const child = spawn(process.execPath, [cli, 'login', fake.url, '--no-browser', '--name', 'acme'], { env, stdio: ['ignore', 'ignore', 'ignore'] });
    const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
    return {
      pid: child.pid!,
      kill: async () => {
        child.kill('SIGKILL');
        await closed;
      },
    };
  };
  /** Polls until `done` holds, for at most ten seconds. */
  const waitUntil = async (done: () => boolean): Promise<void> => {
    for (let i = 0; i < 400 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 25));
  };

  /** A login whose token the server has created and not yet handed over: resolves once it exists, with a way to kill the login. */
  const loginInTheWindow = async (): Promise<{ orphan: TokenRecord; kill: () => Promise<void>; pid: number }> => {
    const before = new Set(fake.tokens.all().map((t) => t.id));
    fake.faults.add({ method: 'POST', path: '/access/api/v1/tokens', times: 1, action: { kind: 'hold-answer' } });
    const login = startLogin();
    let orphan: TokenRecord | undefined;
    // The browser login's own token comes first; the login's token is the one named after its marker.
    await waitUntil(() => (orphan = fake.tokens.all().find((t) => !before.has(t.id) && t.description?.startsWith('Artikey') === true)) !== undefined);
    if (!orphan) throw new Error('the login never asked the server for a token');
    return { orphan, ...login };
  };
  const killedLogin = async (): Promise<TokenRecord> => {
    const { orphan, kill } = await loginInTheWindow();
    await kill();
    expect(fake.tokens.lookup(orphan.jwt).ok, 'the killed login left its token live on the server').toBe(true);
    return orphan;
  };
  /** The server holds one live Artikey token of the user: the one in the keychain. */
  const onlyTheKeychainsToken = async (): Promise<void> => {
    const held = await keychainToken();
    expect(liveArtikeyTokens().map((t) => t.id)).toEqual([fake.tokens.find(held ?? '')?.id]);
  };

  beforeAll(async () => {
    ensureBuilt();
    fake = await startFakeArtifactory({ approveBrowserLoginsAs: DEMO_USER.name });
  });
  afterAll(() => fake.stop());
  beforeEach(() => {
    scratch = scratchHome();
    env = artikeyEnv(scratch);
  });
  afterEach(async () => {
    fake.faults.clear();
    for (const token of fake.tokens.all()) fake.tokens.revoke(token);
    const keychain = osKeychain({ service: env['ARTIKEY_KEYCHAIN_SERVICE']! });
    for (const account of await keychain.accounts()) await keychain.delete(account);
    scratch.cleanup();
  });

  it('the next login revokes the token the killed one left: one live Artikey token remains', async () => {
    const orphan = await killedLogin();

    const again = await login();
    expect(again.code, again.stderr).toBe(0);
    await onlyTheKeychainsToken();
    expect(fake.tokens.lookup(orphan.jwt).ok).toBe(false);
    expect(markers()).toEqual([]);
    // Named so that it still reads well in the JFrog UI's token list; the activity log says what was done.
    expect(orphan.description).toMatch(/^Artikey on .+ \(login [0-9a-f]{8}\)$/);
    // Its own token, and the long-lived one the browser login handed it to buy that with.
    expect(readFileSync(join(scratch.home, '.config', 'artikey', 'activity.jsonl'), 'utf8')).toContain('Revoked 2 token(s) left on the server by a login that was stopped before it finished');
  }, 60_000);

  it('the long-lived token the browser login handed out, held by the killed login, is revoked too', async () => {
    const before = new Set(fake.tokens.all().map((t) => t.id));
    const { orphan, kill } = await loginInTheWindow();
    // The year-long token the browser login handed out: it bought the login's own, and carries no Artikey name.
    const handedOut = fake.tokens.all().find((t) => !before.has(t.id) && t.id !== orphan.id);
    expect(handedOut, 'the browser login handed out a token').toBeDefined();
    await kill();
    expect(fake.tokens.lookup(handedOut!.jwt).ok, 'the killed login left it live').toBe(true);

    const again = await login();
    expect(again.code, again.stderr).toBe(0);
    const held = fake.tokens.find((await keychainToken()) ?? '');
    const live = fake.tokens.listed().filter((t) => t.username === DEMO_USER.name && fake.tokens.lookup(t.jwt).ok);
    expect(live.map((t) => t.id), 'only the keychain’s token is live').toEqual([held?.id]);
    expect(markers()).toEqual([]);
  }, 60_000);

  it('a re-login killed while the old session is in the keychain: the next refresh revokes its token', async () => {
    expect((await login()).code).toBe(0);
    const orphan = await killedLogin();

    const refresh = await artikey(['refresh', 'acme']);
    expect(refresh.code, refresh.stderr).toBe(0);
    await onlyTheKeychainsToken();
    expect(fake.tokens.lookup(orphan.jwt).ok).toBe(false);
    expect(markers()).toEqual([]);
  }, 60_000);

  it('a sweep that fails fails neither the login nor the refresh, keeps the marker, and the next one sweeps', async () => {
    const orphan = await killedLogin();
    const listing = fake.faults.add({ method: 'GET', path: '/access/api/v1/tokens', action: { kind: 'status', status: 500, body: '{"errors":[{"code":"INTERNAL","message":"down"}]}', contentType: 'application/json' } });

    const loggedIn = await login();
    expect(loggedIn.code, loggedIn.stderr).toBe(0);
    expect(fake.tokens.lookup(orphan.jwt).ok).toBe(true);
    expect(markers()).toHaveLength(1);
    const refreshed = await artikey(['refresh', 'acme']);
    expect(refreshed.code, refreshed.stderr).toBe(0);
    expect(fake.tokens.lookup(orphan.jwt).ok).toBe(true);
    expect(markers()).toHaveLength(1);

    fake.faults.remove(listing);
    const next = await artikey(['refresh', 'acme']);
    expect(next.code, next.stderr).toBe(0);
    await onlyTheKeychainsToken();
    expect(fake.tokens.lookup(orphan.jwt).ok).toBe(false);
    expect(markers()).toEqual([]);
  }, 60_000);

  it('a re-login killed after storing its token and before revoking the one it replaced: the next refresh revokes that one', async () => {
    expect((await login()).code).toBe(0);
    const replaced = fake.tokens.find((await keychainToken())!)!;
    // Between storing and revoking, the login reads the root certificate: held there, it is killed.
    const certificate = '/access/api/v1/cert/root';
    const asked = fake.requests.list({ path: certificate }).length;
    fake.faults.add({ method: 'GET', path: certificate, times: 1, action: { kind: 'hold-answer' } });
    const killed = startLogin();
    await waitUntil(() => fake.requests.list({ path: certificate }).length > asked);
    await killed.kill();
    expect(fake.tokens.find((await keychainToken())!)!.id, 'the new token was stored').not.toBe(replaced.id);
    expect(fake.tokens.lookup(replaced.jwt).ok, 'the replaced token is still live').toBe(true);

    const refresh = await artikey(['refresh', 'acme']);
    expect(refresh.code, refresh.stderr).toBe(0);
    await onlyTheKeychainsToken();
    expect(fake.tokens.lookup(replaced.jwt).ok).toBe(false);
    expect(markers()).toEqual([]);
  }, 60_000);

  it('a token the server creates after the killed login is gone is still swept: its marker waits for it', async () => {
    expect((await login()).code).toBe(0);
    // The request reaches the server, which has not acted on it yet when the login is killed.
    const path = '/access/api/v1/tokens';
    const asked = fake.requests.list({ method: 'POST', path }).length;
    fake.faults.add({ method: 'POST', path, times: 1, action: { kind: 'hang' } });
    const killed = startLogin();
    await waitUntil(() => fake.requests.list({ method: 'POST', path }).length > asked);
    await killed.kill();
    const [marker] = markers();
    expect(marker, 'the killed login left its marker').toBeDefined();

    const refresh = await artikey(['refresh', 'acme']);
    expect(refresh.code, refresh.stderr).toBe(0);
    expect(markers().map((m) => m.nonce), 'nothing to sweep yet: the marker stays').toEqual([marker!.nonce]);
    // The server gets round to the dead login's request only now.
    const late = fake.tokens.issue({ username: DEMO_USER.name, scope: 'applied-permissions/user', expiresIn: 43_200, refreshable: true, description: `Artikey on elsewhere (login ${marker!.nonce})` });

    const next = await artikey(['refresh', 'acme']);
    expect(next.code, next.stderr).toBe(0);
    expect(fake.tokens.lookup(late.jwt).ok).toBe(false);
    await onlyTheKeychainsToken();
    expect(markers()).toEqual([]);
  }, 60_000);

  it("a login still running keeps its token: another one does not sweep it, and once it is killed the next refresh does", async () => {
    const running = await loginInTheWindow();
    try {
      const other = await login();
      expect(other.code, other.stderr).toBe(0);
      expect(fake.tokens.lookup(running.orphan.jwt).ok, 'the running login’s token is still live').toBe(true);
      expect(markers().map((m) => m.pid)).toEqual([running.pid]);
    } finally {
      await running.kill();
    }

    const refresh = await artikey(['refresh', 'acme']);
    expect(refresh.code, refresh.stderr).toBe(0);
    await onlyTheKeychainsToken();
    expect(fake.tokens.lookup(running.orphan.jwt).ok).toBe(false);
    expect(markers()).toEqual([]);
  }, 60_000);
});
