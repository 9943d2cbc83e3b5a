import { app, BrowserWindow, ipcMain, type IpcMainInvokeEvent } from 'electron';
import { join } from 'node:path';
import { errorCode } from '../core/errors.js';
import { channel, type MethodName, type Methods, type Result } from '../ipc/contract.js';
import { isTrustedSender, windowOptions } from './window-options.js';

const distDir = join(__dirname, '..');
const rendererIndex = join(distDir, 'renderer', 'index.html');
let window: BrowserWindow | undefined;

function trusted(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  if (frame === null) return false;
  return isTrustedSender(
    {
      url: frame.url,
      isMainFrame: frame === event.sender.mainFrame,
      fromOurWindow: window !== undefined && event.sender === window.webContents,
    },
    rendererIndex,
  );
}

type Handler<N extends MethodName> = (
  ...args: unknown[]
) => Methods[N]['result'] | Promise<Methods[N]['result']>;

/**
 * Arguments arrive as `unknown`: each handler parses its own. Failures travel as coded results
 * because Electron drops everything but the message of a thrown error.
 */
function handle<N extends MethodName>(method: N, run: Handler<N>): void {
  type Reply = Result<Methods[N]['result']>;
  ipcMain.handle(channel(method), async (event, ...args: unknown[]): Promise<Reply> => {
    if (!trusted(event)) {
      return { ok: false, code: 'untrusted-sender', message: 'IPC from an unexpected frame.' };
    }
    try {
      return { ok: true, value: await run(...args) };
    } catch (error) {
      const code = errorCode(error);
      // Only our own coded errors carry messages written for users; anything else is a bug.
      const message =
        code !== 'internal' && error instanceof Error ? error.message : 'Unexpected error.';
      return { ok: false, code, message };
    }
  });
}

/** One handler per contract method: a method without one does not compile. */
function registerHandlers(handlers: { [N in MethodName]: Handler<N> }): void {
  for (const method of Object.keys(handlers) as MethodName[]) handle(method, handlers[method]);
}

function createWindow(): void {
  window = new BrowserWindow(windowOptions(distDir));
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  window.once('ready-to-show', () => window?.show());
  void window.loadFile(rendererIndex);
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (window?.isMinimized()) window.restore();
    window?.focus();
  });
  app.on('web-contents-created', (_event, contents) => {
    contents.session.setPermissionRequestHandler((_contents, _permission, callback) =>
      callback(false),
    );
  });
  void app.whenReady().then(() => {
    registerHandlers({
      'app.version': () => ({ name: app.getName(), version: app.getVersion() }),
    });
    createWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
