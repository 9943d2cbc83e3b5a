import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { AccessClient } from '../access.js';
import { ActivityLog, type ActivityKind } from '../activity.js';
import { defaultHttpFor, type Connection } from '../connection.js';
import { ArtikeyError } from '../errors.js';
import type { HttpClient } from '../http.js';
import { InstanceLocks } from '../instance-lock.js';
import { instanceView, type InstanceView } from '../instance-view.js';
import { createLogger, type Logger } from '../logger.js';
import { currentEnvironment, type Environment } from '../paths.js';
import { StateStore, type InstanceRecord, type StateData } from '../state.js';
import { TargetRegistry } from '../targets/registry.js';
import { VaultError, type InstanceSecrets, type Vault } from '../vault.js';

export interface ArtikeyOptions {
  stateFile: string;
  /** Where the machine-wide locks live; defaults to `locks/` beside the state file. */
  lockDir?: string;
  vault: Vault;
  /** HTTP for one instance; the default trusts the instance's CA bundle and uses its proxy (else the environment's). */
  httpFor?: (instance: Connection) => Promise<HttpClient>;
  /** The activity log; defaults to `activity.jsonl` beside the state file. */
  activityFile?: string;
  /** Milliseconds since the epoch. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  logger?: Logger;
  /** Where the tool files are (home, environment overrides); the process's own by default. */
  environment?: Environment;
}

/** What changed about an instance, for the app's windows and tray. Never carries a secret. */
export interface InstanceChange {
  instanceId: string;
  reason: 'login' | 'refresh' | 'logout' | 'rename' | 'targets' | 'revoked' | 'connection';
}

/**
 * The stores and services every use case works over: the state file (changed only in its
 * transactions), the keychain, the tool files, the instances' servers, the locks, the clock, the
 * activity log and the change events. Built once per Artikey; the use cases share it.
 */
export class Services {
  readonly state: StateStore;
  readonly vault: Vault;
  readonly targets: TargetRegistry;
  readonly locks: InstanceLocks;
  readonly httpFor: (instance: Connection) => Promise<HttpClient>;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly log: Logger;
  readonly environment: Environment;
  readonly activity: ActivityLog;
  readonly #listeners = new Set<(change: InstanceChange) => void>();
  readonly #retiredListeners = new Set<(secrets: string[]) => Promise<void>>();

  constructor(options: ArtikeyOptions) {
    const lockDir = options.lockDir ?? join(dirname(options.stateFile), 'locks');
    this.state = new StateStore(options.stateFile, { lockFile: join(lockDir, 'state.lock') });
    this.locks = new InstanceLocks(lockDir);
    this.vault = options.vault;
    this.httpFor = options.httpFor ?? defaultHttpFor;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.log = options.logger ?? createLogger('artikey');
    this.environment = options.environment ?? currentEnvironment();
    this.targets = new TargetRegistry(() => this.seconds(), this.log);
    this.activity = new ActivityLog(options.activityFile ?? join(dirname(options.stateFile), 'activity.jsonl'), { logger: this.log });
  }

  seconds(): number {
    return Math.floor(this.now() / 1000);
  }

  /** Never fails the operation it records (the log warns instead). */
  async record(kind: ActivityKind, instance: { id: string; name: string } | null, message: string): Promise<void> {
    await this.activity.append({ at: this.seconds(), kind, instanceId: instance?.id ?? null, instanceName: instance?.name ?? null, message });
  }

  /** The Access API of an instance, reached the way the instance is set up (CA bundle, proxy). */
  async client(instance: InstanceRecord): Promise<AccessClient> {
    return new AccessClient(await this.httpFor(instance), instance.platformUrl);
  }

  async secrets(record: InstanceRecord): Promise<InstanceSecrets> {
    const secrets = await this.vault.read(record.id).catch((error: unknown) => {
      throw namedVaultError(error, record);
    });
    if (!secrets) throw new ArtikeyError('login-required', `The keychain holds no token for ${record.name}. Log in again: artikey login ${record.platformUrl}`);
    return secrets;
  }

  /** Proves the keychain works end to end: store, read back and delete a throwaway entry. */
  async checkKeychain(): Promise<void> {
    const probe = `artikey-doctor-${randomUUID()}`;
    await this.vault.write(probe, { accessToken: 'probe' });
    const back = await this.vault.read(probe);
    await this.vault.erase(probe);
    if (back?.accessToken !== 'probe') throw new ArtikeyError('login-required', `The keychain (${this.vault.description}) did not return what was stored.`);
  }

  view(record: InstanceRecord, state: StateData, offline = false, secretProblem: InstanceRecord['refreshError'] = null): InstanceView {
    return instanceView(record, state.settings, this.seconds(), { offline, secretProblem });
  }

  onChanged(listener: (change: InstanceChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Calls `listener` once Artikey itself has revoked or replaced secrets (see `secretsRetired`). */
  onSecretsRetired(listener: (secrets: string[]) => Promise<void>): void {
    this.#retiredListeners.add(listener);
  }

  /**
   * Artikey has just revoked or replaced these secrets on the server (a refresh, a re-login's
   * retired token, a revoke, a logout, a revoked API key): whoever keeps copies may drop them. A
   * listener's failure never fails the operation that retired them.
   */
  async secretsRetired(secrets: (string | null | undefined)[]): Promise<void> {
    const retired = secrets.filter((secret): secret is string => Boolean(secret));
    if (retired.length === 0) return;
    for (const listener of this.#retiredListeners) {
      await listener(retired).catch((error: unknown) => this.log.warn(`cleaning up after retired secrets failed: ${(error as Error).message}`));
    }
  }

  emit(instanceId: string, reason: InstanceChange['reason']): void {
    for (const listener of this.#listeners) {
      try {
        listener({ instanceId, reason });
      } catch (error) {
        this.log.warn(`a change listener failed: ${(error as Error).message}`);
      }
    }
  }
}

/** The vault knows entries by instance id; a person knows the instance by its name and address. */
export function namedVaultError(error: unknown, record: InstanceRecord): unknown {
  if (!(error instanceof VaultError) || error.code !== 'keychain-corrupt') return error;
  return new VaultError('keychain-corrupt', `The keychain entry for ${record.name} is incomplete or was changed outside Artikey. Log in again: artikey login ${record.platformUrl}`);
}
