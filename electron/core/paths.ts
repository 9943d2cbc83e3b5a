import { homedir } from 'node:os';
import { join } from 'node:path';

export interface Environment {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  home: string;
}

export const currentEnvironment = (): Environment => ({
  platform: process.platform,
  env: process.env,
  home: homedir(),
});

/** Where Artikey keeps its non-secret state: the platform's configuration folder. */
export function appDataDir({ platform, env, home }: Environment): string {
  if (platform === 'win32')
    return join(env['APPDATA'] ?? join(home, 'AppData', 'Roaming'), 'Artikey');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Artikey');
  const config = env['XDG_CONFIG_HOME'];
  // The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
  return join(config && config.startsWith('/') ? config : join(home, '.config'), 'artikey');
}

/** The state file: in the app-data folder, unless ARTIKEY_STATE_FILE names another. */
export function stateFilePath(environment: Environment = currentEnvironment()): string {
  return environment.env['ARTIKEY_STATE_FILE'] ?? join(appDataDir(environment), 'state.json');
}
