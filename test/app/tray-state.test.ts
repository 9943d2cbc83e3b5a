import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeArtifactory } from '../fake-artifactory/server.js';
import { App, letTimePass, processesMentioning } from './support/app.js';
import { endLoggedIn, INSTANCE_NAME, loggedInHome, type Notification } from './support/logged-in.js';

/**
 * Trouble the built app finds by itself, shown in the tray icon and as a notification: a refresh
 * the server refuses, and a token revoked on the server (which the next refresh runs into). The
 * server's clock and the app's move together.
 */
const NAME = INSTANCE_NAME;

let app: App | undefined;
let fake: FakeArtifactory | undefined;
afterEach(async () => {
  await endLoggedIn(app, fake, NAME);
  app = undefined;
  fake = undefined;
});

/** The tray's icon files, in the order main set them (the first is the one it was built with). */
const trayIcons = (current: App): string[] =>
  current
    .all('tray')
    .flatMap((r) => (r.event === 'created' || r.event === 'image' ? [r.image] : []));

/** The id of the token Artikey holds for the one instance in `home`. */
function heldTokenId(home: string): string {
  const state = JSON.parse(
    readFileSync(join(home, '.config', 'artikey', 'state.json'), 'utf8'),
  ) as {
    instances: { token: { tokenId: string } }[];
  };
  const id = state.instances[0]?.token.tokenId;
  if (!id) throw new Error('Artikey holds no token');
  return id;
}

/** The instance's next refresh as main plans it (seconds since the epoch), read through the window. */
async function nextRefreshAt(current: App): Promise<number> {
  const page = await current.page();
  const listed = (await page.evaluate(() =>
    (
      globalThis as unknown as { artikey: { instances: { list(): Promise<unknown> } } }
    ).artikey.instances.list(),
  )) as { value: { nextRefreshAt: number | null }[] };
  const at = listed.value[0]?.nextRefreshAt;
  if (!at) throw new Error(`main plans no refresh: ${JSON.stringify(listed)}`);
  return at;
}

/**
 * Lets time pass until main's refresh is due, and barely further: time passing in the app with
 * the keychain or the server still to answer would time them out.
 */
async function untilRefreshDue(current: App, server: FakeArtifactory): Promise<void> {
  const at = await nextRefreshAt(current);
  await letTimePass(current, server, Math.max(at - server.clock.seconds(), 0) + 1);
}

/** The app started on a HOME logged in to a fresh fake, once its tray lists the instance. */
async function launchLoggedIn(): Promise<{ current: App; home: string; server: FakeArtifactory }> {
  const { fake: server, home } = await loggedInHome();
  fake = server;
  // The login is done: nobody approves another one.
  server.approveBrowserLoginsAs(null);
  const current = (app = await App.launch({ home }));
  await current.until('the tray to list the instance', () =>
    current.trayMenu().find((item) => item.label?.startsWith(`${NAME} — `)),
  );
  return { current, home, server };
}

describe('the built app, showing trouble in the tray', () => {
  it('shows a refused refresh in the tray icon and a notification', async () => {
    const { current, server: fake } = await launchLoggedIn();
    expect(new Set(trayIcons(current).map((file) => basename(file)))).toEqual(new Set(['ok.png']));

    // The server refuses the next refresh: the bearer is no longer good for one.
    fake.faults.add({
      method: 'POST',
      path: '/access/api/v1/tokens',
      action: {
        kind: 'status',
        status: 401,
        body: '{"errors":[{"code":"UNAUTHORIZED","message":"Bad credentials"}]}',
        contentType: 'application/json',
      },
    });
    await untilRefreshDue(current, fake);

    const notice = await current.waitFor(
      'the refused refresh to be told',
      (r): r is Notification => r.kind === 'notification',
    );
    expect(notice).toMatchObject({
      title: `${NAME}: log in again`,
      body: expect.stringMatching(/^Artikey can no longer refresh the token \(/),
      actions: ['Log in again', 'Open in browser'],
      urgency: 'critical',
    });
    const icon = await current.until('the tray icon to change', () =>
      trayIcons(current).find((file) => basename(file) !== 'ok.png'),
    );
    expect(basename(icon)).toBe('action-needed.png');
    expect(existsSync(icon)).toBe(true);
    const entry = await current.until('the tray to offer a new login', () =>
      current
        .trayMenu()
        .find(
          (item) =>
            item.label?.startsWith(`${NAME} — `) && item.submenu?.[0]?.label === 'Log in again…',
        ),
    );
    expect(entry.submenu?.[0]?.enabled).toBe(true);
  });

  it('shows a token revoked on the server in the tray icon and a notification', async () => {
    const { current, home, server: fake } = await launchLoggedIn();
    expect(new Set(trayIcons(current).map((file) => basename(file)))).toEqual(new Set(['ok.png']));

    // An admin revokes the token Artikey holds; the person asks the server in the window. (The
    // next refresh would run into it too, refused as in the test above.)
    const held = fake.tokens.byId(heldTokenId(home));
    if (!held) throw new Error('the server does not know the token Artikey holds');
    fake.tokens.revoke(held);
    const page = await current.page();
    await page.locator('[data-instance]').getByRole('link').first().click();
    await page.getByRole('button', { name: 'Check now' }).click();
    await page.getByTestId('revocation').getByText('revoked').waitFor();

    const notice = await current.waitFor(
      'the revocation to be told',
      (r): r is Notification => r.kind === 'notification',
    );
    expect(notice).toMatchObject({
      title: `${NAME}: token revoked`,
      body: 'The server no longer accepts this token. Log in again to keep your tools working.',
      actions: ['Log in again'],
      urgency: 'critical',
    });
    const icon = await current.until('the tray icon to change', () =>
      trayIcons(current).find((file) => basename(file) !== 'ok.png'),
    );
    expect(basename(icon)).toBe('action-needed.png');
    expect(existsSync(icon)).toBe(true);
    await current.until('the tray to say so', () =>
      current.trayMenu().find((item) => item.label === `${NAME} — revoked, log in again`),
    );

    expect(await current.quit()).toEqual({ code: 0, signal: null });
    expect(processesMentioning(current.home)).toEqual([]);
  });

  it('finds a token revoked on the server by itself within the hour, and says so', async () => {
    const { current, home, server: fake } = await launchLoggedIn();
    const held = fake.tokens.byId(heldTokenId(home));
    if (!held) throw new Error('the server does not know the token Artikey holds');
    fake.tokens.revoke(held);

    // Nobody looks: time passes up to the hour since the server was last asked about the token.
    const state = JSON.parse(
      readFileSync(join(home, '.config', 'artikey', 'state.json'), 'utf8'),
    ) as {
      instances: { revocation: { checkedAt: number | null } }[];
    };
    const checkedAt = state.instances[0]?.revocation.checkedAt;
    if (!checkedAt) throw new Error('the app has not asked about the token yet');
    await letTimePass(current, fake, checkedAt + 3600 - Math.floor(Date.now() / 1000) + 1);
    const notice = await current.waitFor(
      'the revocation to be told',
      (r): r is Notification => r.kind === 'notification',
    );
    expect(notice).toMatchObject({ title: `${NAME}: token revoked`, urgency: 'critical' });
    await current.until('the tray to say so', () =>
      current.trayMenu().find((item) => item.label === `${NAME} — revoked, log in again`),
    );
    expect(basename(trayIcons(current).at(-1) ?? '')).toBe('action-needed.png');
  });
});
