import { existsSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../fake-artifactory/clock.js';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import type { Recorded } from './standin/protocol.js';
import { App, processesMentioning, RENDERER_INDEX, runCli, tempHome } from './support/app.js';
import { root } from '../support/built.js';

/**
 * The built app starting cold: the composition root (electron/main/index.ts) wires the window,
 * the preload, IPC, the tray and the single-instance rule in the order Electron needs.
 */
let fake: FakeArtifactory;
const apps: App[] = [];
const launch = async (...options: Parameters<typeof App.launch>): Promise<App> => {
  const app = await App.launch(...options);
  apps.push(app);
  return app;
};

beforeAll(async () => {
  fake = await startFakeArtifactory({
    clock: new FakeClock(),
    approveBrowserLoginsAs: DEMO_USER.name,
  });
});
afterAll(() => fake.stop());
afterEach(async () => {
  for (const app of apps.splice(0)) await app.cleanup();
});

const isWindow =
  (event: string) =>
  (record: Recorded): boolean =>
    record.kind === 'window' && record.event === event;

interface PageArtikey {
  artikey: { instances: { list(): Promise<{ ok: boolean; value: { name: string }[] }> } };
}

describe('the built app, started cold', () => {
  it('shows the real renderer, which reaches the core through the real preload and lists the instances', async () => {
    const home = tempHome();
    const login = await runCli(home, ['login', fake.url, '--no-browser', '--name', 'acme']);
    expect(login.code, login.stderr).toBe(0);

    const app = await launch({ home });
    const loaded = await app.waitFor('the window to load', isWindow('did-finish-load'));
    expect(loaded).toMatchObject({ url: `file://${RENDERER_INDEX}` });
    await app.waitFor('the window to show', isWindow('show'));
    const page = await app.page();
    const listed = await page.evaluate(() =>
      (globalThis as unknown as PageArtikey).artikey.instances.list(),
    );
    expect(listed.ok).toBe(true);
    expect(listed.value.map((instance) => instance.name)).toEqual(['acme']);
    await page.locator('[data-instance]').filter({ hasText: 'acme' }).waitFor({ timeout: 10_000 });
    // The page has the bridge's named methods and nothing more of the preload's world.
    const reach = await page.evaluate(() => {
      const scope = globalThis as Record<string, unknown>;
      return {
        require: typeof scope['require'],
        invoke: typeof scope['__artikeyStandinInvoke'],
        process: typeof scope['process'],
      };
    });
    expect(reach).toEqual({ require: 'undefined', invoke: 'undefined', process: 'undefined' });
    expect(app.all('page-error')).toEqual([]);
  });

  it('locks the window down and loads the preload from the build', async () => {
    const app = await launch();
    const created = await app.waitFor('the window', isWindow('created'));
    if (created.kind !== 'window' || created.event !== 'created') throw new Error('not a window');
    const preferences = created.options.webPreferences;
    expect(preferences).toMatchObject({
      preload: `${root}dist/preload/index.cjs`,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      webviewTag: false,
      allowRunningInsecureContent: false,
    });
    expect(existsSync(String(preferences['preload']))).toBe(true);
    // Shown once it has painted, not before (no white flash, no empty window).
    expect(created.options.show).toBe(false);
    const order = app.records.map((r) => ('event' in r ? `${r.kind}:${r.event}` : r.kind));
    await app.waitFor('the window to show', isWindow('show'));
    const shown = app.records.map((r) => ('event' in r ? `${r.kind}:${r.event}` : r.kind));
    expect(shown.indexOf('window:ready-to-show')).toBeLessThan(shown.indexOf('window:show'));
    // Every IPC method is served before the window is even created.
    const handled = app.all('ipc').filter((r) => r.event === 'handle').length;
    expect(handled).toBeGreaterThan(30);
    expect(order.indexOf('ipc:handle')).toBeLessThan(order.indexOf('window:created'));
    expect(order.indexOf('app:ready')).toBeLessThan(order.indexOf('ipc:handle'));
  });

  it('builds the tray after ready, from an icon file that exists, and registers artikey:// links', async () => {
    const app = await launch();
    const tray = await app.waitFor('the tray', (r) => r.kind === 'tray' && r.event === 'created');
    const order = app.records.map((r) => ('event' in r ? `${r.kind}:${r.event}` : r.kind));
    expect(order.indexOf('app:ready')).toBeLessThan(order.indexOf('tray:created'));
    if (tray.kind !== 'tray' || tray.event !== 'created') throw new Error('not the tray');
    expect(tray.image).toBe(`${root}build/tray/ok.png`);
    expect(existsSync(tray.image)).toBe(true);
    await app.until('a tray menu', () => (app.trayMenu().length > 0 ? true : undefined));
    expect(app.trayMenu().map((item) => item.label)).toContain('Quit Artikey');
    await app.waitFor('the link scheme', (r) => r.kind === 'protocol-client');
    expect(app.all('protocol-client')).toEqual([{ kind: 'protocol-client', scheme: 'artikey' }]);
  });

  it('lets a second launch hand over to the first, which shows its window, and the second ends', async () => {
    const first = await launch();
    await first.waitFor('the first window to show', isWindow('show'));
    const shows = first.all('window').filter((r) => r.event === 'show').length;

    const second = await launch({ home: first.home });
    expect(await second.exited).toEqual({ code: 0, signal: null });
    expect(second.all('single-instance-lock')).toEqual([
      { kind: 'single-instance-lock', granted: false },
    ]);
    expect(second.all('window')).toEqual([]);
    expect(second.all('tray')).toEqual([]);

    await first.waitFor('the first window to take focus', isWindow('focus'));
    expect(first.all('window').filter((r) => r.event === 'show').length).toBe(shows + 1);
    expect(first.all('window').filter((r) => r.event === 'created')).toHaveLength(1);
  });

  it('starts in the tray only with --hidden, and opens the window from the tray icon', async () => {
    const app = await launch({ args: ['--hidden'] });
    // Registering the link scheme is the start's last step before it decides on the window.
    await app.waitFor('the start to complete', (r) => r.kind === 'protocol-client');
    expect(app.trayMenu().length).toBeGreaterThan(0);
    expect(app.all('window')).toEqual([]);
    expect(app.all('browser')).toEqual([]);

    await app.command({ op: 'click-tray-icon' });
    await app.waitFor('the window to show', isWindow('show'));
    expect(app.all('window').filter((r) => r.event === 'created')).toHaveLength(1);
  });

  it('hides the window when it is closed and keeps running in the tray; Quit ends everything', async () => {
    const app = await launch();
    const created = await app.waitFor('the window', isWindow('created'));
    await app.waitFor('the window to show', isWindow('show'));
    if (created.kind !== 'window') throw new Error('not a window');
    await app.command({ op: 'close-window', id: created.id });
    await app.waitFor('the window to hide', isWindow('hide'));
    expect(app.all('window').filter((r) => r.event === 'closed')).toEqual([]);
    expect(app.hasExited).toBe(false);

    await app.command({ op: 'click-tray-item', path: ['Quit Artikey'] });
    expect(await app.exited).toEqual({ code: 0, signal: null });
    expect(app.all('app').map((r) => r.event)).toEqual([
      'will-finish-launching',
      'ready',
      'before-quit',
    ]);
    expect(app.all('tray').at(-1)).toEqual({ kind: 'tray', event: 'destroyed' });
    expect(processesMentioning(app.home)).toEqual([]);
  });
});
