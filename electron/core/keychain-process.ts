import { fork, type ChildProcess } from 'node:child_process';
import { keychainDescription, keychainPartLimit } from './keychain-platform.js';
import { VaultError, type SecretBackend, type VaultErrorCode } from './vault.js';

/**
 * The OS keychain in a child process, for the long-running Artikey (the desktop app and `artikey
 * agent`). The keychain library blocks its caller while it talks to the keychain daemon (on Linux
 * a D-Bus round trip in every `new AsyncEntry`, two seconds each time a daemon does not answer,
 * which osKeychain asks three times), and its D-Bus code cannot use file descriptors above 1,023.
 * In a child it blocks only the child, and the child's own descriptor table stays small however
 * many sockets the parent holds.
 * Short-lived commands keep calling the library in-process: they have nothing else to serve.
 */
export interface KeychainProcessOptions {
  /** The built `keychain-child.js`. */
  script: string;
  service: string;
  /** The Electron binary runs the child as plain Node only when told to (ELECTRON_RUN_AS_NODE). */
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  timeoutMs?: number;
}

/** Long enough for a slow keychain, short enough that a hung one is reported, not waited on. */
export const KEYCHAIN_TIMEOUT_MS = 10_000;

export type KeychainRequest =
  | { id: number; op: 'get'; account: string }
  | { id: number; op: 'set'; account: string; secret: string }
  | { id: number; op: 'delete'; account: string }
  | { id: number; op: 'accounts' };

type Answer = string | string[] | boolean | null;

export type KeychainResponse =
  | { id: number; ok: true; value: Answer }
  | { id: number; ok: false; code: VaultErrorCode; message: string };

type Operation =
  | { op: 'get'; account: string }
  | { op: 'set'; account: string; secret: string }
  | { op: 'delete'; account: string }
  | { op: 'accounts' };

interface Pending {
  resolve: (value: Answer) => void;
  reject: (error: VaultError) => void;
  timer: NodeJS.Timeout;
}

export function keychainInChildProcess(options: KeychainProcessOptions): SecretBackend {
  const platform = options.platform ?? process.platform;
  const timeoutMs = options.timeoutMs ?? KEYCHAIN_TIMEOUT_MS;
  const description = keychainDescription(platform);
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let child: ChildProcess | undefined;
  // The child also leaves when its channel closes, but not while the library holds it.
  const killAtExit = (): void => void child?.kill('SIGKILL');

  /** Every call still waiting fails with `error`; the next call starts a fresh child. */
  const abandon = (error: VaultError): void => {
    const stale = child;
    child = undefined;
    process.removeListener('exit', killAtExit);
    for (const [id, call] of pending) {
      clearTimeout(call.timer);
      pending.delete(id);
      call.reject(error);
    }
    // A child stuck inside the library would never take another request.
    stale?.kill('SIGKILL');
  };

  const start = (): ChildProcess => {
    const started = fork(options.script, [options.service], {
      env: options.env ?? process.env,
      // Not the parent's flags: an --inspect port or a loader of the parent's is not the child's.
      execArgv: [],
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
      serialization: 'json',
    });
    started.on('message', (message: KeychainResponse) => {
      const call = pending.get(message.id);
      if (!call) return;
      clearTimeout(call.timer);
      pending.delete(message.id);
      idle();
      if (message.ok) call.resolve(message.value);
      else call.reject(new VaultError(message.code, message.message));
    });
    started.on('error', (error) => {
      if (child === started)
        abandon(
          new VaultError('keychain-failed', `The keychain process could not run: ${error.message}`),
        );
    });
    started.on('exit', (code, signal) => {
      if (child === started)
        abandon(
          new VaultError(
            'keychain-failed',
            `The keychain process ended unexpectedly (${signal ?? `exit code ${code}`}). Try again.`,
          ),
        );
    });
    process.on('exit', killAtExit);
    return started;
  };

  // An idle child must not keep the process alive; a call in flight must.
  const idle = (): void => {
    if (pending.size > 0 || !child) return;
    child.unref();
    child.channel?.unref();
  };

  const call = (operation: Operation): Promise<Answer> =>
    new Promise((resolve, reject) => {
      child ??= start();
      child.ref();
      child.channel?.ref();
      const id = nextId++;
      const timer = setTimeout(
        () =>
          abandon(
            new VaultError(
              'keychain-timeout',
              `The keychain (${description}) did not answer within ${Math.round(timeoutMs / 1000)} s. Check that its service is running and responsive, then try again.`,
            ),
          ),
        timeoutMs,
      );
      pending.set(id, { resolve, reject, timer });
      child.send({ id, ...operation } satisfies KeychainRequest);
    });

  return {
    description,
    maxSecretLength: keychainPartLimit(platform),
    get: async (account) => (await call({ op: 'get', account })) as string | null,
    set: async (account, secret) => void (await call({ op: 'set', account, secret })),
    delete: async (account) => (await call({ op: 'delete', account })) === true,
    accounts: async () => (await call({ op: 'accounts' })) as string[],
  };
}
