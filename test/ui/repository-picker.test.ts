import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { logInAs } from '../support/browser-login.js';
import { violations } from './axe.js';
import { startUi, type UiSession } from './harness.js';

/**
 * The Tools panel offers each tool's repositories from the instance's server (issue 17): a picker,
 * virtual first, then remote and local, each with its type; the exact URL the file gets; the
 * choice remembered for the instance; free text with a note where the listing is refused (403).
 */
describe('the Tools panel: repositories from the server', { timeout: 120_000 }, () => {
  let ui: UiSession;
  let id = '';
  const npm = () => ui.page.locator('[data-tool-card="npm"]');
  const pip = () => ui.page.locator('[data-tool-card="pip"]');
  const openTools = async () => {
    await ui.page.evaluate(`location.hash = ${JSON.stringify(`#/instance/${encodeURIComponent(id)}/tools`)}`);
    await npm().waitFor();
  };

  beforeAll(async () => {
    ui = await startUi();
    ({ id } = (await logInAs(ui.artikey.artikey, ui.fake, DEMO_USER.name)).instance);
  });
  afterAll(async () => {
    if (ui) {
      if (id) await ui.artikey.vault.erase(id).catch(() => undefined);
      await ui.close();
    }
  });

  it('picks from the list, virtual first with types shown, shows the URL, writes it and remembers the choice', async () => {
    await openTools();
    const picker = pip().getByRole('combobox', { name: 'PyPI repository' });
    await picker.waitFor();
    expect(await picker.locator('optgroup').evaluateAll((groups) => groups.map((g) => g.getAttribute('label')))).toEqual(['Virtual', 'Remote', 'Local']);
    expect(await picker.locator('option').allTextContents()).toEqual([
      'pypi-virtual (virtual) — pypi-local and pypi-remote',
      'pypi-remote (remote) — Proxy of pypi.org',
      'pypi-local (local)',
    ]);
    expect(await picker.inputValue()).toBe('pypi-virtual');
    await picker.selectOption('pypi-local');
    const url = `${ui.fake.url}/artifactory/api/pypi/pypi-local/simple/`;
    await expect.poll(() => pip().getByTestId('pip-repo-url').textContent()).toContain(`Writes ${url}`);
    expect(await violations(ui)).toEqual([]);

    await pip().getByRole('button', { name: 'Set up pip' }).click();
    await pip().getByText(/^Done: pip/).waitFor();
    expect(readFileSync(join(ui.home, '.config', 'pip', 'pip.conf'), 'utf8')).toContain('/api/pypi/pypi-local/simple/');
    expect((await ui.artikey.artikey.repositories(id, 'pip')).remembered).toBe('pypi-local');

    // Opened again (a fresh page), the remembered repository is the one offered.
    await ui.open();
    await openTools();
    await expect.poll(() => pip().getByRole('combobox', { name: 'PyPI repository' }).inputValue()).toBe('pypi-local');
  });

  it('falls back to free text with the note when the user may not list repositories (403), still showing the URL', async () => {
    ui.fake.config.repositoryListForbidden = true;
    try {
      await ui.open();
      await openTools();
      const field = npm().getByRole('textbox', { name: 'npm repository' });
      await npm().getByText(/does not let alice list repositories \(403\)/).waitFor();
      await field.fill('team-npm');
      await expect.poll(() => npm().getByTestId('npm-repo-url').textContent()).toContain(`Writes ${ui.fake.url}/artifactory/api/npm/team-npm/`);
      expect(await field.getAttribute('aria-describedby')).toBe('npm-repo-note');
      expect(await violations(ui)).toEqual([]);
      await npm().getByRole('button', { name: 'Set up npm' }).click();
      await npm().getByText(/^Done: npm/).waitFor();
      expect(readFileSync(join(ui.home, '.npmrc'), 'utf8')).toContain('/api/npm/team-npm/:_authToken=');
    } finally {
      ui.fake.config.repositoryListForbidden = false;
    }
  });
});
