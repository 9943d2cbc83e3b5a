import { fileURLToPath } from 'node:url';

/** Size of the window; its security settings are written out in window.ts. */
export const WINDOW_GEOMETRY = { width: 1100, height: 720, minWidth: 720, minHeight: 480 } as const;

export interface Sender {
  /** The URL of the frame that sent the message. */
  url: string;
  isMainFrame: boolean;
  /** The message came from our window's webContents, not some other window or webview. */
  fromOurWindow: boolean;
}

/**
 * IPC is accepted only from the main frame of our window showing our own renderer file. The
 * frame's URL is turned into a path the way the platform spells it (`C:\…` and `\\server\…` on
 * Windows), which refuses encoded separators and file URLs naming another host.
 */
export function isTrustedSender(
  sender: Sender,
  rendererIndex: string,
  platform: NodeJS.Platform = process.platform,
): boolean {
  if (!sender.fromOurWindow || !sender.isMainFrame) return false;
  const windows = platform === 'win32';
  let path: string;
  try {
    path = fileURLToPath(sender.url, { windows });
  } catch {
    return false;
  }
  // Windows paths ignore case (Electron may spell the drive letter either way); POSIX ones do not.
  return windows ? path.toLowerCase() === rendererIndex.toLowerCase() : path === rendererIndex;
}
