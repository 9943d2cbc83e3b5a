import { describe, expect, it } from 'vitest';
import type { TrayAction, TrayItem } from '../../electron/main/tray-menu.js';
import { menuTemplate, trayIconFile } from '../../electron/main/tray-view.js';
import { root } from '../support/built.js';
import { existsSync } from 'node:fs';

describe('tray in Electron terms', () => {
  it('uses template images on macOS and coloured ones elsewhere, all shipped in build/tray', () => {
    expect(trayIconFile('expiring', 'darwin', '/r/tray')).toBe('/r/tray/expiringTemplate.png');
    expect(trayIconFile('action-needed', 'win32', '/r/tray')).toBe('/r/tray/action-needed.png');
    for (const state of ['ok', 'expiring', 'action-needed'] as const)
      for (const platform of ['darwin', 'linux'] as const) {
        const file = trayIconFile(state, platform, `${root}build/tray`);
        expect(existsSync(file), file).toBe(true);
        expect(existsSync(file.replace('.png', '@2x.png')), file).toBe(true);
      }
  });

  it('turns the model into a menu template whose items run their actions', () => {
    const ran: TrayAction[] = [];
    const items: TrayItem[] = [
      {
        type: 'item',
        label: 'acme — expires in 3 h',
        enabled: true,
        submenu: [
          {
            type: 'item',
            label: 'Refresh now',
            enabled: false,
            action: { kind: 'refresh', instanceId: 'acme' },
          },
        ],
      },
      { type: 'separator' },
      { type: 'item', label: 'Quit Artikey', enabled: true, action: { kind: 'quit' } },
      {
        type: 'item',
        label: 'Start at login',
        enabled: true,
        checked: true,
        action: { kind: 'launch-at-login', enabled: false },
      },
    ];
    const template = menuTemplate(items, (action) => ran.push(action));
    expect(template.map((item) => item.label ?? item.type)).toEqual([
      'acme — expires in 3 h',
      'separator',
      'Quit Artikey',
      'Start at login',
    ]);
    expect(template[3]).toMatchObject({ type: 'checkbox', checked: true });
    expect(template[2]?.type).toBeUndefined();
    const submenu = template[0]?.submenu as {
      label?: string;
      enabled?: boolean;
      click?: () => void;
    }[];
    expect(submenu[0]).toMatchObject({ label: 'Refresh now', enabled: false });
    submenu[0]?.click?.();
    (template[2]?.click as () => void)();
    expect(ran).toEqual([{ kind: 'refresh', instanceId: 'acme' }, { kind: 'quit' }]);
    expect(template[0]?.click).toBeUndefined();
  });
});
