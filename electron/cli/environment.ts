import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  KEYCHAIN_SERVICE,
  keychainDescription,
  keychainPartLimit,
} from '../core/keychain-platform.js';
import { Vault, type SecretBackend } from '../core/vault.js';

/** Artikey's version, from the package.json above this file (source, dist/cli or its chunks). */
function packageVersion(): string {
  for (let folder = dirname(fileURLToPath(import.meta.url)); ; folder = dirname(folder)) {
    const candidate = join(folder, 'package.json');
    if (existsSync(candidate)) {
      const manifest = JSON.parse(readFileSync(candidate, 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (manifest.name === 'artikey' && manifest.version) return manifest.version;
    }
    if (dirname(folder) === folder) return 'unknown';
  }
}

export const version = packageVersion();

/** The keychain module loads a native addon: only commands that touch secrets pay for it. */
function lazyKeychain(env: Record<string, string | undefined>): SecretBackend {
  let backend: Promise<SecretBackend> | undefined;
  const load = (): Promise<SecretBackend> =>
    (backend ??= import('../core/keychain.js').then(({ osKeychain }) =>
      osKeychain({ service: keychainService(env) }),
    ));
  return {
    description: keychainDescription(process.platform),
    maxSecretLength: keychainPartLimit(process.platform),
    get: async (account) => (await load()).get(account),
    set: async (account, secret) => (await load()).set(account, secret),
    delete: async (account) => (await load()).delete(account),
    accounts: async () => (await load()).accounts(),
  };
}

/** Tests keep their secrets apart from the user's under another service name. */
export const keychainService = (env: Record<string, string | undefined>): string =>
  env['ARTIKEY_KEYCHAIN_SERVICE'] ?? KEYCHAIN_SERVICE;

/** The real keychain, loaded on first use. */
export function cliVault(env: Record<string, string | undefined> = process.env): Vault {
  return new Vault(lazyKeychain(env));
}
