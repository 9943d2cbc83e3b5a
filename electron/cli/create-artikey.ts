import { Artikey } from '../core/artikey.js';
import { currentEnvironment, stateFilePath } from '../core/paths.js';
import { keychainInChildProcess } from '../core/keychain-process.js';
import { Vault } from '../core/vault.js';
import { cliVault, keychainService } from './environment.js';

/**
 * The core as the command-line tools use it: real keychain, state in the app-data folder. A
 * long-running command passes the built keychain child (`keychainScript`), so that a stuck
 * keychain cannot stall it.
 */
export function createArtikey(
  env: Record<string, string | undefined> = process.env,
  keychainScript?: string,
): Artikey {
  return new Artikey({
    stateFile: stateFilePath({ ...currentEnvironment(), env }),
    vault: keychainScript
      ? new Vault(keychainInChildProcess({ script: keychainScript, service: keychainService(env) }))
      : cliVault(env),
  });
}
