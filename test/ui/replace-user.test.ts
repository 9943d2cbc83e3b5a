import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { logInAs } from '../support/browser-login.js';
import { startUi, type UiSession } from './harness.js';

/** Logging in to an instance as another user, in the real renderer over the real core. */
describe('the login screen, when another user logs in to a known instance', () => {
  let ui: UiSession;
  beforeAll(async () => {
    ui = await startUi({ colorScheme: 'light' });
  });
  afterAll(async () => {
    if (ui) {
      for (const instance of await ui.artikey.artikey.list().catch(() => []))
        await ui.artikey.vault.erase(instance.id).catch(() => undefined);
      await ui.close();
    }
  });

  const logInWithPassword = async (username: string, password: string) => {
    const page = ui.page;
    await page.getByLabel('Artifactory address').fill(ui.fake.url);
    await page.getByRole('radio', { name: /User name and password/ }).check();
    await page.getByLabel('User name', { exact: true }).fill(username);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
  };

  it('asks before replacing alice with bob, and replaces only when the person says so', async () => {
    // A permissive server (token generation via the API with Basic enabled): bob logs in with the password form.
    ui.fake.config.allowBasicAuthTokenCreation = true;
    onTestFinished(() => {
      ui.fake.config.allowBasicAuthTokenCreation = false;
    });
    await logInAs(ui.artikey.artikey, ui.fake, DEMO_USER.name);
    await ui.page.evaluate('location.hash = "#/login"');
    await ui.page.getByRole('heading', { level: 1, name: 'Add an instance' }).waitFor({ timeout: 10_000 });
    await logInWithPassword('bob', 'bob-demo-password');
    const alert = ui.page.getByRole('alert');
    await alert.getByText(/logged in as alice, and this login is bob/).waitFor({ timeout: 10_000 });
    expect((await ui.artikey.artikey.list()).map((i) => i.username)).toEqual(['alice']);
    await alert.getByRole('button', { name: 'Replace alice with bob' }).click();
    await ui.page.getByRole('heading', { name: /^Logged in to / }).waitFor({ timeout: 10_000 });
    expect((await ui.artikey.artikey.list()).map((i) => i.username)).toEqual(['bob']);
  });
});
