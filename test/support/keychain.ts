import { randomUUID } from 'node:crypto';
import { osKeychain } from '../../electron/core/keychain.js';
import type { SecretBackend } from '../../electron/core/vault.js';

/** A keychain service name no other test (and no real Artikey) uses. */
export const testService = (): string => `artikey-test-${randomUUID()}`;

/** The real OS keychain, under a throwaway service name. */
export const realKeychain = (service = testService()): SecretBackend => osKeychain({ service });

/**
 * The real keychain with Windows' rule enforced: a credential holds at most 2,560 bytes of
 * UTF-16, i.e. 1,280 characters. The Vault must split what does not fit.
 */
export function windowsLimited(backend: SecretBackend): SecretBackend {
  return {
    description: 'Windows Credential Manager (imitated)',
    maxSecretLength: 1200,
    get: (account) => backend.get(account),
    set: async (account, secret) => {
      if (secret.length * 2 > 2560) throw new Error('The stub received bad data. (os error 1783)');
      await backend.set(account, secret);
    },
    delete: (account) => backend.delete(account),
    accounts: () => backend.accounts(),
  };
}

/** Stops working (as a killed process would) after `writes` successful set() calls. */
export function dyingAfter(backend: SecretBackend, writes: number): SecretBackend {
  let left = writes;
  return {
    ...backend,
    description: backend.description,
    maxSecretLength: backend.maxSecretLength,
    get: (account) => backend.get(account),
    delete: (account) => backend.delete(account),
    set: async (account, secret) => {
      if (left-- <= 0) throw new Error('process killed');
      await backend.set(account, secret);
    },
  };
}
