import { keychainPartLimit } from '../../electron/core/keychain-platform.js';
import type { SecretBackend } from '../../electron/core/vault.js';

/**
 * A keychain that lives in this process only, for the preview where no private Secret Service
 * can be started (macOS, Windows): the user's own keychain is never touched, and everything is
 * forgotten on exit. It keeps the platform's size limit, so the Vault splits secrets as it would.
 */
export function memoryKeychain(platform: NodeJS.Platform = process.platform): SecretBackend {
  const entries = new Map<string, string>();
  return {
    description: 'in-memory keychain (preview only; forgotten on exit)',
    maxSecretLength: keychainPartLimit(platform),
    get: async (account) => entries.get(account) ?? null,
    set: async (account, secret) => {
      if (secret.length > keychainPartLimit(platform))
        throw new Error(`secret of ${secret.length} characters is over the platform's limit`);
      entries.set(account, secret);
    },
    delete: async (account) => entries.delete(account),
    accounts: async () => [...entries.keys()],
  };
}
