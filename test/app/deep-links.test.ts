import { rmSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { App } from './support/app.js';
import { closeApps, INSTANCE_NAME, loggedInHome, type LoggedIn } from './support/logged-in.js';

/**
 * artikey:// links on the built app: on the command line at launch (Linux, Windows), through
 * macOS's open-url before 'ready', and after 'ready' from a second launch (refused the lock, it
 * hands its command line over) or open-url. A link only moves the window (the login form
 * pre-filled, an instance's page); anything else is ignored. One logged-in HOME for the file.
 */
let setup: LoggedIn;
const apps: App[] = [];
beforeAll(async () => {
  setup = await loggedInHome();
});
afterEach(async () => {
  await closeApps(apps.splice(0));
});
afterAll(async () => {
  await setup.fake.stop();
  rmSync(setup.home, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
});

async function launch(options: Parameters<typeof App.launch>[0] = {}): Promise<App> {
  const app = await App.launch({ home: setup.home, ...options });
  apps.push(app);
  return app;
}

const loginLink = (url: string): string => `artikey://login?url=${encodeURIComponent(url)}`;
const instanceLink = (id: string): string => `artikey://instance/${id}`;
const POLL = { timeout: 10_000 };

const expectLoginFormFor = async (page: Page, url: string): Promise<void> => {
  await expect.poll(() => page.url(), POLL).toContain(`#/login?url=${encodeURIComponent(url)}`);
  await expect.poll(() => page.inputValue('#login-url'), POLL).toBe(url);
};
const expectInstancePage = async (page: Page, id: string): Promise<void> => {
  await expect.poll(() => page.url(), POLL).toMatch(new RegExp(`#/instance/${id}$`));
  await expect.poll(() => page.locator('h1').textContent(), POLL).toBe(INSTANCE_NAME);
};
/** A second launch with `link` is refused the lock, hands its command line over and ends. */
const secondLaunch = async (link: string): Promise<void> => {
  const second = await launch({ args: [link] });
  expect(await second.exited).toEqual({ code: 0, signal: null });
  expect(second.all('single-instance-lock')).toEqual([
    { kind: 'single-instance-lock', granted: false },
  ]);
};
const navigations = (app: App): number =>
  app.all('ipc').filter((r) => r.event === 'send' && r.channel === 'artikey:event:navigate').length;

describe('artikey:// links on the built app', () => {
  it('a login link on the command line opens the window on the login form, pre-filled', async () => {
    const app = await launch({ args: [loginLink(setup.fake.url)] });
    await expectLoginFormFor(await app.page(), setup.fake.url);
  });

  it("an instance link handed to open-url before 'ready' (macOS) opens the window on the instance", async () => {
    const app = await launch({ openUrlsBeforeReady: [instanceLink(setup.instanceId)] });
    await expectInstancePage(await app.page(), setup.instanceId);
  });

  it('after ready, links from a second launch and from open-url move the window; hostile ones only show it', async () => {
    const app = await launch();
    const page = await app.page();
    await expect.poll(() => page.locator('h1').count(), POLL).toBeGreaterThan(0);
    const shownAt = page.url();
    const focused = (): number => app.all('window').filter((r) => r.event === 'focus').length;
    const focusedBefore = focused();

    const hostile = [
      'artikey://login?url=javascript:alert(1)',
      'artikey://login?url=file:///etc/passwd',
      'artikey://instance/../../x',
      'https://evil.example/',
    ];
    for (const link of hostile) await app.command({ op: 'open-url', url: link });
    await secondLaunch('artikey://instance/../../x');
    // Each delivery shows the window: wait until all have arrived.
    await app.until('every hostile link to arrive', () =>
      focused() === focusedBefore + hostile.length + 1 ? true : undefined,
    );
    expect(navigations(app)).toBe(0);
    expect(page.url()).toBe(shownAt);
    expect(app.all('open-external')).toEqual([]);

    await secondLaunch(instanceLink(setup.instanceId));
    await expectInstancePage(page, setup.instanceId);
    await secondLaunch(loginLink(setup.fake.url));
    await expectLoginFormFor(page, setup.fake.url);
    await app.command({ op: 'open-url', url: instanceLink(setup.instanceId) });
    await expectInstancePage(page, setup.instanceId);
    const other = 'https://other.example.jfrog.io';
    await app.command({ op: 'open-url', url: loginLink(other) });
    await expectLoginFormFor(page, other);

    expect(navigations(app)).toBe(4);
    expect(app.all('open-external')).toEqual([]);
    expect(app.all('window').filter((r) => r.event === 'created')).toHaveLength(1);
  });
});
