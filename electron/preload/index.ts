import { contextBridge, ipcRenderer } from 'electron';
import {
  channel,
  type ArtikeyBridge,
  type MethodName,
  type Methods,
  type Result,
} from '../ipc/contract.js';

function invoke<N extends MethodName>(
  method: N,
  ...args: Methods[N]['args']
): Promise<Result<Methods[N]['result']>> {
  return ipcRenderer.invoke(channel(method), ...args) as Promise<Result<Methods[N]['result']>>;
}

// Named methods only: the page never sees ipcRenderer. Typed as the contract's bridge, so a
// method added to the contract does not compile until it is exposed here.
const bridge: ArtikeyBridge = {
  app: { version: () => invoke('app.version') },
};

contextBridge.exposeInMainWorld('artikey', bridge);
