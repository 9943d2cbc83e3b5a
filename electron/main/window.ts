import { BrowserWindow, shell } from 'electron';
import { windowOptions } from './window-options.js';
import { CONTENT_SECURITY_POLICY, isAllowedExternalUrl } from './web-policy.js';

export interface WindowSetup {
  distDir: string;
  rendererIndex: string;
  devTools: boolean;
  /** Addresses links may open in the system browser: the instances' own. */
  instanceUrls: () => string[];
  /** True once the app is quitting; until then closing the window only hides it. */
  quitting: () => boolean;
}

/**
 * The one window, locked to our page: no navigation, no new windows (links to an instance's own
 * pages go to the system browser), no permissions, the CSP also sent as a header.
 */
export function createMainWindow(setup: WindowSetup): BrowserWindow {
  const window = new BrowserWindow(windowOptions(setup.distDir, { devTools: setup.devTools }));
  const contents = window.webContents;
  const openIfOwn = (url: string): void => {
    if (isAllowedExternalUrl(url, setup.instanceUrls())) void shell.openExternal(url);
  };
  contents.setWindowOpenHandler(({ url }) => {
    openIfOwn(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    openIfOwn(url);
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.session.setPermissionRequestHandler((_contents, _permission, callback) =>
    callback(false),
  );
  contents.session.setPermissionCheckHandler(() => false);
  contents.session.webRequest.onHeadersReceived((details, callback) =>
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
      },
    }),
  );
  window.on('close', (event) => {
    if (setup.quitting()) return;
    // Closing hides: the tray keeps Artikey (and the token refreshes) running.
    event.preventDefault();
    window.hide();
  });
  window.once('ready-to-show', () => window.show());
  void window.loadFile(setup.rendererIndex);
  return window;
}
