import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, onTestFailed, onTestFinished } from 'vitest';
import type { ArtikeyBridge, Events, Result } from '../../electron/ipc/contract.js';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { root } from '../support/built.js';
import { startUi, type UiSession } from './harness.js';

/** What the page-side test code keeps on the window between evaluate calls. */
type Page = {
  artikey: ArtikeyBridge;
  seen: { event: string; payload: unknown }[];
  pending?: Promise<unknown>;
};

/**
 * The harness itself: `window.artikey` in the real renderer build is the contract's bridge,
 * bound to the real core in this process without any HTTP listener for the bridge.
 */
describe('UI harness: the renderer build on the real core', () => {
  let ui: UiSession;
  const version = (JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { version: string })
    .version;

  beforeAll(async () => {
    ui = await startUi({ colorScheme: 'dark' });
    // Listen in the page, as the renderer does.
    await ui.page.evaluate(() => {
      const page = globalThis as unknown as Page;
      page.seen = [];
      for (const event of ['instances.changed', 'login.prompt', 'navigate'] as const)
        page.artikey.on(event, (payload) => page.seen.push({ event, payload }));
    });
  });
  afterAll(async () => {
    await ui?.close();
  });

  it('answers app.info from main with the package version', async () => {
    const info = await ui.page.evaluate(() => (globalThis as unknown as Page).artikey.app.info());
    expect(info).toMatchObject({
      ok: true,
      value: { name: 'Artikey', version, packaged: false, platform: process.platform },
    });
    expect(ui.calls.some((c) => c.method === 'app.info')).toBe(true);
  });

  it('exposes only the contract: frozen, no way to add a method', async () => {
    const shape = await ui.page.evaluate(() => {
      const bridge = (globalThis as unknown as Page).artikey as unknown as Record<string, object>;
      return {
        frozen: Object.isFrozen(bridge) && Object.isFrozen(bridge['instances']),
        areas: Object.keys(bridge).sort(),
      };
    });
    expect(shape.frozen).toBe(true);
    expect(shape.areas).toContain('instances');
    expect(shape.areas).toContain('on');
  });

  it('logs in by password from the page; instances.changed reaches the page', async () => {
    // A permissive server (token generation via the API with Basic enabled): this is the password channel.
    ui.fake.config.allowBasicAuthTokenCreation = true;
    onTestFinished(() => {
      ui.fake.config.allowBasicAuthTokenCreation = false;
    });
    const before = await ui.page.evaluate(() =>
      (globalThis as unknown as Page).artikey.instances.list(),
    );
    expect(before).toEqual({ ok: true, value: [] });

    const from = ui.events.length;
    const login = await ui.page.evaluate(
      ([url, username, password]) =>
        (globalThis as unknown as Page).artikey.login.password({ url, username, password }),
      [ui.fake.url, DEMO_USER.name, DEMO_USER.password] as const,
    );
    expect(login).toMatchObject({ ok: true, value: { instance: { username: DEMO_USER.name } } });
    const change = await ui.waitForEvent('instances.changed', (c) => c.reason === 'login', {
      from,
    });
    await ui.page.waitForFunction(() =>
      (globalThis as unknown as Page).seen.some((s) => s.event === 'instances.changed'),
    );
    const seen = await ui.page.evaluate(() => (globalThis as unknown as Page).seen);
    expect(seen).toContainEqual({ event: 'instances.changed', payload: change });

    const after = (await ui.page.evaluate(() =>
      (globalThis as unknown as Page).artikey.instances.list(),
    )) as Result<{ id: string }[]>;
    expect(after.ok && after.value.length).toBe(1);

    // The password went in; neither it nor the token ever came back out.
    expect(JSON.stringify(ui.calls)).toContain(DEMO_USER.password);
    const id = after.ok ? (after.value[0]?.id ?? '') : '';
    const secrets = await ui.artikey.vault.read(id);
    expect(secrets?.accessToken).toBeTruthy();
    const received = ui.pageReceived();
    expect(received).not.toContain(DEMO_USER.password);
    expect(received).not.toContain(secrets?.accessToken);
    expect(received).not.toContain(secrets?.refreshToken);
  });

  it('refuses a bad argument with invalid-argument, before the core sees it', async () => {
    const result = await ui.page.evaluate(
      (url) =>
        (globalThis as unknown as Page).artikey.login.password({
          url,
          username: 'alice',
          password: 42,
        } as never),
      ui.fake.url,
    );
    expect(result).toMatchObject({ ok: false, code: 'invalid-argument' });
  });

  it('logs in through the browser: login.prompt reaches the page, the approval completes it', async () => {
    const from = ui.events.length;
    // Once, under load, this ran past 30 s (it takes about 1 s): a failure says where it stood.
    let step = 'starting the login in the page';
    onTestFailed(() => {
      const events = ui.events.slice(from).map((e) => e.event);
      console.error(`the browser login stopped while ${step}; events since: ${events.join(', ')}`);
    });
    await ui.page.evaluate((url) => {
      const page = globalThis as unknown as Page;
      page.pending = page.artikey.login.browser({ url });
    }, ui.fake.url);
    step = 'approving it in a second tab';
    const { code } = await ui.approveBrowserLogin();
    step = 'waiting for the login to finish after the approval';
    const result = await ui.page.evaluate(() => (globalThis as unknown as Page).pending);
    step = 'checking what reached the page';
    expect(result).toMatchObject({ ok: true, value: { instance: { username: DEMO_USER.name } } });

    const prompt = await ui.waitForEvent('login.prompt', undefined, { from });
    expect(prompt.code).toBe(code);
    expect(ui.openedUrls).toContain(prompt.url);
    await ui.page.waitForFunction(() =>
      (globalThis as unknown as Page).seen.some((s) => s.event === 'login.prompt'),
    );
    const seen = await ui.page.evaluate(() => (globalThis as unknown as Page).seen);
    expect(seen).toContainEqual({ event: 'login.prompt', payload: prompt });
  });

  it('pushes main events such as navigate into the page', async () => {
    const navigation: Events['navigate'] = { to: 'settings' };
    await ui.emit('navigate', navigation);
    const seen = await ui.page.evaluate(() => (globalThis as unknown as Page).seen);
    expect(seen).toContainEqual({ event: 'navigate', payload: navigation });
  });

  it('has had no unexpected error in main', async () => {
    const path = await ui.screenshot('harness-smoke');
    expect(path).toMatch(/test-results\/ui\/harness-smoke\.png$/);
    expect(ui.errors.filter((e) => e.startsWith('main:'))).toEqual([]);
  });
});
