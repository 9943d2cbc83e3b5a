/**
 * Facts about each platform's keychain, apart from the native addon so that callers can know
 * them without loading it.
 */

/** The keychain service name under which every Artikey secret is stored. */
export const KEYCHAIN_SERVICE = 'artikey';

export function keychainDescription(platform: NodeJS.Platform): string {
  if (platform === 'darwin') return 'macOS Keychain';
  if (platform === 'win32') return 'Windows Credential Manager';
  return 'Secret Service (D-Bus)';
}

/** Characters one entry holds: Windows keeps 2,560 bytes of UTF-16; elsewhere one part holds any record. */
export const keychainPartLimit = (platform: NodeJS.Platform): number => (platform === 'win32' ? 1200 : 16_384);
