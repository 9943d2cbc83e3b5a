/**
 * The Electron stand-in the built main bundle gets for `require('electron')` in the app tests.
 * It is faithful where main could get it wrong — the order of app events, what may only happen
 * after 'ready', one handler per IPC channel, IPC arguments cloned as Electron clones them, a
 * single-instance lock held across real processes — and real where it can be: each window is a
 * Chromium page showing the file main loads, running the preload main names. Everything else
 * (tray, menus, notifications, clipboard, the system browser, power events, dialogs) records
 * what main does and lets the test act as the person.
 *
 * Each export is typed as the part of Electron 41's own API main uses (a Pick of the real type),
 * and electron/main is type-checked against this module too (test/app/standin-types.test.ts):
 * so main can use nothing the stand-in lacks, and the stand-in nothing Electron lacks.
 */
import { EventEmitter } from 'node:events';
import {
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeSync,
  closeSync,
} from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import type { BrowserContext, Page } from 'playwright-core';
import type { BootOptions, MenuItemRecord, Recorded } from './protocol.js';

/** What the boot script gives the stand-in: where to report, and how to get a browser. */
export interface Host {
  options: BootOptions;
  record(record: Recorded): void;
  /** The Chromium every window opens in (launched on first use). */
  browser(): Promise<BrowserContext>;
  /** The script that runs `preloadSource` in a new page as Electron runs a sandboxed preload. */
  preloadScript(preloadSource: string): string;
  /** Ends the process once the browser is closed and every report is sent. */
  exit(code: number): Promise<void>;
}

let host: Host | undefined;
const theHost = (): Host => {
  if (!host) throw new Error('the Electron stand-in was loaded without its boot script');
  return host;
};

export function connectHost(value: Host): void {
  host = value;
}

/** Electron's event object for preventable events. */
class StandInEvent {
  defaultPrevented = false;
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

function mustBeReady(what: string): void {
  // Electron throws for these before 'ready' (and crashes on some platforms): main must wait.
  if (!app.isReady()) throw new Error(`Cannot create ${what} before app is ready`);
}

// ---------------------------------------------------------------------------------------------
// app

/*
 * Events (on, once) are left out of each Pick: Electron types them per event and returns its
 * own class from them, which no stand-in can be. Main's listeners are checked against Electron's
 * real types by the normal type-check; that the stand-in emits them, by the app tests.
 */
type AppPart = Pick<
  Electron.App,
  | 'whenReady'
  | 'isReady'
  | 'quit'
  | 'exit'
  | 'getName'
  | 'getVersion'
  | 'getAppPath'
  | 'getPath'
  | 'isPackaged'
  | 'requestSingleInstanceLock'
  | 'isDefaultProtocolClient'
  | 'setAsDefaultProtocolClient'
  | 'getLoginItemSettings'
  | 'setLoginItemSettings'
>;

class StandInApp extends EventEmitter {
  #ready = false;
  #whenReady: Promise<void>;
  #markReady!: () => void;
  #quitting = false;
  #exiting = false;
  #protocolClients = new Set<string>();
  #loginItem = { openAtLogin: false, args: [] as string[] };
  #singleton: Server | null = null;
  /** Work that must finish before the process ends (a second launch handing over its argv). */
  #beforeExit: Promise<unknown>[] = [];

  constructor() {
    super();
    this.#whenReady = new Promise((resolve) => (this.#markReady = resolve));
  }

  whenReady(): Promise<void> {
    return this.#whenReady;
  }

  get isPackaged(): boolean {
    return theHost().options.resourcesPath !== null;
  }

  isReady(): boolean {
    return this.#ready;
  }

  /** Called by the boot script once main's module has run, in Electron's order. */
  launch(openUrlsBeforeReady: string[]): void {
    this.emit('will-finish-launching');
    theHost().record({ kind: 'app', event: 'will-finish-launching' });
    for (const url of openUrlsBeforeReady) this.emit('open-url', new StandInEvent(), url);
    this.#ready = true;
    theHost().record({ kind: 'app', event: 'ready' });
    this.emit('ready', new StandInEvent(), {});
    this.#markReady();
  }

  #package(): { name?: string; productName?: string; version?: string } {
    return JSON.parse(readFileSync(join(this.getAppPath(), 'package.json'), 'utf8')) as {
      name?: string;
    };
  }

  getName(): string {
    const pkg = this.#package();
    return pkg.productName ?? pkg.name ?? 'Electron';
  }

  getVersion(): string {
    return this.#package().version ?? '0.0.0';
  }

  getAppPath(): string {
    return theHost().options.appPath;
  }

  getPath(name: Parameters<Electron.App['getPath']>[0]): string {
    const config = process.env['XDG_CONFIG_HOME'] ?? join(homedir(), '.config');
    switch (name) {
      case 'home':
        return homedir();
      case 'appData':
        return config;
      case 'userData':
      case 'sessionData':
        return join(config, this.getName());
      case 'logs':
        return join(config, this.getName(), 'logs');
      case 'temp':
        return process.env['TMPDIR'] ?? '/tmp';
      case 'exe':
        return process.execPath;
      default:
        throw new Error(`Failed to get '${name}' path`);
    }
  }

  /**
   * Electron's rule across processes: the first launch holds a lock in userData and listens on
   * a socket beside it; a later launch hands its command line over that socket and is told no.
   */
  requestSingleInstanceLock(additionalData?: Record<string, unknown>): boolean {
    const folder = this.getPath('userData');
    mkdirSync(folder, { recursive: true });
    const lock = join(folder, 'SingletonLock');
    const socket = join(folder, 'SingletonSocket');
    const granted = takeLock(lock);
    theHost().record({ kind: 'single-instance-lock', granted });
    if (granted) {
      rmSync(socket, { force: true });
      this.#singleton = createServer((connection) => {
        let text = '';
        connection.on('data', (chunk: Buffer) => (text += chunk.toString()));
        connection.on('end', () => {
          const message = JSON.parse(text) as { argv: string[]; cwd: string; data: unknown };
          if (this.#ready)
            this.emit(
              'second-instance',
              new StandInEvent(),
              message.argv,
              message.cwd,
              message.data,
            );
        });
      }).listen(socket);
      this.#beforeExit.push(Promise.resolve());
      return true;
    }
    this.#beforeExit.push(
      new Promise<void>((resolve) => {
        const connection = createConnection(socket, () =>
          connection.end(
            JSON.stringify({
              argv: process.argv,
              cwd: process.cwd(),
              data: additionalData ?? null,
            }),
          ),
        );
        connection.on('close', () => resolve());
        connection.on('error', () => resolve());
      }),
    );
    return false;
  }

  isDefaultProtocolClient(protocol: string): boolean {
    return this.#protocolClients.has(protocol);
  }

  setAsDefaultProtocolClient(protocol: string): boolean {
    this.#protocolClients.add(protocol);
    theHost().record({ kind: 'protocol-client', scheme: protocol });
    return true;
  }

  getLoginItemSettings(): Electron.LoginItemSettings {
    return {
      openAtLogin: this.#loginItem.openAtLogin,
      openAsHidden: false,
      wasOpenedAtLogin: false,
      wasOpenedAsHidden: false,
      restoreState: false,
      status: this.#loginItem.openAtLogin ? 'enabled' : 'not-registered',
      executableWillLaunchAtLogin: this.#loginItem.openAtLogin,
      launchItems: [],
    };
  }

  setLoginItemSettings(settings: Electron.Settings): void {
    this.#loginItem = { openAtLogin: settings.openAtLogin ?? false, args: settings.args ?? [] };
    theHost().record({ kind: 'login-item', ...this.#loginItem });
  }

  /** Electron's order: before-quit, each window closes, will-quit, quit; any may be prevented. */
  quit(): void {
    if (this.#quitting || this.#exiting) return;
    this.#quitting = true;
    const beforeQuit = new StandInEvent();
    theHost().record({ kind: 'app', event: 'before-quit' });
    this.emit('before-quit', beforeQuit);
    if (beforeQuit.defaultPrevented) return void (this.#quitting = false);
    for (const window of BrowserWindow.getAllWindows()) {
      if (!window.closeForQuit()) return void (this.#quitting = false);
    }
    const willQuit = new StandInEvent();
    theHost().record({ kind: 'app', event: 'will-quit' });
    this.emit('will-quit', willQuit);
    if (willQuit.defaultPrevented) return void (this.#quitting = false);
    theHost().record({ kind: 'app', event: 'quit' });
    this.emit('quit', new StandInEvent(), 0);
    void this.#end(0);
  }

  /** Ends at once: windows close without asking, no quit events. */
  exit(exitCode = 0): void {
    void this.#end(exitCode);
  }

  /** The last window closed: Electron quits unless main listens for this. */
  allWindowsClosed(): void {
    if (this.listenerCount('window-all-closed') > 0) this.emit('window-all-closed');
    else this.quit();
  }

  async #end(code: number): Promise<void> {
    if (this.#exiting) return;
    this.#exiting = true;
    for (const window of BrowserWindow.getAllWindows()) window.destroy();
    this.#singleton?.close();
    await Promise.all(this.#beforeExit);
    await theHost().exit(code);
  }
}

/** An exclusive lock file holding our pid; a lock left by a process that died is taken over. */
function takeLock(path: string): boolean {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return true;
    } catch {
      const holder = Number(readFileSync(path, 'utf8'));
      if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) return false;
      unlinkSync(path);
    }
  }
  return false;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const appInstance = new StandInApp();
export const app: AppPart & StandInApp = appInstance;

// ---------------------------------------------------------------------------------------------
// ipcMain

type IpcMainPart = Pick<Electron.IpcMain, 'handle' | 'removeHandler'>;
type InvokeHandler = Parameters<Electron.IpcMain['handle']>[1];

class StandInIpcMain extends EventEmitter {
  #handlers = new Map<string, InvokeHandler>();

  handle(channel: string, listener: InvokeHandler): void {
    if (this.#handlers.has(channel))
      throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.#handlers.set(channel, listener);
    theHost().record({ kind: 'ipc', event: 'handle', channel });
  }

  removeHandler(channel: string): void {
    this.#handlers.delete(channel);
  }

  /** A page's ipcRenderer.invoke: arguments and result cross as structured clones. */
  async invoke(
    contents: WebContents,
    channel: string,
    args: unknown[],
  ): Promise<{ ok: true; value: unknown } | { ok: false; message: string }> {
    const handler = this.#handlers.get(channel);
    if (!handler) return { ok: false, message: `Error: No handler registered for '${channel}'` };
    const event = {
      sender: contents,
      senderFrame: contents.mainFrame,
      processId: contents.getProcessId(),
      frameId: 1,
    } as unknown as Electron.IpcMainInvokeEvent;
    try {
      const value: unknown = await handler(event, ...(structuredCopy(args) as unknown[]));
      return { ok: true, value: structuredCopy(value) };
    } catch (error) {
      return { ok: false, message: String(error) };
    }
  }
}

/** The structured clone Electron's IPC applies: functions refuse to cross, classes lose their kind. */
function structuredCopy(value: unknown): unknown {
  try {
    return deserialize(serialize(value));
  } catch {
    throw new Error('An object could not be cloned.');
  }
}

export const ipcMain: IpcMainPart & StandInIpcMain = new StandInIpcMain();

// ---------------------------------------------------------------------------------------------
// BrowserWindow and its webContents

type WebContentsPart = Pick<
  Electron.WebContents,
  'send' | 'isDestroyed' | 'mainFrame' | 'setWindowOpenHandler' | 'id'
> & { session: SessionPart };

type SessionPart = Pick<
  Electron.Session,
  'setPermissionRequestHandler' | 'setPermissionCheckHandler'
>;

let nextContentsId = 1;

export class WebContents extends EventEmitter {
  readonly id = nextContentsId++;
  #destroyed = false;
  #page: Promise<Page>;
  readonly session: SessionPart = {
    setPermissionRequestHandler: () => undefined,
    setPermissionCheckHandler: () => undefined,
  };
  /** One frame object for the life of the page, as the trust check compares it by identity. */
  readonly mainFrame: Electron.WebFrameMain;

  constructor(page: Promise<Page>) {
    super();
    this.#page = page;
    let url = '';
    void page
      .then((p) =>
        p.on('framenavigated', (frame) => frame === p.mainFrame() && (url = frame.url())),
      )
      .catch(() => undefined);
    this.mainFrame = {
      get url() {
        return url;
      },
    } as unknown as Electron.WebFrameMain;
  }

  getProcessId(): number {
    return process.pid;
  }

  isDestroyed(): boolean {
    return this.#destroyed;
  }

  markDestroyed(): void {
    this.#destroyed = true;
    this.emit('destroyed');
  }

  /** Accepted, not modelled: a page's window.open is not routed to it (navigation is). */
  setWindowOpenHandler(handler: Parameters<Electron.WebContents['setWindowOpenHandler']>[0]): void {
    void handler;
  }

  send(channel: string, ...args: unknown[]): void {
    if (this.#destroyed) throw new Error('Object has been destroyed');
    theHost().record({ kind: 'ipc', event: 'send', channel });
    const payload = structuredCopy(args);
    void this.#page
      .then((page) =>
        page.evaluate(
          ([name, values]: readonly [string, unknown[]]) =>
            (
              globalThis as { __artikeyStandinDeliver?: (c: string, a: unknown[]) => void }
            ).__artikeyStandinDeliver?.(name, values),
          [channel, payload as unknown[]] as const,
        ),
      )
      .catch(() => undefined);
  }
}

type BrowserWindowPart = Pick<
  Electron.BrowserWindow,
  | 'isDestroyed'
  | 'isMinimized'
  | 'isVisible'
  | 'restore'
  | 'minimize'
  | 'show'
  | 'hide'
  | 'focus'
  | 'close'
  | 'destroy'
  | 'loadFile'
  | 'id'
> & { webContents: WebContentsPart };

let nextWindowId = 1;
const windows = new Set<BrowserWindow>();

export class BrowserWindow extends EventEmitter implements BrowserWindowPart {
  readonly id = nextWindowId++;
  readonly webContents: WebContents & WebContentsPart;
  readonly options: Electron.BrowserWindowConstructorOptions;
  #page: Promise<Page>;
  #destroyed = false;
  #visible: boolean;
  #minimized = false;
  /** The address main asked this window to load, until the navigation starts. */
  #loading: string | null = null;

  static getAllWindows(): BrowserWindow[] {
    return [...windows];
  }

  constructor(options: Electron.BrowserWindowConstructorOptions = {}) {
    super();
    mustBeReady('BrowserWindow');
    this.options = options;
    this.#visible = options.show ?? true;
    windows.add(this);
    const preferences = options.webPreferences ?? {};
    theHost().record({
      kind: 'window',
      event: 'created',
      id: this.id,
      options: {
        width: options.width,
        height: options.height,
        show: options.show,
        title: options.title,
        webPreferences: { ...preferences },
      },
    });
    this.#page = this.#openPage(preferences);
    this.webContents = new WebContents(this.#page);
    this.#page.catch((error: unknown) =>
      theHost().record({ kind: 'page-error', id: this.id, message: String(error) }),
    );
  }

  async #openPage(preferences: Electron.WebPreferences): Promise<Page> {
    const context = await theHost().browser();
    const page = await context.newPage();
    page.setDefaultTimeout(0);
    page.setDefaultNavigationTimeout(0);
    page.on('pageerror', (error) =>
      theHost().record({ kind: 'page-error', id: this.id, message: error.message }),
    );
    // Electron loads the preload into every page the window shows; a missing one is only logged.
    if (preferences.preload && existsSync(preferences.preload)) {
      await page.exposeBinding(
        '__artikeyStandinInvoke',
        (_source, channel: string, args: unknown[]) =>
          ipcMain.invoke(this.webContents, channel, args),
      );
      await page.addInitScript(theHost().preloadScript(readFileSync(preferences.preload, 'utf8')));
    } else {
      theHost().record({
        kind: 'page-error',
        id: this.id,
        message: `Unable to load preload script: ${preferences.preload ?? '(none)'}`,
      });
    }
    // Navigations the page starts ask main first, as Electron's will-navigate does; those main
    // starts itself (loadFile) do not.
    await page.route('**/*', async (route) => {
      const request = route.request();
      if (!request.isNavigationRequest() || request.frame() !== page.mainFrame())
        return route.continue();
      if (request.url() === this.#loading) {
        this.#loading = null;
        return route.continue();
      }
      const event = new StandInEvent();
      this.webContents.emit('will-navigate', event, request.url());
      return event.defaultPrevented ? route.abort('aborted') : route.continue();
    });
    page.on('domcontentloaded', () => {
      theHost().record({ kind: 'window', event: 'ready-to-show', id: this.id });
      this.emit('ready-to-show');
    });
    page.on('load', () => {
      theHost().record({ kind: 'window', event: 'did-finish-load', id: this.id, url: page.url() });
      this.webContents.emit('did-finish-load');
    });
    return page;
  }

  async loadFile(filePath: string): Promise<void> {
    const url = pathToFileURL(filePath).href;
    this.#loading = url;
    const page = await this.#page;
    try {
      await page.goto(url);
    } catch (error) {
      theHost().record({
        kind: 'window',
        event: 'load-failed',
        id: this.id,
        url,
        error: String(error),
      });
      throw error;
    }
  }

  isDestroyed(): boolean {
    return this.#destroyed;
  }

  isVisible(): boolean {
    return this.#visible && !this.#destroyed;
  }

  isMinimized(): boolean {
    return this.#minimized;
  }

  minimize(): void {
    this.#minimized = true;
  }

  restore(): void {
    this.#minimized = false;
    this.#note('restore');
  }

  show(): void {
    this.#visible = true;
    this.#note('show');
    this.emit('show');
  }

  hide(): void {
    this.#visible = false;
    this.#note('hide');
    this.emit('hide');
  }

  focus(): void {
    this.#note('focus');
    this.emit('focus');
  }

  /** The person closes the window: main may prevent it (and hide instead). */
  close(): void {
    if (this.#destroyed) return;
    const event = new StandInEvent();
    this.emit('close', event);
    if (!event.defaultPrevented) this.destroy();
  }

  /** Quitting closes each window; false when main prevented it, which cancels the quit. */
  closeForQuit(): boolean {
    const event = new StandInEvent();
    this.emit('close', event);
    if (event.defaultPrevented) return false;
    this.destroy();
    return true;
  }

  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    windows.delete(this);
    this.webContents.markDestroyed();
    void this.#page.then((page) => page.close()).catch(() => undefined);
    this.#note('closed');
    this.emit('closed');
    if (windows.size === 0) app.allWindowsClosed();
  }

  #note(event: 'show' | 'hide' | 'focus' | 'restore' | 'closed'): void {
    theHost().record({ kind: 'window', event, id: this.id });
  }
}

// ---------------------------------------------------------------------------------------------
// Tray, Menu, nativeImage

type NativeImagePart = Pick<Electron.NativeImage, 'isEmpty'>;

export class NativeImage implements NativeImagePart {
  constructor(readonly path: string) {}

  /** Electron gives an empty image, not an error, for a path that holds no image. */
  isEmpty(): boolean {
    try {
      return !readFileSync(this.path)
        .subarray(0, 8)
        .equals(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]));
    } catch {
      return true;
    }
  }
}

export const nativeImage: Pick<typeof Electron.nativeImage, 'createFromPath'> = {
  createFromPath: (path: string) => new NativeImage(path) as unknown as Electron.NativeImage,
};

const imagePath = (image: Electron.NativeImage | string): string =>
  typeof image === 'string' ? image : (image as unknown as NativeImage).path;

export class MenuItem {
  readonly label: string | null;
  readonly type: string;
  readonly enabled: boolean;
  checked: boolean;
  readonly submenu: Menu | null;
  readonly #click: Electron.MenuItemConstructorOptions['click'];

  constructor(options: Electron.MenuItemConstructorOptions) {
    this.label = options.label ?? null;
    this.type = options.type ?? (options.submenu ? 'submenu' : 'normal');
    this.enabled = options.enabled ?? true;
    this.checked = options.checked ?? false;
    this.#click = options.click;
    const submenu = options.submenu;
    this.submenu = Array.isArray(submenu) ? Menu.buildFromTemplate(submenu) : null;
  }

  /** Electron flips a checkbox before calling its click handler. */
  click(): void {
    if (!this.enabled) throw new Error(`the menu item "${this.label ?? ''}" is disabled`);
    if (this.type === 'checkbox') this.checked = !this.checked;
    this.#click?.(this as unknown as Electron.MenuItem, undefined, {} as Electron.KeyboardEvent);
  }

  record(): MenuItemRecord {
    return {
      label: this.label,
      type: this.type,
      enabled: this.enabled,
      checked: this.type === 'checkbox' || this.type === 'radio' ? this.checked : null,
      submenu: this.submenu?.items.map((item) => item.record()) ?? null,
    };
  }
}

export class Menu {
  readonly items: MenuItem[];

  private constructor(items: MenuItem[]) {
    this.items = items;
  }

  static buildFromTemplate(
    template: (Electron.MenuItemConstructorOptions | Electron.MenuItem)[],
  ): Menu {
    return new Menu(
      template.map((entry) => new MenuItem(entry as Electron.MenuItemConstructorOptions)),
    );
  }
}

type TrayPart = Pick<
  Electron.Tray,
  'setImage' | 'setToolTip' | 'setContextMenu' | 'destroy' | 'isDestroyed'
>;
const trays: Tray[] = [];

export class Tray extends EventEmitter implements TrayPart {
  #destroyed = false;
  menu: Menu | null = null;

  constructor(image: Electron.NativeImage | string) {
    super();
    mustBeReady('Tray');
    trays.push(this);
    theHost().record({ kind: 'tray', event: 'created', image: imagePath(image) });
  }

  /** Electron's Tray throws once destroyed (its CheckAlive). */
  #alive(): void {
    if (this.#destroyed) throw new Error('Tray is destroyed');
  }

  static current(): Tray {
    const tray = trays.findLast((candidate) => !candidate.#destroyed);
    if (!tray) throw new Error('there is no tray icon');
    return tray;
  }

  setImage(image: Electron.NativeImage | string): void {
    this.#alive();
    theHost().record({ kind: 'tray', event: 'image', image: imagePath(image) });
  }

  setToolTip(toolTip: string): void {
    this.#alive();
    theHost().record({ kind: 'tray', event: 'tooltip', text: toolTip });
  }

  setContextMenu(menu: Electron.Menu | null): void {
    this.#alive();
    this.menu = menu as unknown as Menu | null;
    theHost().record({
      kind: 'tray',
      event: 'menu',
      items: this.menu?.items.map((item) => item.record()) ?? [],
    });
  }

  /** The person picks an item, found by its labels from the top of the menu. */
  clickItem(path: string[]): void {
    let items = this.menu?.items ?? [];
    let found: MenuItem | undefined;
    for (const label of path) {
      found = items.find((item) => item.label === label);
      if (!found)
        throw new Error(
          `no tray menu item "${label}" (have: ${items.map((i) => i.label).join(', ')})`,
        );
      items = found.submenu?.items ?? [];
    }
    if (!found) throw new Error('no tray menu item given');
    found.click();
  }

  destroy(): void {
    this.#alive();
    this.#destroyed = true;
    theHost().record({ kind: 'tray', event: 'destroyed' });
  }

  isDestroyed(): boolean {
    return this.#destroyed;
  }
}

// ---------------------------------------------------------------------------------------------
// Notification, clipboard, shell, dialog, powerMonitor

type NotificationPart = Pick<Electron.Notification, 'show' | 'title' | 'body'>;
const notifications = new Map<number, Notification>();
let nextNotificationId = 1;

export class Notification extends EventEmitter implements NotificationPart {
  readonly id = nextNotificationId++;
  title: string;
  body: string;
  readonly #options: Electron.NotificationConstructorOptions;

  static isSupported(): boolean {
    return true;
  }

  static byId(id: number): Notification {
    const found = notifications.get(id);
    if (!found) throw new Error(`no notification ${id} was shown`);
    return found;
  }

  constructor(options: Electron.NotificationConstructorOptions = {}) {
    super();
    mustBeReady('Notification');
    this.#options = options;
    this.title = options.title ?? '';
    this.body = options.body ?? '';
  }

  show(): void {
    notifications.set(this.id, this);
    theHost().record({
      kind: 'notification',
      id: this.id,
      title: this.title,
      body: this.body,
      actions: (this.#options.actions ?? []).map((action) => action.text ?? ''),
      urgency: this.#options.urgency ?? 'normal',
      timeoutType: this.#options.timeoutType ?? 'default',
    });
    this.emit('show', new StandInEvent());
  }
}

let clipboardText = '';
export const clipboard: Pick<Electron.Clipboard, 'writeText' | 'readText'> = {
  writeText(text: string): void {
    clipboardText = text;
    theHost().record({ kind: 'clipboard', text });
  },
  readText: () => clipboardText,
};

export const shell: Pick<Electron.Shell, 'openExternal'> = {
  openExternal(url: string): Promise<void> {
    theHost().record({ kind: 'open-external', url });
    return Promise.resolve();
  },
};

/** Dialogs answer as a person who cancels: tests of what confirms use the window's own flows. */
export const dialog: Pick<Electron.Dialog, 'showMessageBox' | 'showOpenDialog'> = {
  showMessageBox(...args: unknown[]): Promise<Electron.MessageBoxReturnValue> {
    const options = args.at(-1) as Electron.MessageBoxOptions;
    theHost().record({ kind: 'dialog', type: 'message-box', message: options.message });
    return Promise.resolve({ response: options.cancelId ?? 0, checkboxChecked: false });
  },
  showOpenDialog(...args: unknown[]): Promise<Electron.OpenDialogReturnValue> {
    const options = args.at(-1) as Electron.OpenDialogOptions;
    theHost().record({ kind: 'dialog', type: 'open-dialog', message: options.title ?? '' });
    return Promise.resolve({ canceled: true, filePaths: [] });
  },
} as Pick<Electron.Dialog, 'showMessageBox' | 'showOpenDialog'>;

/** Only events: the test emits what the system would. */
export const powerMonitor = new EventEmitter();

// The types main names.
export type IpcMain = IpcMainPart;
export type IpcMainInvokeEvent = Electron.IpcMainInvokeEvent;
export type MenuItemConstructorOptions = Electron.MenuItemConstructorOptions;
export type Dialog = typeof dialog;
