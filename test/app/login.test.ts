import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../fake-artifactory/clock.js';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import { App, processesMentioning, runCli } from './support/app.js';

/**
 * The browser login as a person does it from the built app: the window starts it, main opens the
 * server's login page in the system browser (shell.openExternal), the person signs in there with
 * the code the window shows, and the window and the tray both gain the instance.
 */
let app: App | undefined;
let fake: FakeArtifactory | undefined;
afterEach(async () => {
  await app?.cleanup();
  await fake?.stop();
  app = undefined;
  fake = undefined;
});

describe('the built app, logging in through the browser', () => {
  it('completes a browser login started from the window, and the tray gains the instance', async () => {
    fake = await startFakeArtifactory({ clock: new FakeClock() });
    app = await App.launch();
    const page = await app.page();
    await page.getByRole('link', { name: 'Add an instance' }).click();
    await page.getByLabel('Artifactory address').fill(fake.url);
    await page.getByRole('radio', { name: /Browser/ }).check();
    await page.getByRole('button', { name: 'Log in with browser' }).click();

    const opened = await app.waitFor(
      'main to open the login page',
      (r) => r.kind === 'open-external',
    );
    const loginPage = new URL(opened.kind === 'open-external' ? opened.url : '');
    expect(loginPage.origin + loginPage.pathname).toBe(`${fake.url}/ui/login`);
    const code = (await page.getByTestId('login-code').textContent()) ?? '';
    expect(code).toMatch(/^\w{4}$/);

    // The person, in their browser: signs in on the server's page with the code the window shows.
    const browser = page.context().browser();
    if (!browser) throw new Error('the window is not in a browser');
    const signIn = await browser.newContext();
    try {
      const server = await signIn.newPage();
      await server.goto(loginPage.href);
      await server.getByLabel('Username').fill(DEMO_USER.name);
      await server.getByLabel('Password').fill(DEMO_USER.password);
      await server.getByLabel(/Verification code/).fill(code);
      await server.getByRole('button', { name: 'Sign in' }).click();
      await server.getByRole('heading', { name: 'You are signed in' }).waitFor();
    } finally {
      await signIn.close();
    }

    // The next poll (every 3 s) collects the token.
    await app.advance(3000);
    const done = page.getByRole('heading', { name: /^Logged in to / });
    await done.waitFor();
    const name = ((await done.textContent()) ?? '').replace(/^Logged in to /, '');
    expect(name).not.toBe('');
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Instances', exact: true })
      .click();
    await page.locator('[data-instance]').getByText(name, { exact: true }).waitFor();

    const entry = await app.until('the tray to list the instance', () =>
      app?.trayMenu().find((item) => item.label?.startsWith(`${name} — `)),
    );
    expect(entry.submenu?.map((item) => item.label)).toEqual([
      'Docker login',
      'Refresh now',
      'Copy token',
      null,
      'Open in browser',
    ]);
    expect(entry.submenu?.filter((item) => item.label !== null).every((item) => item.enabled)).toBe(
      true,
    );

    expect(await app.quit()).toEqual({ code: 0, signal: null });
    expect(processesMentioning(app.home)).toEqual([]);
    // The keychain is shared with the other tests of this session: leave nothing behind.
    const logout = await runCli(app.home, ['logout', name]);
    expect(logout.code, logout.stderr).toBe(0);
  });
});
