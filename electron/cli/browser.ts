import { spawn } from 'node:child_process';

/**
 * Whether a browser can be opened here: not over SSH, and on Linux only with a display.
 * Elsewhere the CLI prints the login URL for the person to open on any device.
 */
export function canOpenBrowser(env: Record<string, string | undefined>, platform: NodeJS.Platform): boolean {
  if (env['SSH_CONNECTION'] || env['SSH_TTY']) return false;
  if (platform === 'linux') return Boolean(env['DISPLAY'] || env['WAYLAND_DISPLAY']);
  return true;
}

/** Opens the URL in the default browser; false when that did not work. */
export function openBrowser(url: string, platform: NodeJS.Platform): Promise<boolean> {
  const [command, args] =
    platform === 'darwin' ? ['open', [url]] : platform === 'win32' ? ['rundll32', ['url.dll,FileProtocolHandler', url]] : ['xdg-open', [url]];
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    child.once('error', () => resolve(false));
    child.once('spawn', () => {
      child.unref();
      resolve(true);
    });
  });
}

/** What a browser login needs from its caller: where to tell the person, and a way to cancel. */
export interface BrowserLoginHooks {
  onPrompt: (prompt: { code: string; url: string }) => Promise<void>;
  signal: AbortSignal;
}

/**
 * Runs a browser login the way the CLI shows it: opens the page where a browser can be opened
 * (else prints it), shows the code, a spinner while the person approves; Ctrl+C cancels.
 */
export async function withBrowserPrompt<T>(io: { stderr: NodeJS.WritableStream & { isTTY?: boolean }; env: Record<string, string | undefined>; platform: NodeJS.Platform }, allowBrowser: boolean, login: (hooks: BrowserLoginHooks) => Promise<T>): Promise<T> {
  const browser = allowBrowser && canOpenBrowser(io.env, io.platform);
  const controller = new AbortController();
  const onSigint = (): void => controller.abort();
  process.once('SIGINT', onSigint);
  let spinner: NodeJS.Timeout | undefined;
  try {
    return await login({
      signal: controller.signal,
      onPrompt: async ({ code, url: page }) => {
        const opened = browser && (await openBrowser(page, io.platform));
        io.stderr.write(
          opened
            ? `Opened your browser to log in. If asked, enter the code ${code}.\nIf no browser opened, visit:\n  ${page}\n`
            : `Open this page on any device to log in (enter the code ${code} if asked):\n  ${page}\n`,
        );
        if (io.stderr.isTTY) {
          const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
          let frame = 0;
          spinner = setInterval(() => io.stderr.write(`\r${frames[frame++ % frames.length] ?? ''} Waiting for approval in the browser (Ctrl+C to cancel)… `), 120);
        } else {
          io.stderr.write('Waiting for approval in the browser…\n');
        }
      },
    });
  } finally {
    if (spinner) {
      clearInterval(spinner);
      io.stderr.write('\r\u001b[K');
    }
    process.removeListener('SIGINT', onSigint);
  }
}
