import { osKeychain } from './keychain.js';
import type { KeychainRequest, KeychainResponse } from './keychain-process.js';
import { VaultError } from './vault.js';

/**
 * The child side of `keychainInChildProcess`: one keychain service (the first argument), one
 * request per message, answered by id. It ends with its parent.
 */
const keychain = osKeychain({ service: process.argv[2] ?? '' });

const perform = (request: KeychainRequest): Promise<string | string[] | boolean | null> => {
  switch (request.op) {
    case 'get':
      return keychain.get(request.account);
    case 'set':
      return keychain.set(request.account, request.secret).then(() => null);
    case 'delete':
      return keychain.delete(request.account);
    case 'accounts':
      return keychain.accounts();
  }
};

process.on('message', (request: KeychainRequest) => {
  void perform(request).then(
    (value) => reply({ id: request.id, ok: true, value }),
    (error: unknown) =>
      reply({
        id: request.id,
        ok: false,
        // osKeychain maps every library error to a VaultError; anything else is a bug here.
        code: error instanceof VaultError ? error.code : 'keychain-failed',
        message: error instanceof Error ? error.message : String(error),
      }),
  );
});
process.on('disconnect', () => process.exit(0));

function reply(response: KeychainResponse): void {
  process.send?.(response);
}
