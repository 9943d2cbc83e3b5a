import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { logInAs } from '../support/browser-login.js';
import { violations } from './axe.js';
import { startUi, type UiSession } from './harness.js';

/**
 * "Set up my tools" (issue 18): the tools found on PATH (stand-in programs in a folder the test
 * controls) are ticked, each ticked tool's repository comes from the instance's list in the same
 * picker as the tools panel, every file's preview is on one screen without the token, and one
 * button writes them all. Keyboard first, axe clean.
 */
describe('Set up my tools', { timeout: 120_000 }, () => {
  let ui: UiSession;
  let id = '';
  const bin = mkdtempSync(join(tmpdir(), 'artikey-setup-bin-'));
  const setup = () => ui.page.getByRole('region', { name: /Set up my tools|Review the changes|Your tools are set up/ });

  beforeAll(async () => {
    mkdirSync(bin, { recursive: true });
    for (const name of ['docker', 'mvn']) {
      writeFileSync(join(bin, name), '#!/bin/sh\nexit 0\n');
      chmodSync(join(bin, name), 0o755);
    }
    ui = await startUi({ path: bin });
    ({ id } = (await logInAs(ui.artikey.artikey, ui.fake, DEMO_USER.name)).instance);
  });
  afterAll(async () => {
    if (ui) {
      if (id) await ui.artikey.vault.erase(id).catch(() => undefined);
      await ui.close();
    }
    rmSync(bin, { recursive: true, force: true });
  });

  it('proposes the installed tools, asks npm its repository, previews every file, and sets all up at once', async () => {
    await ui.page.evaluate(`location.hash = ${JSON.stringify(`#/instance/${encodeURIComponent(id)}/tools`)}`);
    await setup().getByRole('button', { name: 'Set up my tools' }).click();
    const tools = setup().getByRole('group', { name: /Tools for/ });
    await tools.waitFor();
    // The step's heading takes the focus, so a keyboard or screen reader user lands on it.
    await expect.poll(() => ui.page.evaluate('document.activeElement && document.activeElement.id')).toBe('setup-heading');
    expect(await tools.getByRole('checkbox', { name: 'docker' }).isChecked()).toBe(true);
    expect(await tools.getByRole('checkbox', { name: 'maven' }).isChecked()).toBe(true);
    expect(await tools.getByRole('checkbox', { name: 'npm' }).isChecked()).toBe(false);
    expect(await tools.locator('[data-setup-tool="docker"]').textContent()).toContain(`installed (${join(bin, 'docker')})`);
    expect(await tools.locator('[data-setup-tool="pip"]').textContent()).toContain('not found on PATH');

    // Ticked from the keyboard: npm's picker appears with the instance's repositories, virtual first.
    await tools.getByRole('checkbox', { name: 'npm' }).focus();
    await ui.page.keyboard.press('Space');
    const npmPicker = tools.getByRole('combobox', { name: 'npm repository' });
    await expect.poll(() => npmPicker.inputValue()).toBe('npm-virtual');
    expect(await violations(ui)).toEqual([]);

    await setup().getByRole('button', { name: 'Preview changes (3)' }).click();
    await setup().getByRole('heading', { name: 'Review the changes' }).waitFor();
    const screen = (await setup().textContent()) ?? '';
    expect(screen).toContain(join(ui.home, '.docker', 'config.json'));
    expect(screen).toContain(join(ui.home, '.m2', 'settings.xml'));
    expect(screen).toContain(join(ui.home, '.npmrc'));
    expect(screen).toContain('_authToken=<token>');
    expect(screen).not.toContain(await ui.artikey.artikey.accessToken(id));
    expect(existsSync(join(ui.home, '.npmrc'))).toBe(false);
    expect(await violations(ui)).toEqual([]);

    await setup().getByRole('button', { name: 'Set up 3 tools' }).click();
    await setup().getByRole('heading', { name: 'Your tools are set up' }).waitFor();
    expect(readFileSync(join(ui.home, '.npmrc'), 'utf8')).toContain('/api/npm/npm-virtual/:_authToken=');
    expect((await ui.artikey.artikey.toolTargets(id)).map((t) => t.kind).sort()).toEqual(['docker-helper', 'maven', 'npm']);
    expect(await violations(ui)).toEqual([]);
  });
});
