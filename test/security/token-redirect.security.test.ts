import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AccessClient, type Credentials } from '../../electron/core/access.js';
import { createHttpClient, HttpError } from '../../electron/core/http.js';
import { FakeClock } from '../fake-artifactory/clock.js';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import { startAttackerServer, type AttackerServer } from '../support/attacker-server.js';
import { testArtikey, type TestArtikey } from '../support/artikey.js';
import { logInAs } from '../support/browser-login.js';

/**
 * Threat: a hostile or misconfigured server (or a proxy in front of it) answers the token
 * endpoint with a redirect to a host it controls. A 307/308 makes an HTTP client re-send the POST
 * body, which carries the refresh token and the access token; replaying them there mints a new
 * pair for the attacker. Token requests must follow no redirect at all, and no request with a
 * body may follow one to another origin.
 */
const TOKENS = '/access/api/v1/tokens';
const STATUSES = [301, 302, 303, 307, 308] as const;

describe('a redirect on the token endpoint never carries a token to another host', () => {
  let fake: FakeArtifactory;
  let attacker: AttackerServer;
  let t: TestArtikey;
  let id: string;
  beforeAll(async () => {
    fake = await startFakeArtifactory({ clock: new FakeClock({ frozen: true }) });
    attacker = await startAttackerServer();
    t = testArtikey(fake);
    const login = await logInAs(t.artikey, fake, DEMO_USER.name);
    id = login.instance.id;
  });
  afterAll(async () => {
    await t.vault.erase(id);
    t.cleanup();
    await attacker.stop();
    await fake.stop();
  });
  afterEach(() => {
    fake.faults.clear();
    attacker.captured.length = 0;
  });

  /** The refresh is refused, nothing reaches the other host, and the pair in the keychain still works. */
  async function expectRefusedAndIntact(redirectHost: string): Promise<void> {
    const before = await t.vault.read(id);
    const refreshes = fake.tokens.refreshCount;
    await expect(t.artikey.refresh(id)).rejects.toThrow(
      `the server redirected a token request to ${redirectHost}; refusing`,
    );
    expect(attacker.captured).toEqual([]);
    expect(await t.vault.read(id)).toEqual(before);
    expect(fake.tokens.refreshCount).toBe(refreshes);
    // The refresh token was neither spent nor leaked: the next refresh succeeds with it.
    const view = await t.artikey.refresh(id);
    expect(view.status).toBe('active');
    expect(fake.tokens.refreshCount).toBe(refreshes + 1);
    const after = await t.vault.read(id);
    expect(after?.refreshToken).toBeTruthy();
    expect(after?.refreshToken).not.toBe(before?.refreshToken);
  }

  for (const status of STATUSES) {
    it(`refuses a ${status} from the refresh POST to another host and keeps the session`, async () => {
      fake.faults.add({
        method: 'POST',
        path: TOKENS,
        times: 1,
        action: { kind: 'redirect', to: attacker.url, status },
      });
      await expectRefusedAndIntact(attacker.host);
    });
  }

  it('refuses a same-origin redirect on the token endpoint too', async () => {
    fake.faults.add({
      method: 'POST',
      path: TOKENS,
      times: 1,
      action: { kind: 'redirect', to: fake.url, status: 307 },
    });
    fake.requests.clear();
    await expectRefusedAndIntact(fake.host);
    // One refused POST, then the one refresh that worked: the redirect itself was never followed.
    expect(fake.requests.list({ method: 'POST', path: TOKENS }).map((r) => r.fault)).toEqual([
      'redirect',
      null,
    ]);
  });

  it('records the refusal, not a missing access token, in the activity log', async () => {
    fake.faults.add({
      method: 'POST',
      path: TOKENS,
      times: 1,
      action: { kind: 'redirect', to: attacker.url, status: 308 },
    });
    await t.artikey.refresh(id).catch(() => undefined);
    const [latest] = await t.artikey.activity(1);
    expect(latest?.kind).toBe('refresh-failed');
    expect(latest?.message).toContain(
      `the server redirected a token request to ${attacker.host}; refusing`,
    );
    expect(latest?.message).not.toMatch(/without an access token/);
  });

  // The redirect comes before the server looks at the credentials: a strict server refusing
  // passwords would only answer later, so this password login needs no permissive knob.
  it('refuses a redirect of the password login, whose token request carries the password', async () => {
    fake.faults.add({
      method: 'POST',
      path: TOKENS,
      times: 1,
      action: { kind: 'redirect', to: attacker.url, status: 307 },
    });
    const other = testArtikey(fake);
    try {
      await expect(
        other.artikey.loginWithPassword({
          url: fake.url,
          username: DEMO_USER.name,
          password: DEMO_USER.password,
        }),
      ).rejects.toThrow(`the server redirected a token request to ${attacker.host}; refusing`);
      expect(attacker.captured).toEqual([]);
      expect(await other.artikey.list()).toEqual([]);
    } finally {
      other.cleanup();
    }
  });
});

describe('every Access call that sends or receives a secret follows no redirect', () => {
  let fake: FakeArtifactory;
  let attacker: AttackerServer;
  let client: AccessClient;
  const alice: Credentials = {
    kind: 'basic',
    username: DEMO_USER.name,
    password: DEMO_USER.password,
  };
  beforeAll(async () => {
    fake = await startFakeArtifactory({ clock: new FakeClock({ frozen: true }) });
    attacker = await startAttackerServer();
    client = new AccessClient(
      createHttpClient({ env: {}, sleep: () => Promise.resolve() }),
      `${fake.url}/`,
    );
  });
  afterAll(async () => {
    await attacker.stop();
    await fake.stop();
  });
  afterEach(() => {
    fake.faults.clear();
    attacker.captured.length = 0;
  });

  const calls: {
    name: string;
    method: string;
    path: string | RegExp;
    call: () => Promise<unknown>;
  }[] = [
    {
      name: 'token creation',
      method: 'POST',
      path: TOKENS,
      call: () => client.createToken(alice, { refreshable: true }),
    },
    {
      name: 'refresh',
      method: 'POST',
      path: TOKENS,
      call: () => client.refreshToken('eyJ.access.token', randomUUID()),
    },
    {
      name: 'browser-login start',
      method: 'POST',
      path: '/access/api/v2/authentication/jfrog_client_login/request',
      call: () => client.startWebLogin(randomUUID()),
    },
    {
      name: 'browser-login token collection',
      method: 'GET',
      path: '/access/api/v2/authentication/jfrog_client_login/token/*',
      call: () => client.pollWebLogin(randomUUID()),
    },
    {
      name: 'API key read',
      method: 'GET',
      path: '/artifactory/api/security/apiKey',
      call: () => client.apiKey(alice),
    },
    {
      name: 'API key revocation',
      method: 'DELETE',
      path: '/artifactory/api/security/apiKey',
      call: () => client.revokeApiKey(alice),
    },
    {
      name: 'token revocation',
      method: 'DELETE',
      path: '/access/api/v1/tokens/*',
      call: () => client.revokeToken(alice, randomUUID()),
    },
  ];

  for (const { name, method, path, call } of calls) {
    it(`${name}: a 307 to another host is refused and nothing reaches it`, async () => {
      fake.faults.add({
        method,
        path,
        times: 1,
        action: { kind: 'redirect', to: attacker.url, status: 307 },
      });
      await expect(call()).rejects.toMatchObject({
        code: 'redirect-refused',
        message: expect.stringContaining(
          `the server redirected a token request to ${attacker.host}; refusing`,
        ),
      });
      expect(attacker.captured).toEqual([]);
    });
  }

  it('ordinary reads still follow a same-origin redirect', async () => {
    fake.faults.add({
      method: 'GET',
      path: '/artifactory/api/system/version',
      times: 1,
      action: { kind: 'redirect', to: fake.url },
    });
    expect((await client.identify()).version).toBe(fake.config.artifactoryVersion);
  });
});

describe('the HTTP client never carries a request body to another origin', () => {
  let fake: FakeArtifactory;
  let attacker: AttackerServer;
  const http = createHttpClient({ env: {}, sleep: () => Promise.resolve() });
  beforeAll(async () => {
    fake = await startFakeArtifactory();
    attacker = await startAttackerServer();
  });
  afterAll(async () => {
    await attacker.stop();
    await fake.stop();
  });
  afterEach(() => {
    fake.faults.clear();
    attacker.captured.length = 0;
  });

  for (const status of STATUSES) {
    it(`refuses a ${status} to another origin for a POST with a body, naming the host but not the query`, async () => {
      fake.faults.add({
        method: 'POST',
        path: '/anything',
        times: 1,
        action: { kind: 'redirect', to: attacker.url, status },
      });
      const error = await http({
        method: 'POST',
        url: `${fake.url}/anything?token=query-canary`,
        body: '{"refresh_token":"body-canary"}',
        headers: { 'Content-Type': 'application/json' },
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HttpError);
      expect(error).toMatchObject({
        code: 'redirect-refused',
        message: expect.stringContaining(attacker.host),
      });
      expect((error as Error).message).not.toMatch(/canary/);
      expect(attacker.captured).toEqual([]);
    });
  }

  it('still follows a same-origin 307 for a POST, body and all', async () => {
    fake.faults.add({
      method: 'POST',
      path: TOKENS,
      times: 1,
      action: { kind: 'redirect', to: fake.url, status: 307 },
    });
    const response = await http({
      method: 'POST',
      url: `${fake.url}${TOKENS}`,
      body: '{"grant_type":"client_credentials"}',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(response.status).toBe(401);
    expect(fake.requests.list({ method: 'POST', path: TOKENS })).toHaveLength(2);
  });

  it('with redirects off, hands back the 3xx itself', async () => {
    fake.faults.add({
      method: 'GET',
      path: '/artifactory/api/system/ping',
      times: 1,
      action: { kind: 'redirect', to: fake.url, status: 302 },
    });
    const response = await http({
      method: 'GET',
      url: `${fake.url}/artifactory/api/system/ping`,
      redirects: 'none',
    });
    expect(response.status).toBe(302);
    expect(response.headers.location).toBe(`${fake.url}/artifactory/api/system/ping`);
  });
});
