import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../fake-artifactory/clock.js';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import type { Recorded } from './standin/protocol.js';
import { App, RENDERER_INDEX, runCli } from './support/app.js';

/**
 * The window and main talking through the built preload: calls cross as Electron clones them,
 * main's events reach the page, and the page cannot take the window anywhere else.
 */
let fake: FakeArtifactory;
let app: App;

beforeAll(async () => {
  fake = await startFakeArtifactory({
    clock: new FakeClock(),
    approveBrowserLoginsAs: DEMO_USER.name,
  });
});
afterAll(() => fake.stop());
afterEach(() => app.cleanup());

const loaded = (record: Recorded): boolean =>
  record.kind === 'window' && record.event === 'did-finish-load';

type Page = { location: { href: string } };
type Scope = typeof globalThis & {
  artikey: {
    on(event: string, listener: (payload: unknown) => void): () => void;
    instances: { inspect(id: unknown): Promise<{ ok: boolean; code?: string }> };
  };
  seen: unknown[];
};

describe('the window and main, through the built preload', () => {
  it('shows an instance the CLI logged in to from another process, told by main’s event', async () => {
    app = await App.launch();
    await app.waitFor('the window to load', loaded);
    const page = await app.page();
    await page.evaluate(() => {
      const scope = globalThis as Scope;
      scope.seen = [];
      scope.artikey.on('instances.changed', (change) => scope.seen.push(change));
    });

    const login = await runCli(app.home, [
      'login',
      fake.url,
      '--no-browser',
      '--name',
      'elsewhere',
    ]);
    expect(login.code, login.stderr).toBe(0);

    await page.waitForFunction(() => (globalThis as Scope).seen.length > 0, undefined, {
      timeout: 10_000,
    });
    expect(await page.evaluate(() => (globalThis as Scope).seen[0])).toMatchObject({
      reason: 'external',
    });
    await page
      .locator('[data-instance]')
      .filter({ hasText: 'elsewhere' })
      .waitFor({ timeout: 10_000 });
    await app.until('the tray to list it', () =>
      app.trayMenu().some((item) => item.label?.includes('elsewhere')) ? true : undefined,
    );
  });

  it('refuses a call whose arguments cannot be cloned, before main sees it, as Electron does', async () => {
    app = await App.launch();
    await app.waitFor('the window to load', loaded);
    const page = await app.page();
    const outcome = await page.evaluate(() =>
      (globalThis as Scope).artikey.instances
        .inspect(() => 'a function')
        .then(
          () => 'answered',
          (error: Error) => error.message,
        ),
    );
    expect(outcome).toBe('An object could not be cloned.');
    // A class instance crosses as plain data and meets main's argument check like any other.
    const plain = await page.evaluate(() => {
      class Id {
        value = 'x';
      }
      return (globalThis as Scope).artikey.instances.inspect(new Id());
    });
    expect(plain).toMatchObject({ ok: false, code: 'invalid-argument' });
  });

  it('keeps the window on its page: an instance’s own link opens in the system browser, any other nowhere', async () => {
    app = await App.launch();
    await app.waitFor('the window to load', loaded);
    const page = await app.page();
    const login = await runCli(app.home, ['login', fake.url, '--no-browser', '--name', 'acme']);
    expect(login.code, login.stderr).toBe(0);
    await page.locator('[data-instance]').filter({ hasText: 'acme' }).waitFor({ timeout: 10_000 });

    const own = `${fake.url}/ui/admin/artifactory/user_profile`;
    await page.evaluate((url) => void ((globalThis as unknown as Page).location.href = url), own);
    await app.waitFor('the system browser', (r) => r.kind === 'open-external');
    expect(app.all('open-external')).toEqual([{ kind: 'open-external', url: own }]);

    // A closed loopback port: should the stand-in let it through, nothing leaves this machine.
    await page.evaluate(
      () => void ((globalThis as unknown as Page).location.href = 'http://127.0.0.1:9/phish'),
    );
    // Navigations are decided in order: once a later own link has opened, the other was refused.
    const again = `${fake.url}/ui/packages`;
    await page.evaluate((url) => void ((globalThis as unknown as Page).location.href = url), again);
    await app.until('the second own link', () =>
      app.all('open-external').length === 2 ? true : undefined,
    );
    expect(app.all('open-external').map((r) => r.url)).toEqual([own, again]);
    expect(page.url()).toBe(`file://${RENDERER_INDEX}`);
    expect(app.all('window').filter((r) => r.event === 'did-finish-load')).toHaveLength(1);
  });
});
