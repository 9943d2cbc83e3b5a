import { join } from 'node:path';
import type { Environment } from '../core/paths.js';

/**
 * "Install command-line tools": small launchers that run the CLI bundled in the app with the
 * app's own Electron as Node (`ELECTRON_RUN_AS_NODE=1`), like VS Code's `code` command, so a
 * packaged install needs no separate Node.js.
 */
export const CLI_COMMANDS = {
  artikey: 'artikey.js',
  'docker-credential-artikey': 'docker-credential-artikey.js',
} as const;

export interface Shim {
  path: string;
  content: string;
  mode: number;
}

/** Where shims go: a folder on the user's PATH that needs no administrator rights. */
export function shimFolder({ platform, env, home }: Environment): string {
  if (platform === 'win32')
    return join(env['LOCALAPPDATA'] ?? join(home, 'AppData', 'Local'), 'Artikey', 'bin');
  return join(home, '.local', 'bin');
}

export function cliShims(
  environment: Environment,
  electronExecutable: string,
  cliFolder: string,
): Shim[] {
  const folder = shimFolder(environment);
  return Object.entries(CLI_COMMANDS).map(([command, script]) => {
    const target = join(cliFolder, script);
    if (environment.platform === 'win32') {
      return {
        path: join(folder, `${command}.cmd`),
        mode: 0o644,
        content: `@echo off\r\nset ELECTRON_RUN_AS_NODE=1\r\n"${electronExecutable}" "${target}" %*\r\n`,
      };
    }
    return {
      path: join(folder, command),
      mode: 0o755,
      content: `#!/bin/sh\nELECTRON_RUN_AS_NODE=1 exec ${shellQuote(electronExecutable)} ${shellQuote(target)} "$@"\n`,
    };
  });
}

const shellQuote = (value: string): string => `'${value.replace(/'/g, `'\\''`)}'`;
