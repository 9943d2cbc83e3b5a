import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultHttpFor, type InstanceChange } from '../../electron/core/artikey.js';
import { parseState } from '../../electron/core/state.js';
import { FakeClock } from '../fake-artifactory/clock.js';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import { testArtikey, type TestArtikey } from '../support/artikey.js';
import { logInAs } from '../support/browser-login.js';
import { startTestProxy, type TestProxy } from '../support/proxy.js';

describe('the user’s tokens on the server: listed, and revoked one by one', () => {
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

  it('lists them newest first with the current one marked; revoking another leaves ours alone', async () => {
    t = testArtikey(fake);
    const older = fake.issueToken({
      username: 'alice',
      expiresIn: 30 * 86_400,
      description: 'CI pipeline',
    });
    fake.clock.advance(60);
    const { instance } = await logInAs(t.artikey, fake, DEMO_USER.name);
    fake.clock.advance(60);
    const newer = fake.issueToken({
      username: 'alice',
      expiresIn: 7 * 86_400,
      description: 'laptop',
    });
    fake.issueToken({ username: 'bob', expiresIn: 7 * 86_400 }); // not alice's: not listed
    const changes: InstanceChange[] = [];
    t.artikey.onChanged((change) => changes.push(change));

    const tokens = await t.artikey.serverTokens(instance.id);
    expect(tokens.map((token) => token.tokenId)).toEqual([
      newer.id,
      instance.token.tokenId,
      older.id,
    ]);
    expect(tokens.map((token) => token.current)).toEqual([false, true, false]);
    expect(tokens[2]).toEqual({
      tokenId: older.id,
      subject: older.subject,
      description: 'CI pipeline',
      issuedAt: older.issuedAt,
      expiresAt: older.expiresAt,
      lastUsedAt: null,
      refreshable: false,
      current: false,
    });
    expect(JSON.stringify(tokens)).not.toContain(
      (await t.vault.read(instance.id))?.accessToken ?? 'missing',
    );

    expect(await t.artikey.revoke(instance.id, older.id)).toEqual({
      revoked: true,
      tokenId: older.id,
    });
    expect(fake.tokens.byId(older.id)?.revoked).toBe(true);
    expect((await t.artikey.instance(instance.id)).revocation.status).toBe('active');
    expect(changes).toEqual([]);
    expect((await t.artikey.serverTokens(instance.id)).map((token) => token.tokenId)).toEqual([
      newer.id,
      instance.token.tokenId,
    ]);
    // Already gone: the server says so, nothing fails.
    expect(await t.artikey.revoke(instance.id, older.id)).toEqual({
      revoked: false,
      tokenId: older.id,
    });
  });

  it('revoking the current token marks it revoked and tells the listeners', async () => {
    t = testArtikey(fake);
    const { instance } = await logInAs(t.artikey, fake, DEMO_USER.name);
    const changes: InstanceChange[] = [];
    t.artikey.onChanged((change) => changes.push(change));
    expect(await t.artikey.revoke(instance.id)).toEqual({
      revoked: true,
      tokenId: instance.token.tokenId,
    });
    expect(changes).toEqual([{ instanceId: instance.id, reason: 'revoked' }]);
    expect(await t.artikey.instance(instance.id)).toMatchObject({
      status: 'revoked',
      revocation: { status: 'revoked' },
    });
    await expect(t.artikey.serverTokens(instance.id)).rejects.toMatchObject({
      code: 'unauthorized',
    });
  });
});

describe('how Artikey reaches an instance: its CA bundle and proxy', () => {
  let fake: FakeArtifactory;
  let proxy: TestProxy;
  let t: TestArtikey;
  let caFile: string;
  beforeAll(async () => {
    fake = await startFakeArtifactory({ clock: new FakeClock({ frozen: true }), tls: true });
    proxy = await startTestProxy();
  });
  afterAll(async () => {
    await proxy.stop();
    await fake.stop();
  });
  afterEach(async () => {
    for (const instance of await t.artikey.list()) await t.vault.erase(instance.id);
    t.cleanup();
  });
  /** The default HTTP of the app and the CLI, isolated from this machine's proxy variables. */
  const start = (): TestArtikey => {
    const started = testArtikey(fake, { httpFor: (connection) => defaultHttpFor(connection, {}) });
    caFile = join(started.home, 'certs', 'corp-ca.pem');
    mkdirSync(join(started.home, 'certs'));
    // Only its owner may change a trusted bundle (whatever the umask of the machine running this).
    writeFileSync(caFile, `# Corp CA\n${fake.tls?.caPem ?? ''}`, { mode: 0o644 });
    return started;
  };

  it('refuses a bad CA file or proxy with invalid-option and changes nothing', async () => {
    t = start();
    const { instance } = await logInAs(t.artikey, fake, DEMO_USER.name, { caFile });
    const state = readFileSync(t.stateFile, 'utf8');
    const noCert = join(t.home, 'certs', 'not-a-cert.pem');
    writeFileSync(noCert, '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n');
    const badCa = [
      'certs/corp-ca.pem',
      join(t.home, 'certs', 'missing.pem'),
      join(t.home, 'certs'),
      noCert,
    ];
    for (const bad of badCa)
      await expect(
        t.artikey.setConnection(instance.id, { caFile: bad, proxy: null }),
      ).rejects.toMatchObject({
        code: 'invalid-option',
        message: expect.stringContaining('CA bundle'),
      });
    const badProxy = [
      'proxy.corp:3128',
      'socks5://proxy.corp:1080',
      'ftp://proxy.corp',
      'http://',
      'http://proxy.corp:3128/some/path',
      'http://proxy.corp:3128/?x=1',
      'http://user:Secret-Canary@proxy.corp:3128',
      'not a url',
    ];
    for (const bad of badProxy) {
      const error = await t.artikey
        .setConnection(instance.id, { caFile, proxy: bad })
        .catch((e: unknown) => e as Error & { code: string });
      expect(error).toMatchObject({
        code: 'invalid-option',
        message: expect.stringContaining('proxy'),
      });
      expect((error as Error).message).not.toContain('Secret-Canary');
    }
    expect(readFileSync(t.stateFile, 'utf8')).toBe(state);
  });

  it('sends every request through the instance’s proxy, trusts its CA bundle, and clears both', async () => {
    t = start();
    const { instance } = await logInAs(t.artikey, fake, DEMO_USER.name, { caFile });
    expect(proxy.tunnels).toEqual([]);
    const changes: InstanceChange[] = [];
    t.artikey.onChanged((change) => changes.push(change));

    const view = await t.artikey.setConnection(instance.id, { caFile, proxy: `${proxy.url}/` });
    expect(changes).toEqual([{ instanceId: instance.id, reason: 'connection' }]);
    expect(view.id).toBe(instance.id);
    const detail = await t.artikey.inspect(instance.id);
    expect(detail.connection).toEqual({ caFile, proxy: proxy.url });
    expect(detail.serverVersion).not.toBeNull();
    expect(proxy.tunnels).toContain(`127.0.0.1:${fake.port}`);
    const tunnelled = proxy.tunnels.length;
    fake.clock.advance(60);
    await t.artikey.refresh(instance.id);
    expect(proxy.tunnels.length).toBeGreaterThan(tunnelled);
    // Logging in again keeps going through the proxy.
    await logInAs(t.artikey, fake, DEMO_USER.name);
    expect((await t.artikey.inspect(instance.id)).connection).toEqual({ caFile, proxy: proxy.url });

    // Without the CA bundle the private CA is not trusted: the server cannot be reached.
    await t.artikey.setConnection(instance.id, { caFile: null, proxy: null });
    const before = proxy.tunnels.length;
    const untrusted = await t.artikey.inspect(instance.id);
    expect(untrusted).toMatchObject({
      serverVersion: null,
      connection: { caFile: null, proxy: null },
    });
    expect(proxy.tunnels.length).toBe(before);
  });

  it('reaches an https:// proxy over verified TLS, then tunnels TLS to the instance through it', async () => {
    t = start();
    const { instance } = await logInAs(t.artikey, fake, DEMO_USER.name, { caFile });
    const tlsProxy = await startTestProxy({
      tls: { cert: fake.tls?.certPem ?? '', key: fake.tls?.keyPem ?? '' },
    });
    try {
      await t.artikey.setConnection(instance.id, { caFile, proxy: tlsProxy.url });
      const detail = await t.artikey.inspect(instance.id);
      expect(detail.serverVersion).not.toBeNull();
      expect(tlsProxy.tunnels).toContain(`127.0.0.1:${fake.port}`);
    } finally {
      await tlsProxy.stop();
    }
  });

  it('reads state files from before per-instance proxies as having none', async () => {
    t = start();
    await logInAs(t.artikey, fake, DEMO_USER.name, { caFile });
    const raw = JSON.parse(readFileSync(t.stateFile, 'utf8')) as {
      instances: Record<string, unknown>[];
    };
    for (const instance of raw.instances) delete instance['proxy'];
    const parsed = parseState(JSON.stringify(raw), t.stateFile);
    expect(parsed.instances[0]).toMatchObject({ caFile, proxy: null });
    expect(() =>
      parseState(
        JSON.stringify({ ...raw, instances: [{ ...raw.instances[0], proxy: 3128 }] }),
        t.stateFile,
      ),
    ).toThrow(/damaged/);
  });
});
