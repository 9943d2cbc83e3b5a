import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { violations } from './axe.js';
import { startUi, type UiSession } from './harness.js';

/**
 * How often tokens are replaced is the person's choice in Settings, next to their lifetime (see
 * electron/core/token-lifetime.ts). The real renderer over the real core, the fake Artifactory and
 * the real keychain.
 */
describe('the window: replacing tokens', () => {
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
});
