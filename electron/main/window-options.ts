/** Size of the window; its security settings are written out in window.ts. */
export const WINDOW_GEOMETRY = { width: 1100, height: 720, minWidth: 720, minHeight: 480 } as const;

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
