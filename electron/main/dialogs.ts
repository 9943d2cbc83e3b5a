import type { BrowserWindow, Dialog } from 'electron';

/** One yes/no question to the person, asked by main in a native dialog (never by the page). */
export interface Confirmation {
  /** The question, naming the instance's host: "Show the token for acme.jfrog.io?". */
  message: string;
  detail: string;
  /** The button that says yes ("Show token"); the other one is "Cancel", the default. */
  confirm: string;
}

/** Main's native dialogs: Electron's in the app, a recording double in tests. */
export interface Dialogs {
  /** True only when the person chose `confirm`. */
  confirm(question: Confirmation): Promise<boolean>;
  /** A file picker for a PEM bundle for `host`; null when the person cancelled. */
  pickCaFile(host: string): Promise<string | null>;
}

/** The person said no (or closed the picker): nothing changed, and the page learns only that. */
export class DeclinedError extends Error {
  readonly code = 'declined';
}

/** Dialogs attached to the window when it exists, so they sit on top of what asked for them. */
export function nativeDialogs(
  dialog: Pick<Dialog, 'showMessageBox' | 'showOpenDialog'>,
  window: () => BrowserWindow | undefined,
): Dialogs {
  return {
    confirm: async ({ message, detail, confirm }) => {
      const options = {
        type: 'question' as const,
        message,
        detail,
        buttons: ['Cancel', confirm],
        defaultId: 0,
        cancelId: 0,
        noLink: true,
      };
      const owner = window();
      const { response } = owner
        ? await dialog.showMessageBox(owner, options)
        : await dialog.showMessageBox(options);
      return response === 1;
    },
    pickCaFile: async (host) => {
      const options = {
        title: `CA bundle for ${host}`,
        buttonLabel: 'Choose',
        properties: ['openFile' as const],
        filters: [
          { name: 'PEM certificates', extensions: ['pem', 'crt', 'cer'] },
          { name: 'All files', extensions: ['*'] },
        ],
      };
      const owner = window();
      const { canceled, filePaths } = owner
        ? await dialog.showOpenDialog(owner, options)
        : await dialog.showOpenDialog(options);
      return canceled ? null : (filePaths[0] ?? null);
    },
  };
}
