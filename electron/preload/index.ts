import { contextBridge, ipcRenderer } from 'electron';
import { channel, type ArtikeyBridge } from '../ipc/contract.js';

// Named methods only: the page never sees ipcRenderer itself.
const bridge: ArtikeyBridge = {
  app: { version: () => ipcRenderer.invoke(channel('app.version')) as ReturnType<ArtikeyBridge['app']['version']> },
};

contextBridge.exposeInMainWorld('artikey', bridge);
