import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { channel, eventChannel, METHOD_NAMES, type Result } from '../ipc/contract.js';
import type { Emit } from './api.js';
import type { Dispatch } from './dispatcher.js';
import { isTrustedSender } from './window-options.js';

/** The parts of Electron's invoke event we read; a test builds one without Electron. */
export type InvokeEvent = Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>;

/**
 * Binds the contract to Electron's ipcMain: one `artikey:<method>` handler per method, each
 * checking that the call comes from our window's main frame showing our own page.
 */
export function serveIpc(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  dispatch: Dispatch,
  trusted: (event: InvokeEvent) => boolean,
): () => void {
  for (const name of METHOD_NAMES) {
    ipcMain.handle(channel(name), (event, ...args: unknown[]): Promise<Result<unknown>> => {
      if (!trusted(event))
        return Promise.resolve({
          ok: false,
          code: 'untrusted-sender',
          message: 'This call did not come from the Artikey window.',
        });
      return dispatch(name, args);
    });
  }
  return () => METHOD_NAMES.forEach((name) => ipcMain.removeHandler(channel(name)));
}

/** The trust rule for one window: its own web contents, its main frame, our renderer file. */
export function trustedFrom(
  window: () => Pick<WebContents, 'mainFrame'> | undefined,
  rendererIndex: string,
): (event: InvokeEvent) => boolean {
  return (event) => {
    const ours = window();
    const frame = event.senderFrame;
    if (!ours || !frame) return false;
    return isTrustedSender(
      {
        url: frame.url,
        isMainFrame: frame === ours.mainFrame,
        fromOurWindow: event.sender === ours,
      },
      rendererIndex,
    );
  };
}

/** Events go only to our window, and only while it exists. */
export function emitterTo(
  window: () => Pick<WebContents, 'send' | 'isDestroyed'> | undefined,
): Emit {
  return (event, payload) => {
    const contents = window();
    if (contents && !contents.isDestroyed()) contents.send(eventChannel(event), payload);
  };
}
