import type * as Keyring from '@napi-rs/keyring';
import { createRequire } from 'node:module';
import { KEYCHAIN_SERVICE, keychainDescription as describe, keychainPartLimit } from './keychain-platform.js';
import { VaultError, type SecretBackend } from './vault.js';

const LINUX_HELP =
  'Artikey keeps tokens only in the OS keychain; it never falls back to a plain file or to the kernel keyring, which a reboot wipes. ' +
  'Install and start a Secret Service provider (GNOME Keyring or KWallet) and log in to your desktop session, e.g. `sudo apt-get install gnome-keyring libsecret-tools`. ' +
  "On a headless machine, over SSH or in WSL, run Artikey inside a D-Bus session with an unlocked keyring: `dbus-run-session -- sh -c 'gnome-keyring-daemon --unlock --components=secrets; exec $SHELL'` (type a keyring password, then Enter and Ctrl+D).";

/**
 * Required, not imported: Node 20 imports a CommonJS module into ESM only after compiling a
 * WebAssembly lexer to find its exports, which cost `docker-credential-artikey get` about 25 ms
 * of its start-up (issue 17). The platform's addon package is required directly when it is
 * there: the package's own loader first reads /usr/bin/ldd and tries files that do not exist,
 * another 4 ms; it stays the fallback for the platforms this guess does not name (musl, macOS
 * universal, FreeBSD...).
 */
function loadKeyring(): typeof Keyring {
  const require = createRequire(import.meta.url);
  const abi = ({ linux: '-gnu', win32: '-msvc' } as Partial<Record<NodeJS.Platform, string>>)[process.platform] ?? '';
  // The variables by which a user points the package's loader elsewhere keep working.
  if (process.env['NAPI_RS_NATIVE_LIBRARY_PATH'] || process.env['NAPI_RS_FORCE_WASI'])
    return require('@napi-rs/keyring') as typeof Keyring;
  try {
    return require(`@napi-rs/keyring-${process.platform}-${process.arch}${abi}`) as typeof Keyring;
  } catch {
    return require('@napi-rs/keyring') as typeof Keyring;
  }
}

const { AsyncEntry, findCredentialsAsync } = loadKeyring();

/**
 * The keyring is there and works, it is only locked: how to unlock it, not how to install one.
 * A second `gnome-keyring-daemon --unlock` does not reach the running daemon (it starts one that
 * loses the bus name); `--replace` takes over with the same keyring files, unlocked. It reads the
 * password up to end of input, newline included: hence Ctrl+D, not Enter.
 */
const LOCKED_HELP =
  'The keyring that holds Artikey\'s tokens (Secret Service) is locked. Unlock it and try again: on a desktop, unlock the "Login" keyring in Passwords and Keys (seahorse), or log out and in again; ' +
  'in a terminal session (SSH, WSL, no desktop), run `gnome-keyring-daemon --replace --unlock --components=secrets`, type the keyring password and press Ctrl+D twice (not Enter: the daemon would take the newline as part of the password). ' +
  'Artikey never falls back to a plain file meanwhile.';

/**
 * What the Secret Service answers about an item deleted since it was found: "No such interface
 * org.freedesktop.Secret.Item (or org.freedesktop.DBus.Properties) on object …", "Object does not
 * exist at path …" (GNOME Keyring 42–46, through zbus). Listing reads every item of the service,
 * so any Artikey process deleting its own entry meanwhile causes it
 * (test/integrity/keychain-vanishing-items.test.ts).
 */
const VANISHED_ITEM = /No such (interface|object)|UnknownObject|Object does not exist/i;
const VANISHED_ITEM_ATTEMPTS = 10;

/**
 * The library gives the Secret Service two seconds per D-Bus call, then fails with libdbus's own
 * "Did not receive a reply". A daemon that is only slow (a loaded machine, its pages swapped out
 * during a long sleep) answers a second or third asking; one that is stuck still fails within the
 * long-running process's own patience (KEYCHAIN_TIMEOUT_MS, ten seconds). Asking again is safe for
 * every call: a read reads, a write writes the same secret, a deletion finds nothing left to delete.
 * Seen in CI: one call of a login failed while a fuzz suite's oracles kept both cores busy.
 */
const NO_REPLY = /Did not receive a reply/;
const NO_REPLY_ATTEMPTS = 3;

/**
 * The OS keychain through @napi-rs/keyring. On Linux the entry is pinned to the Secret Service,
 * so the library cannot silently fall back to the kernel keyring.
 */
export function osKeychain(options: { service?: string; platform?: NodeJS.Platform } = {}): SecretBackend {
  const service = options.service ?? KEYCHAIN_SERVICE;
  const platform = options.platform ?? process.platform;
  const entry = (account: string): Keyring.AsyncEntry =>
    new AsyncEntry(service, account, platform === 'linux' ? { linux: { store: 'secret-service' } } : undefined);
  const guard = async <T>(action: () => Promise<T>): Promise<T> => {
    let unanswered = 0;
    for (let attempt = 1; ; attempt++) {
      try {
        return await action();
      } catch (error) {
        // An item another process deleted between the library's search and its next call: the
        // search is simply out of date, so it is asked again (a new search no longer finds it).
        // A short, random pause lets a process deleting several entries get ahead.
        if (attempt < VANISHED_ITEM_ATTEMPTS && VANISHED_ITEM.test(String(error))) {
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
          continue;
        }
        if (NO_REPLY.test(String(error)) && ++unanswered < NO_REPLY_ATTEMPTS) continue;
        throw keychainError(error, platform);
      }
    }
  };
  return {
    description: describe(platform),
    maxSecretLength: keychainPartLimit(platform),
    get: (account) => guard(() => entry(account).getPassword()),
    set: (account, secret) => guard(() => entry(account).setPassword(secret)),
    delete: (account) => guard(() => entry(account).deleteCredential()),
    // The library hands back every secret of the service with its name; only the names leave here.
    accounts: () => guard(async () => (await findCredentialsAsync(service)).map((credential) => credential.account)),
  };
}

/**
 * Maps the library's platform errors to codes and a fix the user can act on. The Linux texts are
 * the library's own, reproduced against a real daemon (test/security/reliability-edges): a stopped
 * daemon gives "Did not receive a reply. Possible causes include: … blocked the reply …", a dead
 * session bus "Failed to connect to socket <path>: No such file or directory" (or "Connection
 * refused").
 */
export function keychainError(error: unknown, platform: NodeJS.Platform): VaultError {
  const detail = error instanceof Error ? error.message : String(error);
  if (platform === 'linux') {
    // First: the no-reply text says "blocked the reply", which a bare /locked/ would take for a locked keyring.
    if (/Did not receive a reply|NoReply|timed? ?out/i.test(detail)) {
      return new VaultError('keychain-timeout', 'The keychain did not answer (the Secret Service sent no reply over D-Bus). Is gnome-keyring-daemon stuck? Restart it (log out and in again, or run `gnome-keyring-daemon --replace --components=secrets`) and try again.');
    }
    if (/Failed to connect to socket|Connection refused|autolaunch/i.test(detail)) {
      return new VaultError('keychain-unavailable', `Artikey cannot reach the D-Bus session that carries the Secret Service (${detail.replace(/^.*DBus error: /, '')}). DBUS_SESSION_BUS_ADDRESS names a session bus that is gone or was never set, as in a shell left over from an earlier login (tmux, screen, SSH). Open a new login shell, or start one with \`dbus-run-session -- $SHELL\`; the keyring itself may be fine. Artikey never falls back to a plain file or to the kernel keyring meanwhile.`);
    }
    if (/\blocked\b|prompt|dismiss/i.test(detail)) {
      return new VaultError('keychain-locked', LOCKED_HELP);
    }
    if (/dbus|DBUS_SESSION_BUS_ADDRESS|ServiceUnknown|no result found|org\.freedesktop\.secrets|not available|AccessDenied/i.test(detail)) {
      return new VaultError('keychain-unavailable', `No Secret Service keychain is available (${detail}). ${LINUX_HELP}`);
    }
  }
  if (platform === 'darwin' && /user interaction is not allowed|locked/i.test(detail)) {
    return new VaultError('keychain-locked', 'The macOS login keychain is locked. Unlock it (log in, or `security unlock-keychain`) and try again.');
  }
  return new VaultError('keychain-failed', `The OS keychain (${describe(platform)}) refused the operation: ${detail}`);
}
