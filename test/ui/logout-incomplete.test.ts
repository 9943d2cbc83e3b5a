import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Environment } from '../../electron/core/paths.js';
import { targetSpec, type Tool } from '../../electron/core/targets/tool-request.js';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { logInAs } from '../support/browser-login.js';
import { violations } from './axe.js';
import { startUi, type UiSession } from './harness.js';

/**
 * A logout the server refuses to revoke, and one that stops part-way, as a person meets them in
 * the real renderer over the real core, the fake Artifactory, the real keychain and a temp HOME.
 */
describe('the window, when a logout is refused or stops part-way', () => {
  let ui: UiSession;
  beforeAll(async () => {
    ui = await startUi({ colorScheme: 'light' });
  });
  afterEach(() => ui.fake.faults.clear());
  afterAll(async () => {
    if (ui) {
      for (const instance of await ui.artikey.artikey.list().catch(() => []))
        await ui.artikey.vault.erase(instance.id).catch(() => undefined);
      await ui.close();
    }
  });

  const page = () => ui.page;
  const core = () => ui.artikey.artikey;
  const npmrc = () => join(ui.home, '.npmrc');
  const text = (path: string): string => (existsSync(path) ? readFileSync(path, 'utf8') : '');
  const visible = (locator: ReturnType<UiSession['page']['locator']>) =>
    locator.waitFor({ state: 'visible', timeout: 10_000 });

  async function loggedIn(tools: Tool[]): Promise<{ id: string; token: string }> {
    const { instance } = await logInAs(core(), ui.fake, DEMO_USER.name);
    const environment: Environment = { platform: 'linux', env: {}, home: ui.home };
    for (const tool of tools) {
      const view = await core().instance(instance.id);
      const options = tool === 'npm' ? { repo: 'npm-virtual' } : {};
      await core().configureTool(instance.id, targetSpec(tool, view, options, environment));
    }
    return { id: instance.id, token: await core().accessToken(instance.id) };
  }

  async function openInstance(id: string): Promise<void> {
    await page().evaluate(
      `location.hash = ${JSON.stringify(`#/instance/${encodeURIComponent(id)}`)}`,
    );
    await visible(page().getByRole('heading', { level: 1, name: ui.fake.host }));
  }

  it('offers to log out on this machine only when the server will not revoke, saying until when the token stays valid', async () => {
    const { id, token } = await loggedIn(['npm']);
    const expiresAt = (await core().instance(id)).token.expiresAt!;
    const before = readFileSync(npmrc(), 'utf8');
    ui.fake.faults.add({
      method: 'DELETE',
      path: '/access/api/v1/tokens/*',
      action: { kind: 'reset' },
    });

    await openInstance(id);
    await page().getByRole('button', { name: 'Log out…' }).click();
    await page().getByRole('dialog').getByRole('button', { name: 'Log out', exact: true }).click();
    const offer = page().getByRole('region', { name: 'Log out on this machine only' });
    await visible(offer);
    const error = (await page().getByTestId('instance-message').textContent()) ?? '';
    expect(error).toMatch(/Could not revoke the token/);
    expect(error).toMatch(/nothing was changed/);
    // The window offers its button, not the command line's flag.
    expect(error).not.toContain('--keep-server-token');
    expect(error).toContain('choose “Log out on this machine only”');
    expect(await offer.textContent()).toMatch(/the token stays valid on the server\s+until/);
    expect(await offer.locator('time').getAttribute('datetime')).toBe(
      new Date(expiresAt * 1000).toISOString(),
    );
    expect(await violations(ui)).toEqual([]);
    // Refused: nothing changed yet.
    expect(readFileSync(npmrc(), 'utf8')).toBe(before);
    expect((await core().list()).map((i) => i.id)).toEqual([id]);
    expect(await ui.artikey.vault.read(id)).not.toBeNull();

    const from = ui.calls.length;
    await offer.getByRole('button', { name: 'Log out on this machine only' }).click();
    const local = await ui.waitForCall('instances.logout', undefined, { from });
    expect(local.args).toEqual([id, { keepServerToken: true }]);
    expect(local.result).toMatchObject({ ok: true, value: { complete: true, revoked: false } });
    await visible(page().getByRole('heading', { name: 'Log in once, stay logged in' }));
    expect(await core().list()).toEqual([]);
    expect(await ui.artikey.vault.read(id)).toBeNull();
    expect(text(npmrc())).not.toContain(token);
    expect(ui.fake.tokens.lookup(token).ok).toBe(true);
    expect(ui.errors).toEqual([]);
  });

  it('shows an unfinished logout in the overview and on the instance, and "Finish logout" completes it', async () => {
    const { id, token } = await loggedIn(['docker', 'npm']);
    const written = readFileSync(npmrc(), 'utf8');
    // A tool file Artikey cannot clean: logout revokes, removes Docker's entry, and stops there.
    rmSync(npmrc());
    mkdirSync(npmrc());

    await openInstance(id);
    await page().getByRole('button', { name: 'Log out…' }).click();
    await page().getByRole('dialog').getByRole('button', { name: 'Log out', exact: true }).click();
    await expect
      .poll(() => page().getByTestId('instance-message').textContent())
      .toMatch(/could not clean/);
    expect(ui.fake.tokens.lookup(token).ok).toBe(false);
    expect((await core().list()).map((i) => [i.id, i.logoutIncomplete])).toEqual([[id, true]]);

    await page()
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Instances', exact: true })
      .click();
    const row = page().locator(`[data-instance="${id}"]`);
    await visible(row.locator('[data-status="logout-incomplete"]').getByText('Logout incomplete'));
    await visible(
      page().getByText(`${ui.fake.host}: Logout incomplete — log out again to finish.`),
    );
    expect(await violations(ui)).toEqual([]);

    await row.getByRole('link').click();
    await visible(
      page().getByText('Logout incomplete — log out again to finish.', { exact: true }),
    );
    expect(await page().getByRole('button', { name: 'Log out…' }).count()).toBe(0);
    expect(await violations(ui)).toEqual([]);

    rmSync(npmrc(), { recursive: true });
    writeFileSync(npmrc(), written);
    const from = ui.calls.length;
    await page().getByRole('button', { name: 'Finish logout' }).click();
    const finish = await ui.waitForCall('instances.logout', undefined, { from });
    expect(finish.result).toMatchObject({ ok: true, value: { complete: true } });
    await visible(page().getByRole('heading', { name: 'Log in once, stay logged in' }));
    expect(await core().list()).toEqual([]);
    expect(await ui.artikey.vault.read(id)).toBeNull();
    expect(text(npmrc())).not.toContain(token);
    expect(ui.errors).toEqual([]);
  });
});
