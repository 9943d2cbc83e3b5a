import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../fake-artifactory/clock.js';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import { layOutPackagedApp, linkUnpackedIntoApp } from '../support/electron-builder.js';
import type { Recorded } from './standin/protocol.js';
import { App, buildStandIn, processesMentioning, runCli, tempHome } from './support/app.js';

/**
 * The app as electron-builder packs it (the files its configuration selects, the tray images
 * beside the archive, the keychain addon unpacked), started as an installed app: main must find
 * everything from `process.resourcesPath` and the archive, not from the checkout.
 */
let fake: FakeArtifactory;
let folder: string;
let resources: string;

beforeAll(async () => {
  await buildStandIn();
  fake = await startFakeArtifactory({
    clock: new FakeClock(),
    approveBrowserLoginsAs: DEMO_USER.name,
  });
  folder = mkdtempSync(join(tmpdir(), 'artikey-packaged-'));
  resources = layOutPackagedApp(folder);
  linkUnpackedIntoApp(resources);
});
afterAll(async () => {
  await fake.stop();
  rmSync(folder, { recursive: true, force: true });
});

const isWindow =
  (event: string) =>
  (record: Recorded): boolean =>
    record.kind === 'window' && record.event === event;

describe('the packaged app', () => {
  it('starts from the packed files: renderer, preload, tray images and keychain all from the package', async () => {
    const home = tempHome();
    const login = await runCli(home, ['login', fake.url, '--no-browser', '--name', 'packed']);
    expect(login.code, login.stderr).toBe(0);
    const app = await App.launch({ home, packaged: resources });
    try {
      const created = await app.waitFor('the window', isWindow('created'));
      if (created.kind !== 'window' || created.event !== 'created') throw new Error('not a window');
      expect(created.options.webPreferences).toMatchObject({
        preload: join(resources, 'app', 'dist', 'preload', 'index.cjs'),
        // No devtools in an installed app: they would let anyone at the keyboard call IPC.
        devTools: false,
      });
      const loaded = await app.waitFor('the page', isWindow('did-finish-load'));
      expect(loaded).toMatchObject({
        url: `file://${join(resources, 'app', 'dist', 'renderer', 'index.html')}`,
      });
      const tray = await app.waitFor('the tray', (r) => r.kind === 'tray' && r.event === 'created');
      if (tray.kind !== 'tray' || tray.event !== 'created') throw new Error('not the tray');
      expect(tray.image).toBe(join(resources, 'tray', 'ok.png'));
      expect(existsSync(tray.image)).toBe(true);

      // The page's calls pass main's trust check for the packaged page, and the packaged
      // keychain child reads the token the CLI stored.
      const page = await app.page();
      await page
        .locator('[data-instance]')
        .filter({ hasText: 'packed' })
        .waitFor({ timeout: 10_000 });
      const info = await page.evaluate(() =>
        (
          globalThis as unknown as { artikey: { app: { info(): Promise<unknown> } } }
        ).artikey.app.info(),
      );
      expect(info).toMatchObject({ ok: true, value: { packaged: true } });
      await app.until('the tray to list it', () =>
        app.trayMenu().some((item) => item.label?.includes('packed')) ? true : undefined,
      );
      expect(await app.quit()).toEqual({ code: 0, signal: null });
      expect(processesMentioning(home)).toEqual([]);
    } finally {
      await app.cleanup();
    }
  });
});
