import { describe, expect, it } from 'vitest';
import { autostartEntry, autostartPath, desktopExecQuote } from '../../electron/main/autostart.js';

describe('Linux autostart entry', () => {
  it('goes to the XDG autostart folder, honouring an absolute XDG_CONFIG_HOME only', () => {
    expect(autostartPath({ platform: 'linux', env: {}, home: '/home/a' })).toBe(
      '/home/a/.config/autostart/artikey.desktop',
    );
    expect(
      autostartPath({ platform: 'linux', env: { XDG_CONFIG_HOME: '/cfg' }, home: '/home/a' }),
    ).toBe('/cfg/autostart/artikey.desktop');
    expect(
      autostartPath({ platform: 'linux', env: { XDG_CONFIG_HOME: 'rel' }, home: '/home/a' }),
    ).toBe('/home/a/.config/autostart/artikey.desktop');
  });

  it('starts Artikey hidden in the tray', () => {
    expect(autostartEntry(['/opt/Artikey/artikey'])).toBe(
      '[Desktop Entry]\nType=Application\nName=Artikey\nComment=Keeps your Artifactory credentials fresh\nExec=/opt/Artikey/artikey --hidden\nIcon=artikey\nTerminal=false\nX-GNOME-Autostart-enabled=true\nNoDisplay=false\n',
    );
  });

  it('quotes executables with spaces or shell characters as the Desktop Entry spec says', () => {
    expect(desktopExecQuote('/home/a/Apps/Artikey 1.0.AppImage')).toBe(
      '"/home/a/Apps/Artikey 1.0.AppImage"',
    );
    expect(desktopExecQuote('/tmp/$x`y"z\\')).toBe('"/tmp/\\$x\\`y\\"z\\\\"');
  });
});
