import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../fake-artifactory/clock.js';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import { startUi, type UiSession } from './harness.js';

/**
 * The login screen, in the real renderer over the real core, against a server that will not
 * trade a password for a token (issue 15, item 1): it switches to the browser login with the
 * reason, and offers the browser first the next time that address is typed.
 */
describe('the login screen, where the server refuses Basic token creation', () => {
  let fake: FakeArtifactory;
  let ui: UiSession;
  beforeAll(async () => {
    fake = await startFakeArtifactory({ clock: new FakeClock({ frozen: true }), config: { allowBasicAuthTokenCreation: false } });
    ui = await startUi({ colorScheme: 'light', fake });
  });
  afterAll(async () => {
    if (ui) {
      for (const instance of await ui.artikey.artikey.list().catch(() => []))
        await ui.artikey.vault.erase(instance.id).catch(() => undefined);
      await ui.close();
    }
    await fake?.stop();
  });

  const page = () => ui.page;
  const openLogin = async () => {
    await page().evaluate('location.hash = "#/"');
    await page().evaluate('location.hash = "#/login"');
    await page().getByRole('heading', { level: 1, name: 'Add an instance' }).waitFor({ timeout: 10_000 });
  };
  const reason = () => `${fake.host} does not let tools trade a password for a token`;

  it('switches to the browser login with the reason when the password login is refused, and that login works', async () => {
    await openLogin();
    await page().getByLabel('Artifactory address').fill(fake.url);
    await page().getByRole('radio', { name: /User name and password/ }).check();
    await page().getByLabel('User name', { exact: true }).fill(DEMO_USER.name);
    await page().getByLabel('Password', { exact: true }).fill(DEMO_USER.password);
    await page().getByRole('button', { name: 'Log in', exact: true }).click();

    const alert = page().getByRole('alert');
    await alert.getByText(reason(), { exact: false }).waitFor({ timeout: 10_000 });
    expect(await alert.textContent()).not.toMatch(/refused the credentials|artikey login/);
    expect(await page().getByRole('radio', { name: /Browser/ }).isChecked()).toBe(true);
    expect(await page().getByLabel('Password', { exact: true }).count()).toBe(0);
    expect(await ui.artikey.artikey.list()).toEqual([]);
    await ui.screenshot('login-basic-refused');

    await page().getByRole('button', { name: 'Log in with browser' }).click();
    await ui.approveBrowserLogin();
    await page().getByRole('heading', { name: /^Logged in to / }).waitFor({ timeout: 10_000 });
    expect((await ui.artikey.artikey.list()).map((i) => i.loginMethod)).toEqual(['browser']);
  });

  it('offers the browser first, with the reason, the next time that address is typed', async () => {
    await openLogin();
    await page().getByRole('radio', { name: /User name and password/ }).check();
    await page().getByLabel('Artifactory address').fill(`${fake.url}/artifactory/`);
    const advice = page().getByTestId('login-advice');
    await advice.waitFor({ timeout: 10_000 });
    expect(await advice.textContent()).toContain(reason());
    expect(await page().getByRole('radio', { name: /Browser/ }).isChecked()).toBe(true);
    // Still the person's choice.
    expect(await page().getByRole('radio', { name: /User name and password/ }).isEnabled()).toBe(true);

    // Another address knows nothing of it.
    await page().getByLabel('Artifactory address').fill('https://other.example.invalid');
    await expect.poll(() => advice.count()).toBe(0);
  });
});
