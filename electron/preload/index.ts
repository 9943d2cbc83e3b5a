import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { createBridge } from '../ipc/contract.js';

// Named methods only: the page never sees ipcRenderer, and each listener gets the payload
// without the event (whose `sender` would reach back into ipcRenderer).
contextBridge.exposeInMainWorld(
  'artikey',
  createBridge({
    invoke: (channel, args) => ipcRenderer.invoke(channel, ...args),
    subscribe: (channel, listener) => {
      const forward = (_event: IpcRendererEvent, payload: unknown): void => listener(payload);
      ipcRenderer.on(channel, forward);
      return () => void ipcRenderer.removeListener(channel, forward);
    },
  }),
);
