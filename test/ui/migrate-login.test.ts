import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../fake-artifactory/clock.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import { startUi, type UiSession } from './harness.js';

/**
 * Issue 15, item 6 in the window: a server the scan found an API key of, Artikey not logged in
 * to it, and the server refusing API keys. The Migrate screen logs in through the browser and
 * the migration replaces the key all the same.
 */
describe('the window migrates a server whose API key is refused', () => {
  let fake: FakeArtifactory;
  let ui: UiSession;
  let apiKey = '';
  const pipConf = (): string => join(ui.home, '.config', 'pip', 'pip.conf');

  beforeAll(async () => {
    fake = await startFakeArtifactory({ clock: new FakeClock({ frozen: true }) });
    apiKey = fake.createApiKey('alice');
    fake.config.apiKeysEnabled = false;
    ui = await startUi({
      fake,
      open: false,
      // The person approves the login in their browser.
      onOpenInBrowser: (url) => {
        const session = new URL(url).searchParams.get('jfClientSession');
        if (session) fake.approveLogin(session, 'alice');
      },
    });
    // pip's index URL names the scheme, so the window offers the fake's own http:// address.
    mkdirSync(join(ui.home, '.config', 'pip'), { recursive: true });
    writeFileSync(pipConf(), `[global]\nindex-url = ${fake.url.replace('://', `://alice:${apiKey}@`)}/artifactory/api/pypi/pypi-virtual/simple\n`);
    await ui.open();
  });
  afterAll(async () => {
    for (const instance of await ui.artikey.artikey.list().catch(() => [])) await ui.artikey.vault.erase(instance.id).catch(() => undefined);
    await ui.close();
    await fake.stop();
  });

  it('logs in through the browser from the Migrate screen, plans, and replaces the key', async () => {
    const page = ui.page;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Migrate', exact: true }).click();
    await page.getByRole('button', { name: 'Scan my files' }).click();
    const logIn = page.getByRole('button', { name: `Log in and plan migration of ${fake.url}` });
    await logIn.waitFor({ state: 'visible' });
    await logIn.click();
    await page.getByRole('heading', { name: /^Plan for / }).waitFor({ state: 'visible' });
    expect(await page.getByText(/refused the API key found in your files/).count()).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Migrate', exact: true }).click();
    await page.getByTestId('migration-report').waitFor({ state: 'visible' });
    expect(await page.getByTestId('migration-report').textContent()).toMatch(/1 replaced/);
    const [instance] = await ui.artikey.artikey.list();
    const pip = readFileSync(pipConf(), 'utf8');
    expect(pip).not.toContain(apiKey);
    expect(pip).toContain(await ui.artikey.artikey.accessToken(instance?.id ?? ''));
    expect(await page.content()).not.toContain(apiKey);
  });
});
