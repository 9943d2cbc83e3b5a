import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { launchAtLogin, launcher } from '../../electron/main/launch-at-login.js';

const noLoginItems = {
  getLoginItemSettings: (): never => {
    throw new Error('not on Linux');
  },
  setLoginItemSettings: (): never => {
    throw new Error('not on Linux');
  },
};

describe('start at login', () => {
  let home = '';
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it('on Linux writes and removes the XDG autostart entry, and reads it back from disk', async () => {
    home = mkdtempSync(join(tmpdir(), 'artikey-autostart-'));
    const setting = launchAtLogin(
      { platform: 'linux', env: {}, home },
      ['/home/a/Artikey.AppImage'],
      noLoginItems,
    );
    const entry = join(home, '.config', 'autostart', 'artikey.desktop');
    expect(await setting.get()).toBe(false);
    await setting.set(true);
    expect(readFileSync(entry, 'utf8')).toContain('Exec=/home/a/Artikey.AppImage --hidden');
    expect(await setting.get()).toBe(true);
    // Switched off in the desktop's own settings: that is what the app shows.
    writeFileSync(entry, `${readFileSync(entry, 'utf8')}X-GNOME-Autostart-enabled=false\n`);
    expect(await setting.get()).toBe(false);
    await setting.set(false);
    expect(await setting.get()).toBe(false);
    await setting.set(false);
  });

  it('on macOS and Windows uses the system login items, starting hidden', async () => {
    const calls: unknown[] = [];
    let open = false;
    const items = {
      getLoginItemSettings: (options?: { args?: string[] }) => (
        calls.push(['get', options]),
        { openAtLogin: open }
      ),
      setLoginItemSettings: (settings: { openAtLogin: boolean; args?: string[] }) => {
        calls.push(['set', settings]);
        open = settings.openAtLogin;
      },
    };
    for (const platform of ['darwin', 'win32'] as const) {
      home = mkdtempSync(join(tmpdir(), 'artikey-autostart-'));
      const setting = launchAtLogin(
        { platform, env: {}, home },
        ['C:\\Artikey\\Artikey.exe'],
        items,
      );
      await setting.set(true);
      expect(await setting.get()).toBe(true);
      await setting.set(false);
      expect(await setting.get()).toBe(false);
      rmSync(home, { recursive: true, force: true });
    }
    expect(calls).toContainEqual(['set', { openAtLogin: true, args: ['--hidden'] }]);
  });

  it('is unavailable elsewhere, and says so', async () => {
    home = mkdtempSync(join(tmpdir(), 'artikey-autostart-'));
    const setting = launchAtLogin(
      { platform: 'freebsd', env: {}, home },
      ['/usr/local/bin/artikey'],
      noLoginItems,
    );
    expect(await setting.get()).toBeNull();
    await expect(setting.set(true)).rejects.toMatchObject({ code: 'not-supported' });
  });

  it('points an AppImage entry at the AppImage, not its temporary mount', () => {
    expect(
      launcher({ APPIMAGE: '/home/a/Artikey.AppImage' }, '/tmp/.mount_Arti/artikey', null),
    ).toEqual(['/home/a/Artikey.AppImage']);
    expect(launcher({}, '/opt/Artikey/artikey', null)).toEqual(['/opt/Artikey/artikey']);
  });

  it('starts a checkout as Electron with the checkout’s folder, not Electron’s default app', async () => {
    const command = launcher({}, '/src/node_modules/electron/dist/electron', '/src/artikey');
    expect(command).toEqual(['/src/node_modules/electron/dist/electron', '/src/artikey']);
    home = mkdtempSync(join(tmpdir(), 'artikey-autostart-'));
    await launchAtLogin({ platform: 'linux', env: {}, home }, command, noLoginItems).set(true);
    expect(readFileSync(join(home, '.config', 'autostart', 'artikey.desktop'), 'utf8')).toContain(
      'Exec=/src/node_modules/electron/dist/electron /src/artikey --hidden',
    );
    const calls: unknown[] = [];
    const items = {
      getLoginItemSettings: () => ({ openAtLogin: false }),
      setLoginItemSettings: (settings: unknown) => void calls.push(settings),
    };
    await launchAtLogin({ platform: 'win32', env: {}, home }, command, items).set(true);
    expect(calls).toEqual([{ openAtLogin: true, args: ['/src/artikey', '--hidden'] }]);
  });
});
