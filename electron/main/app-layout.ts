import { join } from 'node:path';

/** Where the running app is: what Electron says about it, passed in so tests need no Electron. */
export interface AppLocation {
  /** The folder of the main bundle (its `__dirname`): dist/main. */
  mainDir: string;
  /** `app.getAppPath()`: the checkout in development, resources/app(.asar) when packaged. */
  appPath: string;
  packaged: boolean;
  /** `process.resourcesPath`: where electron-builder puts `extraResources`. */
  resourcesPath: string;
}

/** Every file and folder main loads or hands on, in one place, for both layouts. */
export interface AppLayout {
  distDir: string;
  rendererIndex: string;
  preload: string;
  /** Packaged, the tray images are not in the app's files but beside them (`extraResources`). */
  trayDir: string;
  /** What the command-line shims run. */
  cliFolder: string;
  keychainChild: string;
}

export function appLayout(where: AppLocation): AppLayout {
  const distDir = join(where.mainDir, '..');
  return {
    distDir,
    rendererIndex: join(distDir, 'renderer', 'index.html'),
    preload: join(distDir, 'preload', 'index.cjs'),
    trayDir: where.packaged
      ? join(where.resourcesPath, 'tray')
      : join(where.appPath, 'build', 'tray'),
    cliFolder: join(where.appPath, 'dist', 'cli'),
    keychainChild: join(distDir, 'cli', 'keychain-child.js'),
  };
}
