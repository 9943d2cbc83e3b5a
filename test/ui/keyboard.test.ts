import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { logInAs } from '../support/browser-login.js';
import { startUi, type UiSession } from './harness.js';

/** What has keyboard focus: its role-ish tag, its text or label, and whether the ring shows. */
interface Focused {
  tag: string;
  name: string;
  outline: string;
}

/**
 * The main flow with the keyboard alone: Tab, arrows, Enter, Escape and typing. Every focused
 * control shows a visible focus ring.
 */
describe('keyboard only', () => {
  let ui: UiSession;

  const focused = (): Promise<Focused> =>
    ui.page.evaluate(`(() => {
      const e = document.activeElement;
      const label = e && e.labels && e.labels[0] ? e.labels[0].textContent : '';
      return {
        tag: e ? e.tagName.toLowerCase() : '',
        name: ((e && (e.getAttribute('aria-label') || label || e.textContent)) || '').trim(),
        outline: e ? getComputedStyle(e).outlineStyle : '',
      };
    })()`);

  /** Presses Tab until the focused control's name matches; fails if it is never reached. */
  async function tabTo(name: RegExp, limit = 40): Promise<Focused> {
    for (let i = 0; i < limit; i++) {
      await ui.page.keyboard.press('Tab');
      const now = await focused();
      if (name.test(now.name)) {
        expect(now.outline, `focus ring on ${now.name}`).not.toBe('none');
        return now;
      }
    }
    throw new Error(`Tab never reached ${name}`);
  }

  beforeAll(async () => {
    ui = await startUi({ colorScheme: 'dark' });
  });
  afterAll(async () => {
    if (ui) {
      for (const i of await ui.artikey.artikey.list().catch(() => []))
        await ui.artikey.vault.erase(i.id).catch(() => undefined);
      await ui.close();
    }
  });

  it('starts at a skip link that jumps to the content', async () => {
    await ui.page.getByRole('heading', { name: 'Log in once, stay logged in' }).waitFor();
    await ui.page.keyboard.press('Tab');
    expect((await focused()).name).toBe('Skip to content');
  });

  it('logs in: link, fields, radio group by arrows, Enter submits', async () => {
    // A permissive server (token generation via the API with Basic enabled): this is the password form.
    ui.fake.config.allowBasicAuthTokenCreation = true;
    onTestFinished(() => {
      ui.fake.config.allowBasicAuthTokenCreation = false;
    });
    await tabTo(/^Add an instance$/);
    await ui.page.keyboard.press('Enter');
    await ui.page.getByRole('heading', { name: 'Add an instance' }).waitFor();
    // The new screen's heading has focus, so the next Tab lands in its form.
    expect((await focused()).tag).toBe('h1');
    expect((await tabTo(/^Artifactory address$/)).tag).toBe('input');
    await ui.page.keyboard.type(ui.fake.url);
    await tabTo(/Browser \(single sign-on\)/);
    await ui.page.keyboard.press('ArrowDown');
    expect(await ui.page.getByRole('radio', { name: /User name and password/ }).isChecked()).toBe(
      true,
    );
    await tabTo(/^User name$/);
    await ui.page.keyboard.type(DEMO_USER.name);
    await ui.page.keyboard.press('Tab');
    await ui.page.keyboard.type(DEMO_USER.password);
    await ui.page.keyboard.press('Enter');
    await ui.page.getByRole('heading', { name: /^Logged in to / }).waitFor();
    expect(await ui.artikey.artikey.list()).toHaveLength(1);
  });

  it('opens the instance and cancels a dialog with Escape, focus going back to its button', async () => {
    await tabTo(/^See the token$/);
    await ui.page.keyboard.press('Enter');
    await ui.page.getByRole('heading', { name: 'Current token' }).waitFor();
    await tabTo(/^Log out…$/);
    await ui.page.keyboard.press('Enter');
    await ui.page.getByRole('dialog').waitFor();
    await ui.page.keyboard.press('Escape');
    await ui.page.getByRole('dialog').waitFor({ state: 'hidden' });
    expect((await focused()).name).toBe('Log out…');
  });

  it('logs out through the dialog', async () => {
    await ui.page.keyboard.press('Enter');
    await ui.page.getByRole('dialog').waitFor();
    await tabTo(/^Log out$/, 5);
    await ui.page.keyboard.press('Enter');
    await ui.page.getByRole('heading', { name: 'Log in once, stay logged in' }).waitFor();
    expect(await ui.artikey.artikey.list()).toEqual([]);
  });

  it('announces status changes in a polite live region', async () => {
    await logInAs(ui.artikey.artikey, ui.fake, DEMO_USER.name, { lifetimeSeconds: 86_400 });
    await ui.page.locator('[data-instance]').waitFor();
    const [instance] = await ui.artikey.artikey.list();
    ui.fake.tokens.revoke(ui.fake.tokens.byId(instance!.token.tokenId!)!);
    await ui.artikey.artikey.inspect(instance!.id);
    await ui.emit('instances.changed', { instanceId: instance!.id, reason: 'external' });
    await expect
      .poll(() => ui.page.getByTestId('announcer').textContent())
      .toMatch(/is now revoked\./);
    expect(await ui.page.getByTestId('announcer').getAttribute('aria-live')).toBe('polite');
  });
});
