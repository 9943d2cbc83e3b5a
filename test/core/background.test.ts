import { readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Artikey } from '../../electron/core/artikey.js';
import { agentSocketPath, askAgent } from '../../electron/core/agent-socket.js';
import { startBackground, type Background } from '../../electron/core/background.js';
import { createHttpClient } from '../../electron/core/http.js';
import type { Notice } from '../../electron/core/notices.js';
import { FakeClock } from '../fake-artifactory/clock.js';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import { testArtikey, type TestArtikey } from '../support/artikey.js';
import { logInAs } from '../support/browser-login.js';

/** The engine the app and `artikey agent` share, with real timers, sockets and file watching. */
describe('background engine', () => {
  let fake: FakeArtifactory;
  let t: TestArtikey;
  let running: Background[] = [];
  const logs: string[] = [];
  const logger = {
    info: (m: string) => logs.push(m),
    warn: (m: string) => logs.push(m),
    error: (m: string) => logs.push(m),
  };

  beforeAll(async () => {
    fake = await startFakeArtifactory({ clock: new FakeClock({ frozen: true }) });
  });
  afterAll(() => fake.stop());
  afterEach(async () => {
    for (const b of running) await b.stop();
    running = [];
    for (const instance of await t.artikey.list()) await t.vault.erase(instance.id);
    fake.faults.clear();
    t.cleanup();
  });

  const start = async (
    shown: Notice[] = [],
    extra: Partial<Parameters<typeof startBackground>[0]> = {},
  ) => {
    const background = await startBackground({
      artikey: t.artikey,
      stateFile: t.stateFile,
      platform: 'linux',
      logger,
      showNotice: (n) => void shown.push(n),
      ...extra,
    });
    running.push(background);
    return background;
  };
  /** Another process on the same state file and keychain: what the CLI is to the app. */
  const otherProcess = (): Artikey =>
    new Artikey({
      stateFile: t.stateFile,
      vault: t.vault,
      httpFor: () => Promise.resolve(createHttpClient({ env: {}, sleep: () => Promise.resolve() })),
      now: () => fake.clock.now(),
      sleep: () => Promise.resolve(),
    });

  it('answers the Docker helper over its socket; a second engine leaves that to the first', async () => {
    t = testArtikey(fake);
    const { instance } = await logInAs(t.artikey, fake, DEMO_USER.name);
    const first = await start();
    expect(first.servingDockerHelper).toBe(true);
    const reply = await askAgent(agentSocketPath(dirname(t.stateFile), 'linux'), {
      op: 'docker-get',
      server: fake.host,
    });
    expect(reply).toEqual({
      ok: true,
      answer: { username: 'alice', secret: (await t.vault.read(instance.id))?.accessToken },
    });
    const second = await start();
    expect(second.servingDockerHelper).toBe(false);
    expect(first.nextRefreshes().get(instance.id)).toBeGreaterThan(Date.now() / 1000);
  });

  it('sees a login made by another process, plans it and tells the app', async () => {
    t = testArtikey(fake);
    await logInAs(t.artikey, fake, DEMO_USER.name);
    let told = 0;
    const background = await start([], { onStateFileChanged: () => void told++ });
    expect(background.nextRefreshes().size).toBe(1);
    const cli = otherProcess();
    const { instance } = await logInAs(cli, fake, DEMO_USER.name, {
      url: `${fake.url}/`,
      name: 'again',
    });
    await t.artikey.rename(instance.id, 'renamed');
    await expect.poll(() => told, { timeout: 5000 }).toBeGreaterThan(0);
    await cli.logout(instance.id);
    await expect.poll(() => background.nextRefreshes().size, { timeout: 5000 }).toBe(0);
  });

  it('a failing refresh keeps its backoff: other writes to the state file do not re-plan it at once', async () => {
    t = testArtikey(fake);
    fake.clock.set(Date.now() - 280_000);
    await logInAs(t.artikey, fake, DEMO_USER.name, { lifetimeSeconds: 300 });
    fake.clock.set(Date.now());
    // The token is 280 s old: due now. (Backdating reads as clock skew, so the state is aged by hand.)
    const state = JSON.parse(readFileSync(t.stateFile, 'utf8')) as {
      instances: { clockOffsetSeconds: number }[];
    };
    for (const instance of state.instances) instance.clockOffsetSeconds = 0;
    writeFileSync(t.stateFile, JSON.stringify(state));
    fake.faults.add({
      method: 'POST',
      path: '/access/api/v1/tokens',
      action: { kind: 'status', status: 503 },
    });
    fake.requests.clear();
    const failures: string[] = [];
    const background = await start([], { onFailed: (_id, code) => void failures.push(code) });
    await expect.poll(() => failures.length, { timeout: 5000 }).toBeGreaterThan(0);
    // Any write to the state file (here a rename from the window) must not cut the backoff short.
    await t.artikey.rename((await t.artikey.list())[0]!.id, 'renamed while backing off');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(fake.requests.list({ method: 'POST', path: '/access/api/v1/tokens' })).toHaveLength(
      failures.length,
    );
    expect(failures).toHaveLength(1);
    const [at] = background.nextRefreshes().values();
    expect(at).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) + 15);
  });

  it('shows each due notice once, and retries one that could not be shown', async () => {
    t = testArtikey(fake);
    const token = fake.issueToken({
      username: 'bob',
      expiresIn: 1800,
      scope: 'artifact:npm-virtual:r',
    }).jwt;
    await t.artikey.loginWithToken({ url: fake.url, token });
    const shown: Notice[] = [];
    let failOnce = true;
    const background = await start(shown, {
      showNotice: (notice) => {
        if (failOnce) {
          failOnce = false;
          throw new Error('no notification daemon');
        }
        shown.push(notice);
      },
    });
    expect(shown).toEqual([]);
    await background.recheck();
    expect(shown.map((n) => n.kind)).toEqual(['expiring']);
    await background.recheck();
    expect(shown).toHaveLength(1);
    expect(logs.join('\n')).toContain('no notification daemon');
  });

  it('shows a due notice once when two re-checks overlap (a timer and a wake, say)', async () => {
    t = testArtikey(fake);
    const shown: Notice[] = [];
    const background = await start(shown);
    const token = fake.issueToken({
      username: 'bob',
      expiresIn: 1800,
      scope: 'artifact:npm-virtual:r',
    }).jwt;
    // The login re-plans by itself; a wake from sleep asks for another re-check meanwhile.
    await t.artikey.loginWithToken({ url: fake.url, token });
    await Promise.all([background.recheck(), background.recheck()]);
    await background.recheck();
    expect(shown.map((n) => n.title)).toEqual([expect.stringMatching(/token expires in/)]);
  });

  it('tells of a revocation another process found (the window’s Check now, artikey inspect)', async () => {
    t = testArtikey(fake);
    const { instance } = await logInAs(t.artikey, fake, DEMO_USER.name);
    const shown: Notice[] = [];
    await start(shown);
    fake.tokens.revoke(fake.tokens.byId((await t.artikey.instance(instance.id)).token.tokenId!)!);
    await otherProcess().inspect(instance.id);
    await expect.poll(() => shown.map((n) => n.kind), { timeout: 5000 }).toEqual(['revoked']);
  });
});
