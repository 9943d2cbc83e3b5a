import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { root } from '../support/built.js';
import { App } from './support/app.js';

let app: App;
afterEach(() => app.cleanup());

const startAtLogin = (app: App) => app.trayMenu().find((item) => item.label === 'Start at login');

describe('Start at login, from the tray of the built app', () => {
  it('writes an autostart entry that starts this checkout hidden, ticks the item, and removes it again', async () => {
    app = await App.launch();
    const entry = join(app.home, '.config', 'autostart', 'artikey.desktop');
    await app.until('the tray menu', () => startAtLogin(app));
    expect(startAtLogin(app)).toMatchObject({ type: 'checkbox', checked: false });

    await app.command({ op: 'click-tray-item', path: ['Start at login'] });
    await app.until('the item to be ticked', () => (startAtLogin(app)?.checked ? true : undefined));
    // Electron run from a checkout needs the checkout's folder, or it starts its default app.
    expect(readFileSync(entry, 'utf8')).toContain(
      `Exec=${process.execPath} ${root.replace(/\/$/, '')} --hidden`,
    );
    await app.waitFor(
      'the confirmation',
      (r) => r.kind === 'notification' && r.title === 'Artikey starts at login',
    );

    await app.command({ op: 'click-tray-item', path: ['Start at login'] });
    await app.until('the item to be cleared', () =>
      startAtLogin(app)?.checked === false ? true : undefined,
    );
    expect(existsSync(entry)).toBe(false);
  });
});
