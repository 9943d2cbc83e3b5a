import { app, BrowserWindow, ipcMain, type IpcMainInvokeEvent } from 'electron';
import { join } from 'node:path';
import { channel, type Result } from '../ipc/contract.js';
import { isTrustedSender, windowOptions } from './window-options.js';

const distDir = join(__dirname, '..');
const rendererIndex = join(distDir, 'renderer', 'index.html');
let window: BrowserWindow | undefined;

function trusted(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  return frame !== null && isTrustedSender({ url: frame.url, isMainFrame: frame === event.sender.mainFrame }, rendererIndex);
}

function registerHandlers(): void {
  ipcMain.handle(channel('app.version'), (event): Result<{ name: string; version: string }> => {
    if (!trusted(event)) return { ok: false, code: 'untrusted-sender', message: 'IPC from an unexpected frame was refused.' };
    return { ok: true, value: { name: app.getName(), version: app.getVersion() } };
  });
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
    contents.session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  });
  void app.whenReady().then(() => {
    registerHandlers();
    createWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
