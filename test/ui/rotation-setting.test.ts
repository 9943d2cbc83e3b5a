import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { violations } from './axe.js';
import { startUi, type UiSession } from './harness.js';

/**
 * How often tokens are replaced is the person's choice in Settings, next to their lifetime (see
 * electron/core/token-lifetime.ts); and a login from the window that keeps the lifetime shown
 * leaves the instance following the default. The real renderer over the real core, the fake
 * Artifactory and the real keychain.
 */
describe('the window: replacing tokens, and the lifetime a login keeps', () => {
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

  const page = () => ui.page;
  const main = () => ui.page.locator('#content');
  const show = async (hash: string) => {
    await page().evaluate(`location.hash = ${JSON.stringify(hash)}`);
    await page().getByRole('heading', { level: 1 }).waitFor();
  };
  const rotation = () => page().getByLabel('Replace tokens every');
  /** A hint as read aloud: the template's line breaks are spaces. */
  const hint = async (id: string) =>
    ((await page().locator(`#${id}`).textContent()) ?? '').replace(/\s+/g, ' ');
  const stored = (id: string) =>
    (
      JSON.parse(readFileSync(ui.artikey.stateFile, 'utf8')) as {
        instances: { id: string; tokenLifetimeSeconds: number | null }[];
      }
    ).instances.find((i) => i.id === id)?.tokenLifetimeSeconds;

  it('chooses how often tokens are replaced, and says what the choice means', async () => {
    await show('#/settings');
    await rotation().waitFor();
    expect(await rotation().inputValue()).toBe('14400');
    expect(await hint('rotation-hint')).toContain(
      'a copied token works for about 4 h while this computer is awake',
    );
    expect(await hint('default-lifetime-hint')).toContain('replaces the token every 4 h');

    await rotation().selectOption({ label: '1 h' });
    await main().getByText('Saved: token replacement.').waitFor();
    expect((await ui.artikey.artikey.settings()).rotationIntervalSeconds).toBe(3600);
    expect(await hint('rotation-hint')).toContain('for about 1 h');
    expect(await hint('default-lifetime-hint')).toContain('replaces the token every 1 h');
    expect(await violations(ui)).toEqual([]);

    // Not shorter than the lifetime: allowed, and said plainly.
    await page().getByLabel('Lifetime of new tokens').selectOption({ label: '12 h' });
    await main().getByText('Saved: token lifetime.').waitFor();
    await rotation().selectOption({ label: '1 day' });
    await main().getByText('Saved: token replacement.').waitFor();
    expect(await hint('rotation-hint')).toContain(
      'not shorter than the lifetime of new tokens (12 h): each token is replaced only shortly before it expires',
    );
    expect(await violations(ui)).toEqual([]);
  });

  it('shows an interval that is not one of its choices', async () => {
    await ui.artikey.artikey.updateSettings({ rotationIntervalSeconds: 3 * 3600 });
    await show('#/activity');
    await show('#/settings');
    await rotation().waitFor();
    expect(await rotation().inputValue()).toBe('10800');
    expect(await rotation().locator('option:checked').textContent()).toBe('3 h');
  });

  it('a login that keeps the lifetime shown leaves the instance following the default', async () => {
    await ui.artikey.artikey.updateSettings({ defaultTokenLifetimeSeconds: 4 * 86_400 });
    await show('#/login');
    await page().getByLabel('Artifactory address').fill(ui.fake.url);
    const from = ui.events.length;
    await page().getByRole('button', { name: 'Log in with browser' }).click();
    await ui.waitForEvent('login.prompt', undefined, { from });
    await ui.approveBrowserLogin();
    await page()
      .getByRole('heading', { name: /^Logged in to / })
      .waitFor();
    const [instance] = await ui.artikey.artikey.list();
    expect(stored(instance!.id)).toBeNull();
    await ui.artikey.artikey.updateSettings({ defaultTokenLifetimeSeconds: 86_400 });
    expect((await ui.artikey.artikey.instance(instance!.id)).tokenLifetimeSeconds).toBe(86_400);

    // A lifetime the person picked is the instance's own.
    await page().getByRole('button', { name: 'Add another' }).click();
    await page().getByLabel('Artifactory address').fill(ui.fake.url);
    await page().getByLabel('Token lifetime').selectOption({ label: '7 days' });
    const again = ui.events.length;
    await page().getByRole('button', { name: 'Log in with browser' }).click();
    await ui.waitForEvent('login.prompt', undefined, { from: again });
    await ui.approveBrowserLogin();
    await page()
      .getByRole('heading', { name: /^Logged in to / })
      .waitFor();
    expect(stored(instance!.id)).toBe(7 * 86_400);
  });
});
