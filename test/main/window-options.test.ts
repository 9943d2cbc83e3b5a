import { describe, expect, it } from 'vitest';
import { isTrustedSender, windowOptions } from '../../electron/main/window-options.js';

describe('main window', () => {
  it('runs the page isolated and sandboxed, with no Node', () => {
    expect(windowOptions('/app/dist', { devTools: false }).webPreferences).toEqual({
      preload: '/app/dist/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
      devTools: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      disableBlinkFeatures: 'Auxclick',
    });
  });

  it('has devtools only when asked (development builds)', () => {
    expect(windowOptions('/app/dist', { devTools: true }).webPreferences.devTools).toBe(true);
    expect(windowOptions('/app/dist', { devTools: false }).webPreferences.devTools).toBe(false);
  });

  it('accepts IPC only from the main frame of our window showing our own renderer file', () => {
    const index = '/app/dist/renderer/index.html';
    const ours = {
      url: 'file:///app/dist/renderer/index.html',
      isMainFrame: true,
      fromOurWindow: true,
    };
    expect(isTrustedSender(ours, index)).toBe(true);
    expect(isTrustedSender({ ...ours, isMainFrame: false }, index)).toBe(false);
    expect(isTrustedSender({ ...ours, fromOurWindow: false }, index)).toBe(false);
    expect(isTrustedSender({ ...ours, url: 'https://evil.example/' }, index)).toBe(false);
    expect(isTrustedSender({ ...ours, url: 'file:///tmp/other.html' }, index)).toBe(false);
    expect(isTrustedSender({ ...ours, url: 'not a url' }, index)).toBe(false);
  });
});
