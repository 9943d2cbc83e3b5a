import { BrowserWindow } from 'electron';
import { openInBrowser } from './external-links.js';
import { WINDOW_GEOMETRY } from './window-options.js';

export interface WindowSetup {
  /** The built preload script (app-layout.ts). */
  preload: string;
  rendererIndex: string;
  devTools: boolean;
  /** Addresses links may open in the system browser: the instances' own. */
  instanceUrls: () => string[];
  /** True once the app is quitting; until then closing the window only hides it. */
  quitting: () => boolean;
  /** The page did not load (a missing build, or the window closed while it loaded). */
  loadFailed: (error: Error) => void;
}

/**
 * The one window, locked to our page: no navigation, no new windows (links to an instance's own
 * pages go to the system browser), no permissions. The page's Content-Security-Policy is in its
 * <meta> tag (a file:// page gets no response headers); see web-policy.ts.
 */
export function createMainWindow(setup: WindowSetup): BrowserWindow {
  // Written out here, where Electronegativity and the test of this file read them.
  const window = new BrowserWindow({
    ...WINDOW_GEOMETRY,
    show: false,
    title: 'Artikey',
    webPreferences: {
      preload: setup.preload, // eng-disable PRELOAD_JS_CHECK: named methods only
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      disableBlinkFeatures: 'Auxclick',
      // Packaged builds have no devtools: they would let anyone at the keyboard call IPC by hand.
      devTools: setup.devTools,
    },
  });
  const contents = window.webContents;
  const openIfOwn = (url: string): void =>
    void openInBrowser(url, setup.instanceUrls()).catch(() => undefined);
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
  window.on('close', (event) => {
    if (setup.quitting()) return;
    // Closing hides: the tray keeps Artikey (and the token refreshes) running.
    event.preventDefault();
    window.hide();
  });
  window.once('ready-to-show', () => window.show());
  window.loadFile(setup.rendererIndex).catch(setup.loadFailed);
  return window;
}
