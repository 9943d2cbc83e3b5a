import { existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keychainInChildProcess } from '../../electron/core/keychain-process.js';
import { appLayout, type AppLayout } from '../../electron/main/app-layout.js';
import { CLI_COMMANDS } from '../../electron/main/cli-shims.js';
import { trayIconFile } from '../../electron/main/tray-view.js';
import { ensureBuilt, root } from '../support/built.js';
import {
  layOutPackagedApp,
  linkUnpackedIntoApp,
  productionPackages,
  TRAY_STATES,
} from '../support/electron-builder.js';
import { testService } from '../support/keychain.js';

/** Every file main loads or hands on, in a layout, that is missing. */
function missing(layout: AppLayout): string[] {
  const trayImages = (['linux', 'darwin', 'win32'] as const).flatMap((platform) =>
    TRAY_STATES.flatMap((state) => {
      const icon = trayIconFile(state, platform, layout.trayDir);
      return [icon, icon.replace(/\.png$/, '@2x.png')];
    }),
  );
  const needed = new Set([
    layout.rendererIndex,
    layout.preload,
    layout.keychainChild,
    ...Object.values(CLI_COMMANDS).map((script) => join(layout.cliFolder, script)),
    ...trayImages,
  ]);
  return [...needed].filter((path) => !existsSync(path));
}

describe('where main finds its files (electron/main/app-layout.ts), from the real build', () => {
  let packaged: string;
  let resources: string;

  beforeAll(() => {
    ensureBuilt();
    packaged = mkdtempSync(join(tmpdir(), 'artikey-packaged-'));
    resources = layOutPackagedApp(packaged);
    linkUnpackedIntoApp(resources);
  });
  afterAll(() => rmSync(packaged, { recursive: true, force: true }));

  it('finds the renderer, preload, tray images, keychain child and CLI in a checkout', () => {
    const layout = appLayout({
      mainDir: `${root}dist/main`,
      appPath: root,
      packaged: false,
      // Electron's own resources folder: unused in development.
      resourcesPath: `${root}node_modules/electron/dist/resources`,
    });
    expect(missing(layout)).toEqual([]);
  });

  it('finds them in the packaged app, tray images beside the archive', () => {
    const app = join(resources, 'app');
    const layout = appLayout({
      mainDir: join(app, 'dist', 'main'),
      appPath: app,
      packaged: true,
      resourcesPath: resources,
    });
    expect(missing(layout)).toEqual([]);
    expect(layout.trayDir).toBe(join(resources, 'tray'));
    expect(layout.preload.startsWith(app)).toBe(true);
  });

  it('runs the packaged keychain child on the addon electron-builder leaves unpacked', async () => {
    const app = join(resources, 'app');
    const { keychainChild } = appLayout({
      mainDir: join(app, 'dist', 'main'),
      appPath: app,
      packaged: true,
      resourcesPath: resources,
    });
    // What the child imports resolves, through the archive's place, to the unpacked copies.
    const unpackedDir = realpathSync(join(resources, 'app.asar.unpacked'));
    const loader = createRequire(keychainChild).resolve('@napi-rs/keyring');
    expect(loader.startsWith(unpackedDir), loader).toBe(true);
    const addon = productionPackages().find((name) => name.startsWith('@napi-rs/keyring-'));
    const library = createRequire(loader).resolve(`${addon}/package.json`);
    expect(library.startsWith(join(unpackedDir, 'node_modules', addon ?? '')), library).toBe(true);

    // And it works: a secret goes into the real keychain and comes back.
    const keychain = keychainInChildProcess({ script: keychainChild, service: testService() });
    await keychain.set('layout-check', 'a secret');
    expect(await keychain.get('layout-check')).toBe('a secret');
    expect(await keychain.delete('layout-check')).toBe(true);
  });
});
