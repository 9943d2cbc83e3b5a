/**
 * The stand-in as one module, for the second type-check of electron/main and electron/preload
 * (test/app/standin/tsconfig.json maps 'electron' here): what main and the preload use must
 * exist in the stand-in, with the stand-in's types, which are Electron 41's own.
 */
export {
  app,
  BrowserWindow,
  clipboard,
  dialog,
  ipcMain,
  Menu,
  nativeImage,
  Notification,
  powerMonitor,
  shell,
  Tray,
  WebContents,
} from './electron.js';
export type {
  Dialog,
  IpcMain,
  IpcMainInvokeEvent,
  MenuItemConstructorOptions,
} from './electron.js';
export type { IpcRendererEvent } from './page-electron.js';
export { contextBridge, ipcRenderer } from './page-electron.js';
