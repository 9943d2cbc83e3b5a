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
