import { join } from 'node:path';

/** The only settings our window may run with: isolated, sandboxed, no Node in the page. */
export function windowOptions(distDir: string) {
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
    },
  } as const;
}

/** IPC is accepted only from the main frame of our window showing our own files. */
export function isTrustedSender(frame: { url: string; isMainFrame: boolean }, rendererIndex: string): boolean {
  if (!frame.isMainFrame) return false;
  try {
    const url = new URL(frame.url);
    return url.protocol === 'file:' && decodeURIComponent(url.pathname) === rendererIndex;
  } catch {
    return false;
  }
}
