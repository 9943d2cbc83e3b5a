import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RefreshScheduler } from '../../electron/core/refresh-scheduler.js';
import { FakeClock } from '../fake-artifactory/clock.js';
import { defaultConfig } from '../fake-artifactory/config.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import { testArtikey, type TestArtikey } from '../support/artikey.js';
import { ManualTimers } from '../support/manual-timers.js';

/**
 * A token's lifetime covers a closed lid; its rotation bounds a leaked copy while the machine is
 * awake (electron/core/token-lifetime.ts). Both are proved on the fake's clock, on the default
 * settings, against a server with no refresh grace: the core's scheduler runs with timers fired
 * by hand, and what the server accepts is asked over HTTP.
 */
const HOUR = 3600;
/** The defaults README documents: tokens live 4 days and are replaced every 4 hours while awake. */
const DEFAULT_LIFETIME_SECONDS = 4 * 24 * HOUR;
const DEFAULT_ROTATION_SECONDS = 4 * HOUR;
const FRIDAY_EVENING = Date.UTC(2026, 10, 20, 18);
/** Jitter moves a refresh earlier only; this much covers the refresh's own round trips. */
const SLACK_SECONDS = 60;

describe('sleeping through a long weekend, and rotating while awake', () => {
  let fake: FakeArtifactory;
  let t: TestArtikey;
  let timers: ManualTimers;
  let scheduler: RefreshScheduler;
  let refreshes: number[];

  beforeAll(async () => {
    fake = await startFakeArtifactory({ clock: new FakeClock({ start: FRIDAY_EVENING, frozen: true }) });
  });
  afterAll(() => fake.stop());
  beforeEach(() => {
    fake.clock.set(FRIDAY_EVENING);
    t = testArtikey(fake);
    timers = new ManualTimers(fake.clock);
    refreshes = [];
    scheduler = new RefreshScheduler({
      host: t.artikey,
      logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
      now: () => fake.clock.now(),
      random: () => 0.5,
      setTimer: timers.set,
      clearTimer: timers.clear,
      onRefreshed: () => refreshes.push(fake.clock.seconds()),
    });
  });
  afterEach(async () => {
    scheduler.stop();
    for (const instance of await t.artikey.list()) await t.vault.erase(instance.id);
    t.cleanup();
    Object.assign(fake.config, defaultConfig());
  });

  const login = async (): Promise<string> =>
    (
      await t.artikey.loginWithBrowser({
        url: fake.url,
        onPrompt: (prompt) => fake.approveLogin(new URL(prompt.url).searchParams.get('jfClientSession') ?? '', 'alice'),
      })
    ).instance.id;

  /** What the server says when the token is used: 200 while it works. */
  const serverAccepts = async (token: string): Promise<number> =>
    (await fetch(`${fake.url}/access/api/v1/tokens/me`, { headers: { authorization: `Bearer ${token}` } })).status;

  /** Awake: fires the scheduler's timers until the clock reaches `until` (epoch seconds). */
  const stayAwake = async (until: number): Promise<void> => {
    for (let at = timers.nextAt(); at !== undefined && at <= until * 1000; at = timers.nextAt()) await timers.fireNext();
    fake.clock.set(until * 1000);
  };

  it('resumes after 72 hours asleep without a login, on the default settings and a server with no grace', async () => {
    expect(fake.config.refreshGraceSeconds).toBe(0);
    const id = await login();
    expect((await t.artikey.instance(id)).tokenLifetimeSeconds).toBe(DEFAULT_LIFETIME_SECONDS);
    await scheduler.recheck();
    // A working day: the token is replaced every rotation interval.
    const start = fake.clock.seconds();
    await stayAwake(start + 9 * HOUR);
    expect(refreshes.length).toBeGreaterThanOrEqual(2);
    // The lid closes: the app refreshes on `suspend`, then the machine sleeps through the weekend.
    const slept = await t.artikey.prepareForSleep();
    expect(slept.map((v) => v.expiresInSeconds)).toEqual([DEFAULT_LIFETIME_SECONDS]);
    scheduler.stop();
    fake.clock.advance(72 * HOUR);
    // Monday: the resume re-check refreshes (the rotation is due), with no grace needed.
    const awake = new RefreshScheduler({
      host: t.artikey,
      logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
      now: () => fake.clock.now(),
      setTimer: timers.set,
      clearTimer: timers.clear,
    });
    await awake.recheck();
    awake.stop();
    const view = await t.artikey.instance(id);
    expect(view).toMatchObject({ status: 'active', refreshError: null, expiresInSeconds: DEFAULT_LIFETIME_SECONDS });
    // What the Docker helper and `artikey token` hand out works on the server.
    const docker = await t.artikey.dockerCredentials(fake.host);
    expect(docker?.username).toBe('alice');
    expect(await serverAccepts(docker?.secret ?? '')).toBe(200);
    expect(await serverAccepts(await t.artikey.accessToken(id))).toBe(200);
  });

  it('resumes after 72 hours even with no suspend signal (the agent), the lid closed just before a rotation was due', async () => {
    const id = await login();
    await scheduler.recheck();
    const due = timers.nextAt() ?? 0;
    fake.clock.set(due - 1000);
    scheduler.stop();
    fake.clock.advance(72 * HOUR);
    expect((await t.artikey.instance(id)).expiresInSeconds).toBeGreaterThan(0);
    expect(await serverAccepts(await t.artikey.accessToken(id, 60))).toBe(200);
    expect((await t.artikey.refresh(id)).expiresInSeconds).toBe(DEFAULT_LIFETIME_SECONDS);
  });

  for (const serverRevokes of [true, false]) {
    it(`stops a leaked copy within the rotation interval while awake (${serverRevokes ? 'the server' : 'Artikey'} revokes the token replaced)`, async () => {
      fake.config.revokeAccessTokenOnRefresh = serverRevokes;
      const id = await login();
      const leaked = (await t.vault.read(id))?.accessToken ?? '';
      const issued = fake.clock.seconds();
      expect(await serverAccepts(leaked)).toBe(200);
      await scheduler.recheck();
      await stayAwake(issued + DEFAULT_ROTATION_SECONDS + SLACK_SECONDS);
      expect(refreshes[0]).toBeLessThanOrEqual(issued + DEFAULT_ROTATION_SECONDS);
      expect(await serverAccepts(leaked)).toBe(401);
      // The copy of every later token dies as fast.
      const second = (await t.vault.read(id))?.accessToken ?? '';
      await stayAwake(fake.clock.seconds() + DEFAULT_ROTATION_SECONDS + SLACK_SECONDS);
      expect(await serverAccepts(second)).toBe(401);
      expect(await serverAccepts((await t.vault.read(id))?.accessToken ?? '')).toBe(200);
    });
  }

  it('says once, at login and in the instance, when the server limits tokens below the lifetime asked', async () => {
    // A consistent server: "max-expiry >= default-expiry" (REST "Recommended Configurations").
    fake.config.maxExpirySeconds = 86_400;
    fake.config.defaultExpirySeconds = 86_400;
    for (const mode of ['refuse', 'cap'] as const) {
      fake.config.maxExpiryExceeded = mode;
      const outcome = await t.artikey.loginWithBrowser({
        url: fake.url,
        onPrompt: (prompt) => fake.approveLogin(new URL(prompt.url).searchParams.get('jfClientSession') ?? '', 'alice'),
      });
      const note = 'The server limits tokens to 1 day (Artikey asks for 4 days): after a longer sleep, log in again.';
      expect(outcome.instance).toMatchObject({ expiresInSeconds: 86_400, lifetimeNote: note });
      expect(outcome.notes).toContain(note);
      await scheduler.recheck();
      await stayAwake(fake.clock.seconds() + 3 * 86_400);
      const view = await t.artikey.instance(outcome.instance.id);
      expect(view).toMatchObject({ status: 'active', refreshError: null, lifetimeNote: note });
      expect(refreshes.length).toBeGreaterThanOrEqual(6);
      const activity = await t.artikey.activity();
      expect(activity.filter((entry) => entry.kind === 'refresh-failed')).toEqual([]);
      expect(activity.filter((entry) => entry.message.includes('limits tokens'))).toEqual([]);
      await t.artikey.logout(outcome.instance.id);
      refreshes = [];
    }
  });

  it('warns once, in the activity and the instance, when a refresh ignores the lifetime asked', async () => {
    fake.config.refreshLifetime = 'server-default';
    const id = await login();
    expect((await t.artikey.instance(id)).lifetimeNote).toBeNull();
    await scheduler.recheck();
    await stayAwake(fake.clock.seconds() + 3 * DEFAULT_ROTATION_SECONDS);
    expect(refreshes.length).toBeGreaterThanOrEqual(2);
    const view = await t.artikey.instance(id);
    expect((view.token.expiresAt ?? 0) - (view.token.issuedAt ?? 0)).toBe(fake.config.defaultExpirySeconds);
    expect(view.lifetimeNote).toMatch(/^The server ignored the lifetime Artikey asked for \(4 days\): this token lives 365 days\. Artikey still replaces it every 4 hours/);
    const warnings = (await t.artikey.activity()).filter((entry) => entry.message === view.lifetimeNote);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.kind).toBe('notice');
  });

  describe('a token that expired while the machine slept', () => {
    const expireAsleep = async (sleptSeconds: number): Promise<string> => {
      await t.artikey.updateSettings({ defaultTokenLifetimeSeconds: 12 * HOUR });
      const id = await login();
      fake.clock.advance(12 * HOUR + sleptSeconds);
      await scheduler.recheck();
      return id;
    };

    it('is refreshed on waking inside a 24-hour grace, where the server grants one', async () => {
      fake.config.refreshGraceSeconds = 86_400;
      const id = await expireAsleep(20 * HOUR);
      expect(await t.artikey.instance(id)).toMatchObject({ status: 'active', refreshError: null, expiresInSeconds: 12 * HOUR });
    });

    for (const [grace, slept] of [[86_400, 30 * HOUR], [0, 60]] as const) {
      it(`asks for a new login ${slept / HOUR > 1 ? 'past a 24-hour grace' : 'a minute after expiry with no grace (the default)'}`, async () => {
        fake.config.refreshGraceSeconds = grace;
        const id = await expireAsleep(slept);
        const view = await t.artikey.instance(id);
        expect(view.refreshError).toMatchObject({ code: 'login-required', message: expect.stringMatching(/Log in again/) });
        await expect(t.artikey.accessToken(id)).rejects.toMatchObject({ code: 'login-required' });
      });
    }
  });
});
