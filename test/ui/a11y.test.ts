import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { logInAs } from '../support/browser-login.js';
import { violations } from './axe.js';
import { startUi, type UiSession } from './harness.js';

for (const theme of ['light', 'dark'] as const) {
  /**
   * Every screen, in the platform's light and dark themes: axe finds nothing, and a screenshot of
   * each is kept as a test artifact (test-results/ui/) for people to look at.
   */
  // axe and full-page screenshots are slow on a busy 2-core machine; nothing here waits idly.
  describe(`accessibility, ${theme} theme`, { timeout: 120_000 }, () => {
    let ui: UiSession;
    let id = '';

    const show = async (hash: string, ready: string) => {
      await ui.page.evaluate(`location.hash = ${JSON.stringify(hash)}`);
      await ui.page.locator(ready).first().waitFor({ state: 'visible' });
    };
    const check = async (name: string) => {
      await ui.screenshot(`${name}-${theme}`, { fullPage: true });
      expect(await violations(ui), `${name} (${theme})`).toEqual([]);
    };

    beforeAll(async () => {
      ui = await startUi({ colorScheme: theme });
    });
    afterAll(async () => {
      if (ui) {
        if (id) await ui.artikey.vault.erase(id).catch(() => undefined);
        await ui.close();
      }
    });

    it('the empty overview', async () => {
      await ui.page.getByRole('heading', { name: 'Log in once, stay logged in' }).waitFor();
      await check('overview-empty');
    });

    it('the login screen, with errors and while waiting for the browser', async () => {
      await show('#/login', '#login-url');
      await check('login');
      await ui.page.getByRole('button', { name: 'Log in with browser' }).click();
      await ui.page.getByText(/Enter the address/).waitFor();
      await ui.page.getByLabel('Artifactory address').fill(ui.fake.url);
      const from = ui.events.length;
      await ui.page.getByRole('button', { name: 'Log in with browser' }).click();
      await ui.waitForEvent('login.prompt', undefined, { from });
      await ui.page.getByTestId('login-code').waitFor();
      await check('login-waiting');
      await ui.approveBrowserLogin();
      await ui.page.getByRole('heading', { name: /^Logged in to / }).waitFor();
      await check('login-done');
      id = (await ui.artikey.artikey.list())[0]!.id;
    });

    it('the login screen filled in by a link, with the plain-HTTP warning and errors', async () => {
      await ui.emit('navigate', { to: 'login', url: 'http://acme.example.com/' });
      await ui.page.getByTestId('link-origin').waitFor();
      await ui.page.getByRole('radio', { name: /User name and password/ }).check();
      await ui.page.getByTestId('plain-http').waitFor();
      await ui.page.getByRole('button', { name: 'Log in', exact: true }).click();
      await ui.page.getByText(/Confirm this is your Artifactory’s address/).waitFor();
      await check('login-from-link');
    });

    it('the overview with instances', async () => {
      // A second login, and tools, so the rows show more than one state.
      await logInAs(ui.artikey.artikey, ui.fake, DEMO_USER.name, { lifetimeSeconds: 86_400 });
      await show('#/', '[data-instance]');
      await check('overview');
    });

    it('the instance: token, server tokens and a confirmation dialog', async () => {
      await show(`#/instance/${encodeURIComponent(id)}`, '[data-token]');
      await check('instance-token');
      await ui.page.getByRole('button', { name: 'Log out…' }).click();
      await ui.page.getByRole('dialog').waitFor();
      await check('instance-logout-dialog');
      await ui.page.keyboard.press('Escape');
      await ui.page.getByRole('dialog').waitFor({ state: 'hidden' });
    });

    it('the tools, with a preview', async () => {
      await show(`#/instance/${encodeURIComponent(id)}/tools`, '[data-tool-card="npm"]');
      await ui.page.getByRole('button', { name: /^Docker login for/ }).click();
      await ui.page.locator('[data-tool="docker-helper"]').waitFor();
      const npm = ui.page.locator('[data-tool-card="npm"]');
      await npm.getByLabel('npm repository').selectOption('npm-virtual');
      await npm.getByRole('button', { name: 'Preview' }).click();
      await npm.locator('figure').waitFor();
      await check('instance-tools');
    });

    it('migration: scan results, plan and report', async () => {
      const apiKey = ui.fake.createApiKey('alice');
      mkdirSync(ui.home, { recursive: true });
      writeFileSync(
        join(ui.home, '.npmrc'),
        `//${ui.fake.host}/artifactory/api/npm/npm-virtual/:_authToken=${apiKey}\n`,
      );
      await show('#/migrate', 'text=Scan my files');
      await check('migrate');
      await ui.page.getByRole('button', { name: 'Scan my files' }).click();
      await ui.page.locator('tr[data-kind="api-key"]').waitFor();
      await ui.page.getByRole('button', { name: 'Preview migration' }).click();
      await ui.page.getByRole('heading', { name: /^Plan for/ }).waitFor();
      await check('migrate-plan');
      await ui.page.getByRole('button', { name: 'Migrate', exact: true }).click();
      await ui.page.getByTestId('migration-report').waitFor();
      await check('migrate-report');
    });

    it('activity and settings', async () => {
      await show('#/activity', 'tr[data-kind]');
      await check('activity');
      await show('#/settings', '[data-testid="keychain"]');
      await check('settings');
    });

    it('would notice a violation (the check can fail)', async () => {
      await ui.page.evaluate(
        `document.getElementById('content').append(Object.assign(document.createElement('input'), { id: 'axe-probe' }))`,
      );
      expect((await violations(ui)).join('\n')).toMatch(/label/);
      await ui.page.evaluate(`document.getElementById('axe-probe').remove()`);
    });

    it('saw no page errors', () => {
      expect(ui.errors).toEqual([]);
    });
  });
}
