import type { MenuItemConstructorOptions } from 'electron';
import { join } from 'node:path';
import type { TrayAction, TrayItem, TrayState } from './tray-menu.js';

/**
 * The tray icon for a state. macOS gets template images (black and alpha, recoloured by the
 * system for light and dark menu bars); elsewhere coloured ones that read on either. Electron
 * picks the `@2x` file beside each on high-density screens.
 */
export function trayIconFile(state: TrayState, platform: NodeJS.Platform, trayDir: string): string {
  return join(trayDir, platform === 'darwin' ? `${state}Template.png` : `${state}.png`);
}

/** The tray model as Electron's menu template; each item runs its action. */
export function menuTemplate(
  items: TrayItem[],
  run: (action: TrayAction) => void,
): MenuItemConstructorOptions[] {
  return items.map((item): MenuItemConstructorOptions => {
    if (item.type === 'separator') return { type: 'separator' };
    const action = item.action;
    return {
      label: item.label,
      enabled: item.enabled,
      ...(item.checked === undefined ? {} : { type: 'checkbox', checked: item.checked }),
      ...(item.submenu ? { submenu: menuTemplate(item.submenu, run) } : {}),
      ...(action ? { click: () => run(action) } : {}),
    };
  });
}
