import { join } from 'node:path';
import type { Environment } from '../core/paths.js';

/**
 * Starting with the session on Linux: an XDG autostart entry (macOS and Windows use Electron's
 * `app.setLoginItemSettings`). Artikey starts hidden, in the tray.
 */
export function autostartPath({ env, home }: Environment): string {
  const config = env['XDG_CONFIG_HOME'];
  return join(
    config && config.startsWith('/') ? config : join(home, '.config'),
    'autostart',
    'artikey.desktop',
  );
}

export function autostartEntry(command: readonly string[]): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Artikey',
    'Comment=Keeps your Artifactory credentials fresh',
    `Exec=${command.map(desktopExecQuote).join(' ')} --hidden`,
    'Icon=artikey',
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    'NoDisplay=false',
    '',
  ].join('\n');
}

/** The Exec key's quoting rules (Desktop Entry Specification): quote, and escape ", `, $ and \. */
export function desktopExecQuote(argument: string): string {
  if (/^[\w@%+=:,./-]+$/.test(argument)) return argument;
  return `"${argument.replace(/[\\"`$]/g, (c) => `\\${c}`)}"`;
}
