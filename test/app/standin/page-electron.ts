/**
 * The renderer side of the stand-in, bundled into each window's page before any page script
 * runs: the `contextBridge` and `ipcRenderer` the real preload (dist/preload/index.cjs) gets for
 * `require('electron')`. Calls reach main's ipcMain through a Playwright binding the page
 * scripts cannot reach (it is taken off the window before they run); events come back through
 * `deliver`.
 *
 * What it reproduces of Electron: a sandboxed preload may require only 'electron'; IPC
 * arguments are structured clones (a function makes the call fail, a class instance arrives as
 * a plain object); what the bridge exposes is a copy, whose functions call back into the
 * preload and whose results are copies again. What it cannot: a separate JavaScript world —
 * here preload and page share one, so isolation itself stays Electron's (window.ts asks for it
 * and the app tests check that it does).
 */
type Reply = { ok: true; value: unknown } | { ok: false; message: string };
type Invoke = (channel: string, args: unknown[]) => Promise<Reply>;
type Listener = (event: Electron.IpcRendererEvent, ...args: unknown[]) => void;

export type IpcRendererEvent = Electron.IpcRendererEvent;

const page = globalThis as Record<string, unknown>;
const listeners = new Map<string, Set<Listener>>();
let invoke: Invoke = () => Promise.reject(new Error('the stand-in is not installed'));

export const ipcRenderer: Pick<
  Electron.IpcRenderer,
  'invoke' | 'on' | 'once' | 'removeListener' | 'off'
> = {
  async invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    let copy: unknown[];
    try {
      copy = structuredClone(args);
    } catch {
      throw new Error('An object could not be cloned.');
    }
    const reply = await invoke(channel, copy);
    if (!reply.ok) throw new Error(`Error invoking remote method '${channel}': ${reply.message}`);
    return reply.value;
  },
  on(channel: string, listener: Listener) {
    const set = listeners.get(channel) ?? new Set();
    set.add(listener);
    listeners.set(channel, set);
    return ipcRenderer as Electron.IpcRenderer;
  },
  once(channel: string, listener: Listener) {
    const once: Listener = (event, ...args) => {
      ipcRenderer.removeListener(channel, once);
      listener(event, ...args);
    };
    return ipcRenderer.on(channel, once);
  },
  removeListener(channel: string, listener: Listener) {
    listeners.get(channel)?.delete(listener);
    return ipcRenderer as Electron.IpcRenderer;
  },
  off(channel: string, listener: Listener) {
    return ipcRenderer.removeListener(channel, listener);
  },
};

export const contextBridge: Pick<Electron.ContextBridge, 'exposeInMainWorld'> = {
  exposeInMainWorld(apiKey: string, api: unknown): void {
    if (apiKey in page)
      throw new Error('Cannot bind an API on top of an existing property on the window object');
    Object.defineProperty(page, apiKey, { value: copyAcross(api), enumerable: true });
  },
};

/** Runs the preload with `require('electron')` answered by this module. */
export function install(runPreload: (require: (id: string) => unknown) => void): void {
  invoke = page['__artikeyStandinInvoke'] as Invoke;
  delete page['__artikeyStandinInvoke'];
  Object.defineProperty(page, '__artikeyStandinDeliver', {
    value: (channel: string, args: unknown[]) => {
      const event = { sender: ipcRenderer, senderId: 0, ports: [] } as unknown as IpcRendererEvent;
      for (const listener of listeners.get(channel) ?? []) listener(event, ...args);
    },
  });
  runPreload((id) => {
    if (id === 'electron') return { contextBridge, ipcRenderer };
    throw new Error(`module not found: ${id}`);
  });
}

/**
 * The copy contextBridge makes of what crosses between the worlds: plain data is copied,
 * functions become functions that copy their arguments and results, promises settle with copies.
 */
function copyAcross(value: unknown): unknown {
  if (typeof value === 'function')
    return (...args: unknown[]) =>
      copyAcross((value as (...a: unknown[]) => unknown)(...args.map(copyAcross)));
  if (value instanceof Promise)
    return value.then(copyAcross, (error: unknown) => Promise.reject(copyError(error)));
  if (value instanceof Error) return copyError(value);
  if (Array.isArray(value)) return value.map(copyAcross);
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) copy[key] = copyAcross(item);
    return copy;
  }
  return value;
}

function copyError(error: unknown): Error {
  return error instanceof Error ? new Error(error.message) : new Error(String(error));
}
