import { AsyncLocalStorage } from 'node:async_hooks';
import { join } from 'node:path';
import { withFileLock } from './file-lock.js';

/**
 * One lock per instance, shared by every Artikey process: whoever writes the instance's
 * keychain entry holds it (refresh, login, logout), and so does whoever copies the token into a
 * tool file (configure), so the copy is always of the token the keychain holds. Unlike the state
 * lock it may be held across a request to the instance (a refresh token is single-use: two
 * processes spending it log the user out), but never across a browser login or a question to a
 * person. Always taken before the state lock, never inside it.
 */
export class InstanceLocks {
  readonly #held = new AsyncLocalStorage<ReadonlySet<string>>();

  constructor(private readonly dir: string) {}

  async run<T>(instanceId: string, work: () => Promise<T>): Promise<T> {
    const held = this.#held.getStore() ?? new Set<string>();
    if (held.has(instanceId)) throw new Error(`The lock of ${instanceId} was taken again by its own holder; it would wait for itself.`);
    // Ids are host names, perhaps with a port: a colon is not allowed in a Windows file name.
    const file = join(this.dir, `instance-${instanceId.replace(/[^\w.-]/g, '_')}.lock`);
    return withFileLock(file, () => this.#held.run(new Set([...held, instanceId]), work), {
      staleMs: 120_000,
      timeoutMs: 90_000,
    });
  }
}
