import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { violations } from './axe.js';
import { startUi, type UiSession } from './harness.js';

/**
 * Issue 17: a server Artikey cannot reach is said with the reason, in the window as in
 * `artikey status`: "Check now" must not answer "Checked with the server." when no server
 * answered. The real renderer over the real core, the fake Artifactory (stopped) and the real
 * keychain.
 */
describe('the window, when the server does not answer', () => {
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

  it('"Check now" says why the server could not be reached, and the Server row too', async () => {
    const { instance } = await ui.artikey.artikey.loginWithBrowser({
      url: ui.fake.url,
      onPrompt: (prompt) =>
        ui.fake.approveLogin(
          new URL(prompt.url).searchParams.get('jfClientSession') ?? '',
          'alice',
        ),
    });
    await ui.fake.stop();
    await ui.page.evaluate(
      `location.hash = ${JSON.stringify(`#/instance/${encodeURIComponent(instance.id)}`)}`,
    );
    await ui.page.getByRole('button', { name: 'Check now' }).click();
    const reason = `connection refused to 127.0.0.1:${ui.fake.port}`;
    const message = ui.page.getByTestId('instance-message');
    await expect
      .poll(() => message.textContent(), { timeout: 15_000 })
      .toBe(`Could not reach the server: ${reason}.`);
    expect(await ui.page.getByTestId('server').textContent()).toBe(
      `Artifactory unreachable: ${reason}`,
    );
    expect(await violations(ui)).toEqual([]);
  });
});
