import { Artikey } from '../core/artikey.js';
import { currentEnvironment, stateFilePath } from '../core/paths.js';
import { cliVault } from './environment.js';

/** The core as the command-line tools use it: real keychain, state in the app-data folder. */
export function createArtikey(env: Record<string, string | undefined> = process.env): Artikey {
  return new Artikey({
    stateFile: stateFilePath({ ...currentEnvironment(), env }),
    vault: cliVault(env),
  });
}
