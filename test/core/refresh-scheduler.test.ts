import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  dueAgainDelaySeconds,
  MAX_TIMER_MS,
  MIN_REFRESH_INTERVAL_SECONDS,
  RefreshScheduler,
  refreshLead,
  retryDelaySeconds,
} from '../../electron/core/refresh-scheduler.js';
import { FakeClock } from '../fake-artifactory/clock.js';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import { testArtikey, type TestArtikey } from '../support/artikey.js';
import { ManualTimers } from '../support/manual-timers.js';
import { logInAs } from '../support/browser-login.js';

describe('refresh timing', () => {
  it('refreshes 15 % of the lifetime early, between a minute and a day', () => {
    expect(refreshLead(12 * 3600)).toBeCloseTo(6480);
    expect(refreshLead(300)).toBe(60);
    expect(refreshLead(90)).toBe(45);
    expect(refreshLead(365 * 86_400)).toBe(86_400);
  });

  it('backs off from 30 seconds to 15 minutes with jitter', () => {
    expect(retryDelaySeconds(0, () => 0.5)).toBe(30);
    expect(retryDelaySeconds(3, () => 0.5)).toBe(240);
    expect(retryDelaySeconds(10, () => 0.5)).toBe(900);
    expect(retryDelaySeconds(0, () => 0)).toBe(22.5);
    expect(retryDelaySeconds(0, () => 1)).toBe(37.5);
  });

  it('pauses after tokens that arrive already due from 30 seconds, doubling to 15 minutes', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map(dueAgainDelaySeconds)).toEqual([
      30, 60, 120, 240, 480, 900, 900, 900,
    ]);
    // The floor for every refresh sits below the shortest retry: it never moves a normal plan.
    expect(MIN_REFRESH_INTERVAL_SECONDS).toBeLessThan(retryDelaySeconds(0, () => 0));
  });
});

describe('RefreshScheduler with the real core against the fake Artifactory', () => {
  let fake: FakeArtifactory;
  let core: TestArtikey;
  let timers: ManualTimers;
  let scheduler: RefreshScheduler;
  let refreshed: string[];
  let failed: string[];
  let instance: string;

  beforeAll(async () => {
    fake = await startFakeArtifactory({
      clock: new FakeClock({ start: Date.UTC(2026, 10, 22, 12), frozen: true }),
    });
  });
  afterAll(() => fake.stop());
  beforeEach(async () => {
    core = testArtikey(fake);
    timers = new ManualTimers(fake.clock);
    refreshed = [];
    failed = [];
    instance = (
      await logInAs(core.artikey, fake, DEMO_USER.name, { lifetimeSeconds: 3600 })
    ).instance.id;
    scheduler = new RefreshScheduler({
      host: core.artikey,
      logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
      now: () => fake.clock.now(),
      random: () => 0,
      setTimer: timers.set,
      clearTimer: timers.clear,
      onRefreshed: (view) => refreshed.push(view.token.tokenId ?? ''),
      onFailed: (_, code) => failed.push(code),
    });
  });
  afterEach(async () => {
    scheduler.stop();
    await core.vault.erase(instance).catch(() => undefined);
    core.cleanup();
    fake.faults.clear();
    fake.config.issuedTokensExpireAfterSeconds = null;
    fake.config.refreshGraceSeconds = 0;
  });

  it('sets one timer per token at expiry minus the lead, and refreshes when it fires', async () => {
    const changes: unknown[] = [];
    const unsubscribe = core.artikey.onChanged((change) => changes.push(change));
    await scheduler.recheck();
    const issued = fake.clock.seconds();
    expect([...timers.pending.values()].map((t) => t.ms)).toEqual([
      (3600 - refreshLead(3600)) * 1000,
    ]);
    expect(scheduler.nextRefreshes().get(instance)).toBe(issued + 3600 - refreshLead(3600));
    const before = fake.tokens.refreshCount;
    await timers.fireNext();
    expect(fake.tokens.refreshCount - before).toBe(1);
    expect(refreshed).toHaveLength(1);
    expect(changes).toEqual([{ instanceId: instance, reason: 'refresh' }]);
    unsubscribe();
    // The new token gets its own timer, a lifetime later.
    expect(scheduler.nextRefreshes().get(instance)).toBe(
      fake.clock.seconds() + 3600 - refreshLead(3600),
    );
    expect(timers.pending.size).toBe(1);
  });

  it('refreshes at once a token that came due while the machine slept', async () => {
    fake.clock.advance(3500);
    const before = fake.tokens.refreshCount;
    await scheduler.recheck();
    expect(fake.tokens.refreshCount - before).toBe(1);
    expect((await core.artikey.instance(instance)).expiresInSeconds).toBe(3600);
  });

  it('refreshes inside the grace period a token that expired during sleep', async () => {
    fake.config.refreshGraceSeconds = 86_400;
    fake.clock.advance(3600 + 2 * 3600);
    await scheduler.recheck();
    expect(refreshed).toHaveLength(1);
    expect((await core.artikey.instance(instance)).expiresInSeconds).toBe(3600);
  });

  it('chains timers for waits longer than Node allows, never firing early', async () => {
    // Waits that long come only with a rotation interval as long as the lifetime.
    await core.artikey.updateSettings({ rotationIntervalSeconds: 365 * 86_400 });
    await core.artikey.logout(instance);
    instance = (
      await logInAs(core.artikey, fake, DEMO_USER.name, { lifetimeSeconds: 90 * 86_400 })
    ).instance.id;
    await scheduler.recheck();
    const [first] = [...timers.pending.values()];
    expect(first?.ms).toBe(MAX_TIMER_MS);
    const before = fake.tokens.refreshCount;
    await timers.fireNext();
    expect(fake.tokens.refreshCount).toBe(before);
    expect(timers.pending.size).toBe(1);
    while (fake.tokens.refreshCount === before) await timers.fireNext();
    expect(fake.clock.seconds()).toBe((await core.artikey.instance(instance)).token.issuedAt);
  });

  it('retries network failures with backoff, then succeeds', async () => {
    fake.clock.advance(3500);
    fake.faults.add({
      path: '/access/api/v1/tokens',
      method: 'POST',
      times: 2,
      action: { kind: 'status', status: 503 },
    });
    await scheduler.recheck();
    expect(failed).toEqual(['server-error']);
    expect([...timers.pending.values()].map((t) => t.ms)).toEqual([22_500]);
    await timers.fireNext();
    expect(failed).toEqual(['server-error', 'server-error']);
    expect([...timers.pending.values()].map((t) => t.ms)).toEqual([45_000]);
    await timers.fireNext();
    expect(refreshed).toHaveLength(1);
  });

  it('stops for good when the server refuses the refresh token, leaving the user a clear status', async () => {
    fake.clock.advance(3500);
    // Another client spends the refresh token first.
    const secrets = await core.vault.read(instance);
    const spent = await fetch(`${fake.url}/access/api/v1/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${secrets?.accessToken ?? ''}` },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: secrets?.refreshToken ?? '',
        access_token: secrets?.accessToken ?? '',
      }).toString(),
    });
    expect(spent.status).toBe(200);
    await scheduler.recheck();
    expect(failed).toEqual(['login-required']);
    expect(timers.pending.size).toBe(0);
    expect((await core.artikey.instance(instance)).refreshError?.code).toBe('login-required');
  });

  it('schedules in server time when the local clock is two hours behind', async () => {
    const behind = testArtikey(fake, { now: () => fake.clock.now() - 7200_000 });
    try {
      const id = (
        await logInAs(behind.artikey, fake, DEMO_USER.name, { lifetimeSeconds: 3600 })
      ).instance.id;
      const view = await behind.artikey.instance(id);
      expect(view.clockOffsetSeconds).toBe(7200);
      expect(view.expiresInSeconds).toBe(3600);
      const skewed = new RefreshScheduler({
        host: behind.artikey,
        logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
        now: () => fake.clock.now() - 7200_000,
        random: () => 0,
        setTimer: timers.set,
        clearTimer: timers.clear,
      });
      await skewed.recheck();
      expect([...timers.pending.values()].map((t) => t.ms)).toEqual([
        (3600 - refreshLead(3600)) * 1000,
      ]);
      skewed.stop();
      await behind.vault.erase(id);
    } finally {
      behind.cleanup();
    }
  });

  it('refreshes when a jittered timer fires: the refresh is asked for with the same lead', async () => {
    const jittered = new RefreshScheduler({
      host: core.artikey,
      logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
      now: () => fake.clock.now(),
      random: () => 0.5,
      setTimer: timers.set,
      clearTimer: timers.clear,
    });
    await jittered.recheck();
    expect([...timers.pending.values()].map((t) => t.ms)).toEqual([
      (3600 - refreshLead(3600) * 1.05) * 1000,
    ]);
    const before = fake.tokens.refreshCount;
    await timers.fireNext();
    expect(fake.tokens.refreshCount - before).toBe(1);
    jittered.stop();
  });

  it('refreshes a 12-hour token once when its timer fires ~11 minutes early, and plans the next a lifetime on', async () => {
    const lifetime = 12 * 3600;
    // Timed by the lead before expiry, not by the rotation interval (token-lifetime.ts).
    await core.artikey.updateSettings({ rotationIntervalSeconds: lifetime });
    await logInAs(core.artikey, fake, DEMO_USER.name, { lifetimeSeconds: lifetime });
    let asked = 0;
    const reported: string[] = [];
    const jittered: RefreshScheduler = new RefreshScheduler({
      host: {
        list: () => core.artikey.list(),
        // A no-op planned again at once asks again and again on a frozen clock: after a few,
        // stop, so such a loop fails this test instead of hanging it.
        refreshIfDue: (id, within) => {
          if (++asked > 5) jittered.stop();
          return core.artikey.refreshIfDue(id, within);
        },
      },
      logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
      now: () => fake.clock.now(),
      // The largest jitter: the timer fires a tenth of the lead (648 s) early.
      random: () => 0.999,
      setTimer: timers.set,
      clearTimer: timers.clear,
      onRefreshed: (view) => reported.push(view.token.tokenId ?? ''),
    });
    await jittered.recheck();
    const early = refreshLead(lifetime) * 1.0999;
    const [first] = [...timers.pending.values()];
    expect(first?.ms).toBeCloseTo((lifetime - early) * 1000, -1);
    const before = fake.tokens.refreshCount;
    await timers.fireNext();
    expect(fake.tokens.refreshCount - before).toBe(1);
    expect(asked).toBe(1);
    expect(reported).toEqual([(await core.artikey.instance(instance)).token.tokenId]);
    const [next] = [...timers.pending.values()];
    expect(next?.ms).toBeCloseTo((lifetime - early) * 1000, -1);
    jittered.stop();
  });

  it('reports no refresh when its timer finds the token already replaced by another process', async () => {
    await scheduler.recheck();
    fake.clock.advance(3000);
    // `artikey refresh` in another process, just before the timer fires (the state-file watcher
    // has not re-planned yet): the token the timer was set for is gone, the new one is not due.
    await core.artikey.refresh(instance);
    const issued = fake.clock.seconds();
    const before = fake.tokens.refreshCount;
    await timers.fireNext();
    expect(fake.tokens.refreshCount - before).toBe(0);
    expect(refreshed).toEqual([]);
    expect(scheduler.nextRefreshes().get(instance)).toBe(issued + 3600 - refreshLead(3600));
  });

  it('leaves an instance alone for the minimum interval, whatever asks for a refresh', async () => {
    fake.clock.advance(3500);
    fake.faults.add({
      path: '/access/api/v1/tokens',
      method: 'POST',
      times: 1,
      action: { kind: 'status', status: 503 },
    });
    await scheduler.recheck();
    expect(failed).toEqual(['server-error']);
    const posts = fake.requests.list({ method: 'POST', path: '/access/api/v1/tokens' }).length;
    // A wake-up or clock jump right after the failure re-plans the instance, but not at once.
    await scheduler.recheck();
    expect(fake.requests.list({ method: 'POST', path: '/access/api/v1/tokens' })).toHaveLength(
      posts,
    );
    expect([...timers.pending.values()].map((t) => t.ms)).toEqual([
      MIN_REFRESH_INTERVAL_SECONDS * 1000,
    ]);
    await timers.fireNext();
    expect(refreshed).toHaveLength(1);
  });

  it('backs off, and says so, while the server issues tokens already due', async () => {
    const warnings: string[] = [];
    const paced = new RefreshScheduler({
      host: core.artikey,
      logger: { info: () => undefined, warn: (m) => warnings.push(m), error: () => undefined },
      now: () => fake.clock.now(),
      random: () => 0,
      setTimer: timers.set,
      clearTimer: timers.clear,
    });
    fake.clock.advance(3500);
    fake.config.issuedTokensExpireAfterSeconds = -60;
    fake.config.refreshGraceSeconds = 86_400; // tokens born expired refresh only inside a grace
    const before = fake.tokens.refreshCount;
    await paced.recheck();
    expect(fake.tokens.refreshCount - before).toBe(1);
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) {
      waits.push([...timers.pending.values()][0]?.ms ?? -1);
      await timers.fireNext();
    }
    expect(waits).toEqual([30, 60, 120, 240, 480, 900].map((s) => s * 1000));
    expect(fake.tokens.refreshCount - before).toBe(7);
    // Named as the person named it, not by its id.
    const { name } = await core.artikey.instance(instance);
    expect(warnings[0]).toBe(
      `${name}: the server issued a token that is already due; next try in 30 s`,
    );
    // An honest token again: back to the plan by its lifetime.
    fake.config.issuedTokensExpireAfterSeconds = null;
    await timers.fireNext();
    expect([...timers.pending.values()].map((t) => t.ms)).toEqual([
      (3600 - refreshLead(3600)) * 1000,
    ]);
    paced.stop();
  });

  it('forgets instances that were logged out', async () => {
    await scheduler.recheck();
    expect(timers.pending.size).toBe(1);
    await core.artikey.logout(instance);
    await scheduler.recheck();
    expect(timers.pending.size).toBe(0);
  });
});
