/**
 * The composition root: builds the core once with real dependencies and connects it to
 * Electron (window, IPC, tray, notifications, power events, login items). Behaviour lives in
 * electron/core and in the Electron-free modules beside this file, which are tested; this file
 * only wires them together.
 */
import {
  app,
  type BrowserWindow,
  clipboard,
  dialog,
  ipcMain,
  Menu,
  nativeImage,
  Notification,
  powerMonitor,
  Tray,
} from 'electron';
import { dirname, join } from 'node:path';
import { Artikey } from '../core/artikey.js';
import { startBackground, type Background } from '../core/background.js';
import { KEYCHAIN_SERVICE } from '../core/keychain-platform.js';
import { keychainInChildProcess } from '../core/keychain-process.js';
import { createLogger } from '../core/logger.js';
import { currentEnvironment, stateFilePath } from '../core/paths.js';
import { Vault } from '../core/vault.js';
import type { Navigation } from '../ipc/contract.js';
import type { NoticeAction } from '../core/notices.js';
import { createActions } from './actions.js';
import { createHandlers, type Desktop } from './api.js';
import { appLayout } from './app-layout.js';
import { BrowserLogins } from './browser-login.js';
import { cliShims, installShims, shimStatus } from './cli-shims.js';
import { ClipboardGuard } from './clipboard-guard.js';
import { concealedCopy, concealedCopyCommand } from './concealed-clipboard.js';
import { nativeDialogs } from './dialogs.js';
import { createDispatcher } from './dispatcher.js';
import { emitterTo, serveIpc, trustedFrom } from './ipc-server.js';
import { HIDDEN_ARG, launchAtLogin, launcher } from './launch-at-login.js';
import { logFileSink } from './log-file.js';
import { parseLaunchRequest, parseLink, URL_SCHEME } from './launch-request.js';
import { notificationSpec } from './notifications.js';
import { trayMenu } from './tray-menu.js';
import { menuTemplate, trayIconFile } from './tray-view.js';
import { createMainWindow } from './window.js';
import { openInBrowser } from './external-links.js';

const QUIT_GRACE_MS = 5000;

// macOS delivers a link that launched the app before 'ready': keep it until the window exists.
let openLink: (url: string) => void = (url) => void earlyLinks.push(url);
const earlyLinks: string[] = [];

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('open-url', (event, url) => {
    event.preventDefault();
    openLink(url);
  });
  void app.whenReady().then(start);
}

async function start(): Promise<void> {
  const layout = appLayout({
    mainDir: __dirname,
    appPath: app.getAppPath(),
    packaged: app.isPackaged,
    resourcesPath: process.resourcesPath,
  });
  const rendererIndex = layout.rendererIndex;
  const environment = currentEnvironment();
  const stateFile = stateFilePath(environment);
  const logFile = join(dirname(stateFile), 'logs', 'artikey.log');
  const sink = logFileSink(logFile);
  const log = createLogger('app', sink);
  const artikey = new Artikey({
    stateFile,
    // Off the main process, so a stuck keychain stalls neither the window nor the helper socket.
    vault: new Vault(
      keychainInChildProcess({
        script: layout.keychainChild,
        service: KEYCHAIN_SERVICE,
        env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      }),
    ),
    logger: createLogger('core', sink),
  });

  let window: BrowserWindow | undefined;
  let quitting = false;
  // Until the page has loaded, nothing in it listens: a navigation waits for 'did-finish-load'.
  let pendingNavigation: Navigation | null = null;
  let windowLoaded = false;
  const contents = () => (window && !window.isDestroyed() ? window.webContents : undefined);
  const emit = emitterTo(contents);
  let knownUrls: string[] = [];

  const showWindow = (navigate: Navigation | null = null): void => {
    if (!window || window.isDestroyed()) {
      window = createMainWindow({
        preload: layout.preload,
        rendererIndex,
        devTools: !app.isPackaged,
        instanceUrls: () => knownUrls,
        quitting: () => quitting,
        loadFailed: (error) => {
          if (!quitting) log.error(`the window did not load: ${error.message}`);
        },
      });
      pendingNavigation = navigate;
      windowLoaded = false;
      window.webContents.once('did-finish-load', () => {
        windowLoaded = true;
        if (pendingNavigation) emit('navigate', pendingNavigation);
        pendingNavigation = null;
      });
      return;
    }
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
    if (!navigate) return;
    if (windowLoaded) emit('navigate', navigate);
    else pendingNavigation = navigate;
  };

  const notify = (title: string, body: string): void => {
    if (Notification.isSupported()) new Notification({ title, body }).show();
  };

  const clipboardGuard = new ClipboardGuard(
    clipboard,
    undefined,
    concealedCopy(concealedCopyCommand(process.platform)),
  );
  const browserLogins = new BrowserLogins(artikey, openInBrowser, (prompt) =>
    emit('login.prompt', prompt),
  );
  const shims = cliShims(environment, process.execPath, layout.cliFolder);
  const desktop: Desktop = {
    info: {
      name: app.getName(),
      version: app.getVersion(),
      packaged: app.isPackaged,
      platform: process.platform,
    },
    openInBrowser,
    launchAtLogin: launchAtLogin(
      environment,
      launcher(environment.env, process.execPath, app.isPackaged ? null : app.getAppPath()),
      app,
    ),
    cliTools: {
      status: () => shimStatus(environment, shims, app.isPackaged),
      install: async () => {
        if (!app.isPackaged)
          throw Object.assign(
            new Error(
              'Install the packaged app to get the command-line tools; from a checkout use `npm link`.',
            ),
            { code: 'not-supported' },
          );
        await installShims(shims);
        return shimStatus(environment, shims, true);
      },
    },
  };

  // Set once the engine runs; IPC is served before that, so early calls see no plans yet.
  const engine: { background?: Background } = {};
  const handlers = createHandlers({
    artikey,
    environment,
    desktop,
    dialogs: nativeDialogs(dialog, () => (window && !window.isDestroyed() ? window : undefined)),
    clipboard: clipboardGuard,
    browserLogins,
    nextRefreshes: () => engine.background?.nextRefreshes() ?? new Map(),
    logger: log,
  });
  serveIpc(ipcMain, createDispatcher(handlers, log), trustedFrom(contents, rendererIndex));

  const perform = createActions({
    artikey,
    handlers,
    browserLogins,
    showWindow: () => showWindow(),
    quit: () => app.quit(),
    tell: (title, body) => notify(title, body),
  });

  // The tray: rebuilt from the core's state on every change.
  const trayDir = layout.trayDir;
  const tray = new Tray(nativeImage.createFromPath(trayIconFile('ok', process.platform, trayDir)));
  tray.on('click', () => showWindow());
  const trayFailed = (error: unknown): void => log.warn(`tray: ${(error as Error).message}`);
  const refreshTray = async (): Promise<void> => {
    const views = await artikey.list();
    knownUrls = views.map((view) => view.platformUrl);
    const cli = await desktop.cliTools.status();
    const model = trayMenu(views, (await artikey.notices()).due, {
      launchAtLogin: await desktop.launchAtLogin.get(),
      cliToolsInstallable: cli.available && !cli.installed,
    });
    // Quitting destroys the tray, perhaps while this was reading the state; Electron would throw.
    if (tray.isDestroyed()) return;
    tray.setImage(nativeImage.createFromPath(trayIconFile(model.state, process.platform, trayDir)));
    tray.setToolTip(model.tooltip);
    tray.setContextMenu(
      // Switches in the menu change nothing in the core: rebuild the menu to show their new state.
      Menu.buildFromTemplate(
        menuTemplate(
          model.items,
          (action) => void perform(action).then(refreshTray).catch(trayFailed),
        ),
      ),
    );
  };
  const changed = (change: Parameters<typeof emit<'instances.changed'>>[1]): void => {
    emit('instances.changed', change);
    void refreshTray().catch(trayFailed);
  };
  artikey.onChanged((change) => changed(change));

  const background = await startBackground({
    artikey,
    stateFile,
    logger: log,
    showNotice: (notice) => {
      const spec = notificationSpec(notice);
      if (!Notification.isSupported()) throw new Error('notifications are not available');
      const notification = new Notification({
        title: spec.title,
        body: spec.body,
        actions: spec.buttons.map((button) => ({ type: 'button', text: button.text })),
        urgency: spec.urgent ? 'critical' : 'normal',
        timeoutType: spec.urgent ? 'never' : 'default',
      });
      const run = (action: NoticeAction | 'open-app'): void =>
        void perform(
          action === 'open-app' || action === 'dismiss'
            ? { kind: action }
            : { kind: action, instanceId: notice.instanceId },
        );
      notification.on('click', () => run(spec.onClick));
      notification.on('action', (_event, index) => {
        const button = spec.buttons[index];
        if (button) run(button.action);
      });
      notification.show();
    },
    onFailed: (instanceId) => changed({ instanceId, reason: 'failed' }),
    onStateFileChanged: () => changed({ instanceId: null, reason: 'external' }),
    onClockJump: () => void refreshTray().catch(() => undefined),
  });
  await refreshTray();

  // Sleep and unlock: tokens may have come due while nobody was looking (the engine itself
  // notices clock changes).
  engine.background = background;
  const recheck = (): void =>
    void background
      .recheck()
      .then(refreshTray)
      .catch((error: unknown) => log.warn(`re-check: ${(error as Error).message}`));
  powerMonitor.on('resume', recheck);
  powerMonitor.on('unlock-screen', recheck);
  powerMonitor.on('user-did-become-active', recheck);
  // Before sleep (a lock often comes first, and leaves more time): tokens sleep with a full lifetime.
  const beforeSleep = (): void => void artikey.prepareForSleep().catch(() => undefined);
  powerMonitor.on('suspend', beforeSleep);
  powerMonitor.on('lock-screen', beforeSleep);

  // A second launch (or a link) lands here instead of starting a second Artikey.
  app.on('second-instance', (_event, argv) => {
    const request = parseLaunchRequest(argv);
    if (!request.hidden || request.navigate) showWindow(request.navigate);
  });
  openLink = (url) => showWindow(parseLink(url));
  // artikey:// links only navigate or pre-fill a login (parseLink ignores anything else).
  if (!app.isDefaultProtocolClient(URL_SCHEME)) app.setAsDefaultProtocolClient(URL_SCHEME); // eng-disable PROTOCOL_HANDLER_JS_CHECK
  app.on('activate', () => showWindow());
  app.on('window-all-closed', () => {
    // Stay in the tray: refreshes continue with no window open.
  });

  // Quitting waits (a few seconds at most) for refreshes and state writes in flight.
  app.on('before-quit', (event) => {
    if (quitting) return;
    quitting = true;
    event.preventDefault();
    clipboardGuard.clearNow();
    browserLogins.cancel();
    const settled = Promise.all([background.stop(), artikey.settle()]);
    const grace = new Promise((resolve) => setTimeout(resolve, QUIT_GRACE_MS));
    void Promise.race([settled, grace]).finally(() => {
      tray.destroy();
      app.exit(0);
    });
  });

  const launch = parseLaunchRequest(process.argv);
  const atLogin =
    process.platform === 'darwin' &&
    app.getLoginItemSettings({ args: [HIDDEN_ARG] }).wasOpenedAtLogin;
  if (!launch.hidden && !atLogin) showWindow(launch.navigate);
  else if (launch.navigate) showWindow(launch.navigate);
  earlyLinks.splice(0).forEach(openLink);
}
