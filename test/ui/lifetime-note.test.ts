import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { violations } from './axe.js';
import { startUi, type UiSession } from './harness.js';

/**
 * A server that limits tokens below the lifetime Artikey asks for (token.max-expiry) is said once,
 * on the instance's page, rather than failing at every refresh (see electron/core/token-lifetime.ts).
 * The real renderer over the real core, the fake Artifactory and the real keychain.
 */
describe('the window, on a server that limits token lifetimes', () => {
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

  it('shows the limit on the instance page', async () => {
    // A consistent server: "max-expiry >= default-expiry" (REST "Recommended Configurations").
    ui.fake.config.maxExpirySeconds = 86_400;
    ui.fake.config.defaultExpirySeconds = 86_400;
    const { instance } = await ui.artikey.artikey.loginWithBrowser({
      url: ui.fake.url,
      onPrompt: (prompt) =>
        ui.fake.approveLogin(new URL(prompt.url).searchParams.get('jfClientSession') ?? '', 'alice'),
    });
    await ui.page.evaluate(
      `location.hash = ${JSON.stringify(`#/instance/${encodeURIComponent(instance.id)}`)}`,
    );
    const note = ui.page.getByTestId('lifetime-note');
    await note.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await note.textContent()).toBe(
      'The server limits tokens to 1 day (Artikey asks for 4 days): after a longer sleep, log in again.',
    );
    expect(await violations(ui)).toEqual([]);
  });
});
