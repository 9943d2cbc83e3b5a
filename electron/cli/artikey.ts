#!/usr/bin/env node
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Artikey } from '../core/artikey.js';
import { keychainDescription, keychainPartLimit } from '../core/keychain-platform.js';
import { appDataDir, currentEnvironment } from '../core/paths.js';
import { Vault, type SecretBackend } from '../core/vault.js';
import { runCli } from './run.js';

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };
const env = process.env;

/** The keychain module loads a native addon: only commands that touch secrets pay for it. */
function lazyKeychain(): SecretBackend {
  let backend: Promise<SecretBackend> | undefined;
  const load = (): Promise<SecretBackend> =>
    (backend ??= import('../core/keychain.js').then(({ osKeychain, KEYCHAIN_SERVICE }) => osKeychain({ service: env['ARTIKEY_KEYCHAIN_SERVICE'] ?? KEYCHAIN_SERVICE })));
  return {
    description: keychainDescription(process.platform),
    maxSecretLength: keychainPartLimit(process.platform),
    get: async (account) => (await load()).get(account),
    set: async (account, secret) => (await load()).set(account, secret),
    delete: async (account) => (await load()).delete(account),
  };
}

const stateFile = env['ARTIKEY_STATE_FILE'] ?? join(appDataDir(currentEnvironment()), 'state.json');

process.exitCode = await runCli(
  process.argv.slice(2),
  { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env, platform: process.platform },
  { version, artikey: () => new Artikey({ stateFile, vault: new Vault(lazyKeychain()) }) },
);
