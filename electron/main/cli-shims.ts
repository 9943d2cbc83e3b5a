import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Environment } from '../core/paths.js';
import type { CliToolsStatus } from '../ipc/contract.js';

/**
 * "Install command-line tools": small launchers that run the CLI bundled in the app with the
 * app's own Electron as Node (`ELECTRON_RUN_AS_NODE=1`), like VS Code's `code` command, so a
 * packaged install needs no separate Node.js.
 */
export const CLI_COMMANDS = {
  artikey: 'artikey.js',
  'docker-credential-artikey': 'docker-credential-artikey.cjs',
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

/** Whether each shim is in place and the folder is on PATH (so a new terminal finds it). */
export async function shimStatus(
  environment: Environment,
  shims: Shim[],
  available: boolean,
): Promise<CliToolsStatus> {
  const folder = shimFolder(environment);
  const present = await Promise.all(
    shims.map((shim) =>
      readFile(shim.path, 'utf8').then(
        (text) => text === shim.content,
        () => false,
      ),
    ),
  );
  const separator = environment.platform === 'win32' ? ';' : ':';
  const pathVariable = environment.env['PATH'] ?? environment.env['Path'] ?? '';
  return {
    available,
    folder,
    commands: Object.keys(CLI_COMMANDS),
    installed: available && present.every(Boolean),
    onPath: pathVariable.split(separator).some((entry) => samePath(entry, folder, environment)),
  };
}

/**
 * Writes the shims. A file of the same name that Artikey did not write (another `artikey`
 * command) is left alone and reported, never overwritten.
 */
export async function installShims(shims: Shim[]): Promise<void> {
  for (const shim of shims) {
    const existing = await readFile(shim.path, 'utf8').catch(() => null);
    if (existing !== null && !existing.includes('ELECTRON_RUN_AS_NODE'))
      throw Object.assign(
        new Error(`${shim.path} already exists and is not Artikey's; remove or rename it first.`),
        { code: 'file-exists' },
      );
    await mkdir(dirname(shim.path), { recursive: true });
    await writeFile(shim.path, shim.content, { mode: shim.mode });
    await chmod(shim.path, shim.mode);
  }
}

const samePath = (a: string, b: string, { platform }: Environment): boolean => {
  const norm = (p: string): string => p.replace(/[\\/]+$/, '');
  return platform === 'win32'
    ? norm(a).toLowerCase() === norm(b).toLowerCase()
    : norm(a) === norm(b);
};
