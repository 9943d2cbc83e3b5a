import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Environment } from '../core/paths.js';
import type { Desktop } from './api.js';
import { autostartEntry, autostartPath } from './autostart.js';

/** Electron's login-item calls (macOS and Windows); a test passes a stand-in. */
export interface LoginItems {
  getLoginItemSettings(options?: { args?: string[] }): { openAtLogin: boolean };
  setLoginItemSettings(settings: { openAtLogin: boolean; args?: string[] }): void;
}

/** The argument an auto-start passes, so Artikey starts in the tray without a window. */
export const HIDDEN_ARG = '--hidden';

/**
 * The "Start at login" setting, read from where the system keeps it (so it stays true when the
 * person changes it in System Settings): the login items on macOS and Windows, the XDG
 * autostart entry on Linux. `command` is what the entry should run (see `launcher`).
 */
export function launchAtLogin(
  environment: Environment,
  command: readonly string[],
  loginItems: LoginItems,
): Desktop['launchAtLogin'] {
  if (environment.platform === 'darwin' || environment.platform === 'win32') {
    // The executable is Electron's own (process.execPath); only what follows it is ours to pass.
    const args = [...command.slice(1), HIDDEN_ARG];
    return {
      get: () => Promise.resolve(loginItems.getLoginItemSettings({ args }).openAtLogin),
      set: (enabled) =>
        Promise.resolve(loginItems.setLoginItemSettings({ openAtLogin: enabled, args })),
    };
  }
  if (environment.platform !== 'linux')
    return { get: () => Promise.resolve(null), set: unsupported };
  const path = autostartPath(environment);
  return {
    get: async () => {
      const text = await readFile(path, 'utf8').catch(() => null);
      // An entry the person disabled in their desktop's settings counts as off.
      return (
        text !== null &&
        !/^X-GNOME-Autostart-enabled=false$/m.test(text) &&
        !/^Hidden=true$/m.test(text)
      );
    },
    set: async (enabled) => {
      if (!enabled) return void (await rm(path, { force: true }));
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, autostartEntry(command), { mode: 0o644 });
    },
  };
}

const unsupported = (): Promise<void> =>
  Promise.reject(
    Object.assign(new Error('Starting at login is not supported on this system.'), {
      code: 'not-supported',
    }),
  );

/**
 * What starts Artikey at login: the AppImage file when running from one (not the temporary
 * mount it runs from), the app's executable when installed, and Electron with the checkout's
 * folder when run from source (Electron alone would start its default app).
 */
export function launcher(
  env: Record<string, string | undefined>,
  execPath: string,
  checkout: string | null,
): string[] {
  const executable = env['APPIMAGE'] ?? execPath;
  return checkout === null ? [executable] : [executable, checkout];
}
