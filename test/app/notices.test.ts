import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../fake-artifactory/clock.js';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import { App, letTimePass, runCli, tempHome } from './support/app.js';
import { endLoggedIn, type Notification } from './support/logged-in.js';

/**
 * The built app's warnings before a token that cannot refresh itself expires: one notification
 * per threshold, never twice, whose "Log in again" opens the instance's login page. The server's
 * clock and the app's move together.
 */
const HOUR = 3600;
const DAY = 86_400;
const NAME = 'acme';

let app: App | undefined;
let fake: FakeArtifactory | undefined;
afterEach(async () => {
  await endLoggedIn(app, fake, NAME);
  app = undefined;
  fake = undefined;
});

/** The notifications shown so far whose title says `what`. */
const shown = (what: RegExp): Notification[] =>
  app?.all('notification').filter((n) => what.test(n.title)) ?? [];

/** Waits until main has re-planned (a wake from sleep re-checks everything, then the tray). */
async function recheckSettled(current: App): Promise<void> {
  const menus = current.all('tray').filter((r) => r.event === 'menu').length;
  await current.command({ op: 'power', event: 'resume' });
  await current.until('the re-check to rebuild the tray', () =>
    current.all('tray').filter((r) => r.event === 'menu').length > menus ? true : undefined,
  );
}

describe('the built app, warning from the tray', () => {
  it('warns once a day and once an hour before a token that cannot refresh expires, and “Log in again” opens the login page', async () => {
    fake = await startFakeArtifactory({ clock: new FakeClock() });
    const home = tempHome();
    // A scope that may not mint a refreshable successor: Artikey keeps the token as pasted.
    const pasted = fake.issueToken({
      username: DEMO_USER.name,
      expiresIn: 2 * DAY,
      scope: 'artifact:npm-virtual:r',
    }).jwt;
    const login = await runCli(home, ['login', fake.url, '--token', '--name', NAME], {
      input: pasted,
    });
    expect(login.code, login.stderr).toBe(0);
    app = await App.launch({ home });

    // Two days left is within the first warning (7 days): shown at start.
    await app.waitFor('the 7-day warning', (r) => r.kind === 'notification');
    expect(shown(/expires in/).map((n) => n.title)).toEqual([`${NAME}: token expires in 47 hours`]);

    await letTimePass(app, fake, DAY + 60);
    await app.until('the 1-day warning', () =>
      shown(/expires in/).length >= 2 ? true : undefined,
    );
    await letTimePass(app, fake, 12 * HOUR);
    await recheckSettled(app);
    expect(shown(/expires in/).map((n) => n.title)).toEqual([
      `${NAME}: token expires in 47 hours`,
      `${NAME}: token expires in 23 hours`,
    ]);

    // To half a minute past an hour before expiry.
    await letTimePass(app, fake, 11 * HOUR - 30);
    await app.until('the 1-hour warning', () =>
      shown(/expires in/).length >= 3 ? true : undefined,
    );
    await letTimePass(app, fake, 30 * 60);
    await recheckSettled(app);
    const warnings = shown(/expires in/);
    expect(warnings.map((n) => n.title)).toEqual([
      `${NAME}: token expires in 47 hours`,
      `${NAME}: token expires in 23 hours`,
      expect.stringMatching(new RegExp(`^${NAME}: token expires in 5\\d minutes$`)),
    ]);
    expect(app.all('notification')).toHaveLength(3);
    const lastHour = warnings[2]!;
    expect(lastHour).toMatchObject({
      body: 'It cannot be refreshed automatically. Log in again before it expires.',
      actions: ['Log in again'],
    });

    // Its button, then a click on the notification itself: each opens the instance's login page.
    const loginPages = (): string[] => app?.all('open-external').map((r) => r.url) ?? [];
    await app.command({ op: 'notification-action', id: lastHour.id, index: 0 });
    await app.until('the login page from the button', () =>
      loginPages().length >= 1 ? true : undefined,
    );
    await app.command({ op: 'click-notification', id: lastHour.id });
    await app.until('the login page from the click', () =>
      loginPages().length >= 2 ? true : undefined,
    );
    for (const url of loginPages()) {
      const page = new URL(url);
      expect(page.origin + page.pathname).toBe(`${fake.url}/ui/login`);
      // A browser-login session the server knows, waiting for the person.
      expect(fake.pendingLogins()).toContain(page.searchParams.get('jfClientSession'));
    }
    expect(new Set(loginPages()).size).toBe(2);
  });
});
