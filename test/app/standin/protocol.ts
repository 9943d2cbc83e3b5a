/**
 * What the app process (the built main bundle under the Electron stand-in) and the test say to
 * each other over Node's fork channel. The app reports what main did to Electron; the test plays
 * the person and the operating system: clicks in the tray and on notifications, power events,
 * links, the passing of time, quitting.
 */

/** One thing main did to Electron, as the test sees it. */
export type Recorded =
  | { kind: 'app'; event: 'will-finish-launching' | 'ready' | 'before-quit' | 'will-quit' | 'quit' }
  | { kind: 'exit'; code: number }
  | { kind: 'single-instance-lock'; granted: boolean }
  | { kind: 'protocol-client'; scheme: string }
  | { kind: 'login-item'; openAtLogin: boolean; args: string[] }
  | { kind: 'browser'; cdpUrl: string }
  | { kind: 'window'; event: 'created'; id: number; options: WindowOptionsRecord }
  | {
      kind: 'window';
      event: 'show' | 'hide' | 'focus' | 'restore' | 'closed' | 'ready-to-show';
      id: number;
    }
  | { kind: 'window'; event: 'did-finish-load'; id: number; url: string }
  | { kind: 'window'; event: 'load-failed'; id: number; url: string; error: string }
  | { kind: 'ipc'; event: 'handle'; channel: string }
  | { kind: 'ipc'; event: 'send'; channel: string }
  | { kind: 'tray'; event: 'created' | 'image'; image: string }
  | { kind: 'tray'; event: 'tooltip'; text: string }
  | { kind: 'tray'; event: 'menu'; items: MenuItemRecord[] }
  | { kind: 'tray'; event: 'destroyed' }
  | {
      kind: 'notification';
      id: number;
      title: string;
      body: string;
      actions: string[];
      urgency: string;
      timeoutType: string;
    }
  | { kind: 'clipboard'; text: string }
  | { kind: 'open-external'; url: string }
  | { kind: 'dialog'; type: 'message-box' | 'open-dialog'; message: string }
  | { kind: 'page-error'; id: number; message: string }
  /** An exception or rejection main left unhandled (Electron reports it and runs on). */
  | { kind: 'main-error'; message: string };

export interface WindowOptionsRecord {
  width?: number;
  height?: number;
  show?: boolean;
  title?: string;
  webPreferences: Record<string, unknown>;
}

export interface MenuItemRecord {
  label: string | null;
  type: string;
  enabled: boolean;
  checked: boolean | null;
  submenu: MenuItemRecord[] | null;
}

/** What the test asks the app process to do; each gets one reply. */
export type Command =
  | { op: 'click-tray-item'; path: string[] }
  | { op: 'click-tray-icon' }
  | { op: 'click-notification'; id: number }
  | { op: 'notification-action'; id: number; index: number }
  | {
      op: 'power';
      event: 'suspend' | 'resume' | 'lock-screen' | 'unlock-screen' | 'user-did-become-active';
    }
  | { op: 'open-url'; url: string }
  | { op: 'quit' }
  /** Electron's app.exit: ends at once, without the quit events. */
  | { op: 'exit' }
  | { op: 'close-window'; id: number }
  | { op: 'read-clipboard' }
  | { op: 'write-clipboard'; text: string }
  /** Time passes as if the machine were awake: timers due in between fire, in order. */
  | { op: 'advance'; ms: number }
  /** The wall clock jumps (sleep, a time change): no timer fires on account of it. */
  | { op: 'jump'; ms: number };

export interface CommandMessage {
  id: number;
  command: Command;
}

export type AppMessage =
  | { type: 'recorded'; record: Recorded }
  | { type: 'reply'; id: number; ok: true; value: unknown }
  | { type: 'reply'; id: number; ok: false; error: string };

/** How the test starts the app process (passed as JSON in ARTIKEY_STANDIN). */
export interface BootOptions {
  /** The built main bundle to run (dist/main/index.cjs, or a packaged copy of it). */
  main: string;
  /** What app.getAppPath() answers: the folder holding package.json. */
  appPath: string;
  /** Arguments after the app path, as a second launch or the desktop would pass them. */
  args: string[];
  /** macOS hands a link that launched the app to 'open-url' before 'ready'. */
  openUrlsBeforeReady: string[];
  /** Chromium's profile folder for this app process. */
  browserProfile: string;
  /** Runs as an installed app: app.isPackaged, with electron-builder's resources folder. */
  resourcesPath: string | null;
}
