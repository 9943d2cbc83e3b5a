import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { targetSpec } from '../../electron/core/targets/tool-request.js';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import { testArtikey, type TestArtikey } from '../support/artikey.js';
import { logInAs } from '../support/browser-login.js';

/**
 * A refresh killed after the keychain stored the new pair and before the state and the tool
 * files were told: the keychain is ahead, the files hold the token the server just revoked. The
 * next Artikey call that looks at the instance under its lock finishes that work: the state
 * describes the keychain's token and every tool file gets it. (The state of such a kill is made
 * here by doing the first half of a refresh by hand: the server's refresh, then the keychain.)
 */
describe('work a killed process left half-done is finished by the next one', () => {
  let fake: FakeArtifactory;
  let t: TestArtikey;
  let id: string;
  let npmrc: string;
  /** Tokens the server had before the test: other tests' sessions on the same fake. */
  let earlier: Set<string>;
  const liveSinceTestBegan = () => fake.tokens.listed().filter((token) => !earlier.has(token.id));
  beforeAll(async () => {
    fake = await startFakeArtifactory();
  });
  afterAll(() => fake.stop());
  beforeEach(async () => {
    earlier = new Set(fake.tokens.all().map((token) => token.id));
    t = testArtikey(fake);
    const { instance } = await logInAs(t.artikey, fake, DEMO_USER.name);
    id = instance.id;
    const view = await t.artikey.instance(id);
    const spec = targetSpec('npm', view, { repo: 'npm-virtual' }, { platform: 'linux', env: {}, home: t.home });
    npmrc = spec.path;
    await t.artikey.configureTool(id, spec);
  });
  afterEach(async () => {
    fake.faults.clear();
    await t.vault.erase(id);
    t.cleanup();
  });

  /** The server refreshed and the keychain stored the answer; the process died there. */
  const killedAfterStoring = async (): Promise<string> => {
    const held = (await t.vault.read(id))!;
    const outcome = fake.tokens.refresh(held.refreshToken!);
    if (!outcome.ok) throw new Error(`the fake refused the refresh: ${outcome.reason}`);
    await t.vault.write(id, { accessToken: outcome.token.jwt, refreshToken: outcome.token.refreshToken! });
    expect(fake.tokens.lookup(held.accessToken).ok).toBe(false);
    expect(readFileSync(npmrc, 'utf8')).toContain(held.accessToken);
    return outcome.token.jwt;
  };
  const recordedTokenId = (): string | null =>
    (JSON.parse(readFileSync(join(t.home, '.config', 'artikey', 'state.json'), 'utf8')) as { instances: { token: { tokenId: string | null } }[] }).instances[0]!.token.tokenId;

  it('handing out the token (artikey token, the Docker helper) brings the state and the files up to the keychain', async () => {
    const stored = await killedAfterStoring();
    expect(await t.artikey.accessToken(id)).toBe(stored);
    expect(readFileSync(npmrc, 'utf8')).toContain(`:_authToken=${stored}`);
    expect(recordedTokenId()).toBe(fake.tokens.find(stored)!.id);
  });

  it('the next refresh finishes the interrupted one instead of spending the new refresh token', async () => {
    const stored = await killedAfterStoring();
    const refreshes = fake.tokens.refreshCount;
    const outcome = await t.artikey.refreshIfDue(id);
    expect(outcome.refreshed).toBe(false);
    expect(fake.tokens.refreshCount).toBe(refreshes);
    expect(readFileSync(npmrc, 'utf8')).toContain(`:_authToken=${stored}`);
    expect(outcome.view.token.tokenId).toBe(fake.tokens.find(stored)!.id);
    // And the session goes on: the stored refresh token still works.
    expect((await t.artikey.refreshIfDue(id)).refreshed).toBe(true);
  });

  /** A re-login created its token and the keychain stored it; the process died before the state heard of it. */
  const loginKilledAfterStoring = async (): Promise<{ stored: string; replaced: string }> => {
    const replaced = (await t.vault.read(id))!.accessToken;
    const created = fake.tokens.issue({ username: DEMO_USER.name, expiresIn: 3600, refreshable: true, forceRevocable: true, description: 'Artikey login' });
    await t.vault.write(id, { accessToken: created.jwt, refreshToken: created.refreshToken! });
    return { stored: created.jwt, replaced };
  };
  const live = (jwt: string): boolean => fake.tokens.lookup(jwt).ok;

  it('revoke revokes the token the keychain holds, not the one the state still describes', async () => {
    const stored = await killedAfterStoring();
    const { revoked } = await t.artikey.revoke(id);
    expect(revoked).toBe(true);
    expect(live(stored)).toBe(false);
    await expect(t.artikey.accessToken(id)).rejects.toMatchObject({ code: 'login-required' });
  });

  it('logout revokes the token the keychain holds: none stays live on the server', async () => {
    const stored = await killedAfterStoring();
    const outcome = await t.artikey.logout(id);
    expect(outcome.complete).toBe(true);
    expect(live(stored)).toBe(false);
    expect(liveSinceTestBegan()).toEqual([]);
  });

  it('after a login killed there, the token it replaced is revoked once the next call finishes its work', async () => {
    const { stored, replaced } = await loginKilledAfterStoring();
    expect(await t.artikey.accessToken(id)).toBe(stored);
    expect(live(replaced)).toBe(false);
    expect(readFileSync(npmrc, 'utf8')).toContain(`:_authToken=${stored}`);
  });

  it('a revocation recorded for the token before does not refuse the newer one the keychain holds', async () => {
    await t.artikey.revoke(id);
    const { stored } = await loginKilledAfterStoring();
    expect(await t.artikey.accessToken(id)).toBe(stored);
    expect((await t.artikey.instance(id)).revocation.status).not.toBe('revoked');
  });

  it('a re-login after a login killed there leaves exactly one live token on the server', async () => {
    const { stored, replaced } = await loginKilledAfterStoring();
    await logInAs(t.artikey, fake, DEMO_USER.name);
    expect(live(stored)).toBe(false);
    expect(live(replaced)).toBe(false);
    expect(liveSinceTestBegan()).toHaveLength(1);
  });

  /** A revoke (or logout) saved its mark and may have asked the server; the process died there. */
  const revokeKilled = async (serverRevoked: boolean): Promise<string> => {
    const held = (await t.vault.read(id))!.accessToken;
    const statePath = join(t.home, '.config', 'artikey', 'state.json');
    const state = JSON.parse(readFileSync(statePath, 'utf8')) as { instances: Record<string, unknown>[] };
    state.instances[0]!['revoking'] = { tokenId: fake.tokens.find(held)!.id, at: 1 };
    writeFileSync(statePath, JSON.stringify(state));
    if (serverRevoked) fake.tokens.revoke(fake.tokens.find(held)!);
    return held;
  };

  it('a revoke killed after the server revoked: the token is refused, and the next call records it revoked', async () => {
    await revokeKilled(true);
    await expect(t.artikey.accessToken(id)).rejects.toMatchObject({ code: 'login-required' });
    const view = await t.artikey.instance(id);
    expect(view.revocation.status).toBe('revoked');
  });

  it('a revoke killed before the server heard of it is finished by the next call, not forgotten', async () => {
    const held = await revokeKilled(false);
    // Asking the server about it meanwhile must not make it "active" again.
    await t.artikey.inspect(id);
    await expect(t.artikey.accessToken(id)).rejects.toMatchObject({ code: 'login-required' });
    expect(live(held)).toBe(false);
    expect((await t.artikey.instance(id)).revocation.status).toBe('revoked');
  });

  it('a revoke the server refuses takes its mark back: the token is handed out as before', async () => {
    const held = (await t.vault.read(id))!.accessToken;
    fake.faults.add({ method: 'DELETE', path: /^\/access\/api\/v1\/tokens\//, action: { kind: 'status', status: 503 } });
    await expect(t.artikey.revoke(id)).rejects.toThrow();
    fake.faults.clear();
    expect(await t.artikey.accessToken(id)).toBe(held);
    expect(JSON.parse(readFileSync(join(t.home, '.config', 'artikey', 'state.json'), 'utf8')).instances[0].revoking).toBeUndefined();
  });

  it('a token a re-login replaced but could not revoke (killed, or the server down) is revoked by the next call', async () => {
    const replaced = (await t.vault.read(id))!.accessToken;
    fake.faults.add({ method: 'DELETE', path: /^\/access\/api\/v1\/tokens\//, action: { kind: 'status', status: 503 } });
    const { notes } = await logInAs(t.artikey, fake, DEMO_USER.name);
    fake.faults.clear();
    expect(notes.join(' ')).toMatch(/Could not revoke the token this login replaced .*tries again next time/);
    expect(live(replaced)).toBe(true);
    await t.artikey.accessToken(id);
    expect(live(replaced)).toBe(false);
    expect(JSON.parse(readFileSync(join(t.home, '.config', 'artikey', 'state.json'), 'utf8')).instances[0].superseded).toBeUndefined();
  });
});
