import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { App, processesMentioning } from './support/app.js';
import {
  closeApps,
  holdNextRefresh,
  INSTANCE_NAME,
  loggedInHome,
  TOKENS_PATH,
  type LoggedIn,
} from './support/logged-in.js';

/**
 * What the system does to the built app: power events (wake, unlock, sleep, lock) and quitting
 * while a refresh is in flight. Each test logs in to its own fake through the built CLI first.
 */
const apps: App[] = [];
let setup: LoggedIn | undefined;
afterEach(async () => {
  await closeApps(apps.splice(0));
  await setup?.fake.stop();
  // A killed app's Chromium may still be writing its profile for a moment.
  if (setup) rmSync(setup.home, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  setup = undefined;
});

/** The HOME (and fake) every app of the test shares, logged in once. */
async function logIn(): Promise<LoggedIn> {
  return (setup ??= await loggedInHome());
}

async function launch(options: Parameters<typeof App.launch>[0] = {}): Promise<App> {
  const app = await App.launch({ home: (await logIn()).home, ...options });
  apps.push(app);
  return app;
}

/** The tray's submenu label for the instance, once the app lists it. */
const instanceItem = async (app: App): Promise<string> =>
  (
    await app.until('the tray to list the instance', () =>
      app.trayMenu().find((entry) => entry.label?.startsWith(`${INSTANCE_NAME} — `)),
    )
  ).label ?? '';

/** Polls `check` until it holds; real time, for effects outside the app's records. */
async function within(ms: number, what: string, check: () => boolean): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const HOUR = 3600;
/** Long before the engine's 30 s heartbeat would notice a clock jump by itself. */
const PROMPTLY_MS = 3000;
/**
 * Before sleep, nothing but the power event refreshes a 20-minute-old token (it is not due until
 * the 4-hour rotation), so this bound only has to outlast a refresh on a slow, loaded machine:
 * 3 s was missed once in CI, and 15 s once on a machine at a load average of 12.
 */
const BEFORE_SLEEP_MS = 40_000;

describe('power events on the built app', { timeout: 180_000 }, () => {
  /** Refreshes the app finished (stored, described, the replaced token revoked), from its activity log. */
  const refreshes = (): number => {
    const log = join(setup?.home ?? '', '.config', 'artikey', 'activity.jsonl');
    if (!existsSync(log)) return 0;
    return readFileSync(log, 'utf8')
      .split('\n')
      .filter((line) => line.includes('"kind":"refresh"')).length;
  };

  /** The wall clock jumps for the app and the fake alike, as across a sleep: no timer fires. */
  const jump = async (app: App, seconds: number): Promise<void> => {
    setup?.fake.clock.advance(seconds);
    await app.command({ op: 'jump', ms: seconds * 1000 });
  };

  it.each(['resume', 'unlock-screen'] as const)(
    '%s re-checks at once: a token that came due while asleep is refreshed',
    async (event) => {
      const app = await launch({ args: ['--hidden'] });
      await instanceItem(app);
      const before = refreshes();

      // Past the 4-hour rotation: due, but no timer fired to say so.
      await jump(app, 5 * HOUR);
      await app.command({ op: 'power', event });
      await within(PROMPTLY_MS, `a refresh after ${event}`, () => refreshes() === before + 1);
    },
  );

  it('suspend and lock-screen refresh a token older than 15 minutes before sleeping', async () => {
    const app = await launch({ args: ['--hidden'] });
    await instanceItem(app);
    const before = refreshes();
    await app.command({ op: 'power', event: 'suspend' });

    await jump(app, 20 * 60);
    await app.command({ op: 'power', event: 'suspend' });
    await within(BEFORE_SLEEP_MS, 'a refresh before sleep', () => refreshes() === before + 1);

    await jump(app, 20 * 60);
    // The suspend's refresh writes its log line before it lets go of the instance; a lock heard in
    // between joins that refresh (one flight per instance) and makes none of its own. So lock
    // again until one is made: a lock that never refreshes still fails here.
    for (let attempt = 1; ; attempt++) {
      await app.command({ op: 'power', event: 'lock-screen' });
      try {
        await within(BEFORE_SLEEP_MS / 8, 'a refresh on lock', () => refreshes() === before + 2);
        break;
      } catch (error) {
        if (attempt === 8) throw error;
      }
    }
  });
});

describe('quitting the built app during a refresh', () => {
  /** Starts a refresh from the tray and waits until the fake holds it. */
  const refreshHeld = async (app: App, fault: 'delay' | 'hang') => {
    const { fake } = await logIn();
    await app.command({ op: 'click-tray-item', path: [await instanceItem(app), 'Refresh now'] });
    const held = () =>
      fake.requests.list({ method: 'POST', path: TOKENS_PATH }).find((r) => r.fault === fault);
    await within(10_000, 'the refresh to reach the fake', () => held() !== undefined).catch(
      (error: Error) => {
        throw new Error(`${error.message}\n${JSON.stringify(app.all('notification'))}`);
      },
    );
    /** The held request as the fake recorded it (its status once answered). */
    return held;
  };

  it('waits for a refresh in flight, stores its token, exits 0 within 5 s and leaves nothing running', async () => {
    const { fake, token } = await logIn();
    const app = await launch({ args: ['--hidden'] });
    const before = await token();
    fake.faults.add(holdNextRefresh(1500));
    const held = await refreshHeld(app, 'delay');
    expect(held()?.status, 'the refresh is still unanswered when the person quits').toBe(0);

    const quitAt = Date.now();
    const exit = await app.quit();
    const tookMs = Date.now() - quitAt;

    expect(exit).toEqual({ code: 0, signal: null });
    expect(tookMs).toBeLessThan(5000);
    // The fake answered the refresh before the app went, and the app kept what it answered.
    expect(held()?.status).toBe(200);
    const after = await token();
    expect(after).not.toBe(before);
    expect(fake.tokens.find(after)?.revoked).toBe(false);
    expect(processesMentioning(app.home)).toEqual([]);
  });

  it('gives up on a refresh the server never answers after the grace, and exits 0', async () => {
    const { fake } = await logIn();
    const app = await launch({ args: ['--hidden'] });
    fake.faults.add(holdNextRefresh());
    await refreshHeld(app, 'hang');

    const quitAt = Date.now();
    const exit = await app.quit();
    const tookMs = Date.now() - quitAt;

    expect(exit).toEqual({ code: 0, signal: null });
    expect(tookMs).toBeGreaterThanOrEqual(4500);
    expect(tookMs).toBeLessThan(7000);
    expect(processesMentioning(app.home)).toEqual([]);
  });
});
