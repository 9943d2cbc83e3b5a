import { join } from 'node:path';

/** The only settings our window may run with: isolated, sandboxed, no Node in the page. */
export function windowOptions(distDir: string, { devTools }: { devTools: boolean }) {
  return {
    width: 1100,
    height: 720,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Artikey',
    webPreferences: {
      preload: join(distDir, 'preload', 'index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
      // Packaged builds have no devtools: they would let anyone at the keyboard call IPC by hand.
      devTools,
      // Nothing but our page: no <webview>, no navigation to other sites.
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      disableBlinkFeatures: 'Auxclick',
    },
  } as const;
}

export interface Sender {
  /** The URL of the frame that sent the message. */
  url: string;
  isMainFrame: boolean;
  /** The message came from our window's webContents, not some other window or webview. */
  fromOurWindow: boolean;
}

/** IPC is accepted only from the main frame of our window showing our own renderer file. */
export function isTrustedSender(sender: Sender, rendererIndex: string): boolean {
  if (!sender.fromOurWindow || !sender.isMainFrame) return false;
  try {
    const url = new URL(sender.url);
    return url.protocol === 'file:' && decodeURIComponent(url.pathname) === rendererIndex;
  } catch {
    return false;
  }
}
