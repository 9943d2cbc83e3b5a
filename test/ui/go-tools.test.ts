import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../fake-artifactory/clock.js';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import { logInAs } from '../support/browser-login.js';
import { violations } from './axe.js';
import { startUi, type UiSession } from './harness.js';

/**
 * The Tools panel offers Go with the server's Go repositories (issue 18): the picker shows the
 * GOPROXY URL it writes, set up writes the Go env file and the .netrc entry beside it, and removing
 * Go takes out both. On an https instance: the go command sends .netrc credentials only over https.
 */
describe('the Tools panel: Go', { timeout: 120_000 }, () => {
  let fake: FakeArtifactory;
  let ui: UiSession;
  let id = '';
  const go = () => ui.page.locator('[data-tool-card="go"]');

  beforeAll(async () => {
    fake = await startFakeArtifactory({ tls: true, clock: new FakeClock({ frozen: true }) });
    ui = await startUi({ fake });
    ({ id } = (await logInAs(ui.artikey.artikey, fake, DEMO_USER.name)).instance);
  });
  afterAll(async () => {
    if (ui) {
      if (id) await ui.artikey.vault.erase(id).catch(() => undefined);
      await ui.close();
    }
    await fake?.stop();
  });

  it('picks the Go repository, shows the GOPROXY it writes, writes the env file and .netrc, and removes both as one', async () => {
    await ui.page.evaluate(
      `location.hash = ${JSON.stringify(`#/instance/${encodeURIComponent(id)}/tools`)}`,
    );
    const picker = go().getByRole('combobox', { name: 'Go repository' });
    await picker.waitFor();
    expect(await picker.locator('option').allTextContents()).toEqual([
      'go-virtual (virtual) — go-remote',
      'go-remote (remote) — Proxy of proxy.golang.org',
    ]);
    await expect.poll(() => picker.inputValue()).toBe('go-virtual');
    const proxy = `${fake.url}/artifactory/api/go/go-virtual`;
    await expect
      .poll(() => go().getByTestId('go-repo-url').textContent())
      .toContain(`Writes ${proxy}`);
    await go()
      .getByRole('textbox', {
        name: 'Modules not checked against the public checksum database (optional)',
      })
      .fill('github.com/acme/*');
    expect(await violations(ui)).toEqual([]);

    await go().getByRole('button', { name: 'Set up Go' }).click();
    await go()
      .getByText(/^Done: Go: GOPROXY=/)
      .waitFor();
    const envFile = join(ui.home, '.config', 'go', 'env');
    expect(readFileSync(envFile, 'utf8')).toBe(`GOPROXY=${proxy}\nGONOSUMDB=github.com/acme/*\n`);
    expect(readFileSync(join(ui.home, '.netrc'), 'utf8')).toMatch(
      new RegExp(
        `^machine ${new URL(fake.url).hostname}\\n  login ${DEMO_USER.name}\\n  password `,
      ),
    );
    expect((await ui.artikey.artikey.repositories(id, 'go')).remembered).toBe('go-virtual');
    expect(await violations(ui)).toEqual([]);

    await ui.page.getByRole('button', { name: `Remove Go from ${envFile}` }).click();
    await expect.poll(() => existsSync(envFile)).toBe(false);
    await expect.poll(() => existsSync(join(ui.home, '.netrc'))).toBe(false);
  });
});
