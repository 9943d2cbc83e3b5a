import { describe, expect, it } from 'vitest';
import { isTrustedSender, windowOptions } from '../../electron/main/window-options.js';

describe('main window', () => {
  it('runs the page isolated and sandboxed, with no Node', () => {
    expect(windowOptions('/app/dist').webPreferences).toEqual({
      preload: '/app/dist/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    });
  });

  it('accepts IPC only from the main frame showing our own renderer file', () => {
    const index = '/app/dist/renderer/index.html';
    expect(isTrustedSender({ url: 'file:///app/dist/renderer/index.html', isMainFrame: true }, index)).toBe(true);
    expect(isTrustedSender({ url: 'file:///app/dist/renderer/index.html', isMainFrame: false }, index)).toBe(false);
    expect(isTrustedSender({ url: 'https://evil.example/', isMainFrame: true }, index)).toBe(false);
    expect(isTrustedSender({ url: 'file:///tmp/other.html', isMainFrame: true }, index)).toBe(false);
    expect(isTrustedSender({ url: 'not a url', isMainFrame: true }, index)).toBe(false);
  });
});
