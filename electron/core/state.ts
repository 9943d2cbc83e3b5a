import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from './atomic-file.js';
import { withFileLock } from './file-lock.js';
import { isTargetRecord, type TargetRecord } from './targets/target-record.js';

/**
 * Non-secret metadata in one JSON file: instances, token facts, settings. Secrets never enter
 * it (they live in the Vault). Versioned, so later releases can migrate it.
 */
export const STATE_VERSION = 1;

export type LoginMethod = 'browser' | 'password' | 'access-token' | 'reference-token' | 'api-key';

export interface TokenFacts {
  kind: 'access-token' | 'reference-token';
  tokenId: string | null;
  subject: string | null;
  scopes: string[];
  audience: string[];
  issuer: string | null;
  /** Seconds since the epoch. */
  issuedAt: number | null;
  /** Seconds since the epoch; null = never expires (or unknown for an opaque reference token). */
  expiresAt: number | null;
  refreshable: boolean;
  revocable: boolean | null;
  signature: 'verified' | 'invalid' | 'not-checked';
}

export interface InstanceRecord {
  id: string;
  name: string;
  platformUrl: string;
  username: string | null;
  loginMethod: LoginMethod;
  token: TokenFacts;
  /** Lifetime asked for new tokens of this instance; null = the global default. */
  tokenLifetimeSeconds: number | null;
  /** PEM bundle trusted in addition to the system's CAs for this instance. */
  caFile: string | null;
  /** `http://host:port` Artikey reaches this instance through; null = HTTPS_PROXY / NO_PROXY decide. */
  proxy: string | null;
  addedAt: number;
  updatedAt: number;
  /** What the server last said about the token, and when (seconds). */
  revocation: { status: 'active' | 'revoked' | 'not-persisted' | 'unknown'; checkedAt: number | null };
  refreshError: { code: string; message: string; at: number } | null;
  /** Tool files holding this instance's credentials (or pointing Docker at Artikey). */
  targets: TargetRecord[];
  /** The server's clock minus ours in seconds, from the last token's `iat`; expiry is judged in server time. */
  clockOffsetSeconds: number;
  /** Set once a logout has dealt with the server token and not finished yet: the next logout completes it. */
  loggingOut?: LogoutProgress;
  /**
   * Set before Artikey asks the server to revoke the token (`revoke`, logout) and cleared once the
   * answer is recorded: from then on the token is not handed out, and a process killed in between
   * leaves it for the next one to finish.
   */
  revoking?: RevokeInProgress;
  /** Tokens this instance held before, listed when replaced and until revoked on the server (see superseded-tokens.ts). */
  superseded?: SupersededToken[];
  /**
   * The longest lifetime the server granted when asked for more (seconds): refreshes ask for no
   * more than this, and the instance says so once (see token-lifetime.ts). Absent when the server
   * gave what was asked.
   */
  lifetimeCapSeconds?: number;
  /** The lifetime asked for the current token (seconds); absent for a token Artikey did not ask for (pasted). */
  askedLifetimeSeconds?: number;
  /** The repository last chosen per package type (`npm`, `pypi`, `maven`), offered first next time. */
  chosenRepositories?: Record<string, string>;
}

export interface SupersededToken {
  tokenId: string;
  /** Seconds since the epoch (server time); null = never expires. */
  expiresAt: number | null;
}

/** A revoke of the token with this id that may have reached the server and is not recorded yet. */
export interface RevokeInProgress {
  tokenId: string;
  /** Seconds since the epoch. */
  at: number;
}

/** How far a logout got: what happened to the token, so a second logout neither needs the secret nor asks again. */
export interface LogoutProgress {
  token: 'revoked' | 'kept';
  /** Seconds since the epoch. */
  at: number;
}

export interface Settings {
  /** How long a token Artikey asks for lives: long enough to sleep through (see token-lifetime.ts). */
  defaultTokenLifetimeSeconds: number;
  /** How often a running Artikey replaces a token (and revokes the one replaced) while the machine is awake. */
  rotationIntervalSeconds: number;
  expiringThresholdSeconds: number;
  /** Seconds before expiry to warn about tokens that will not refresh themselves. */
  warnBeforeSeconds: number[];
  /**
   * The person agreed once that Artikey deletes a backup by itself when every secret in it is
   * dead (revoked or replaced by Artikey, or expired). Off until they do: a backup is their data.
   */
  deleteDeadBackups: boolean;
}

/**
 * Written before a login asks the server for a token and removed once the token is stored and the
 * one it replaces revoked (or its own revoked again): one left behind names a login killed in
 * between, whose token, or the one it replaced, is still live on the server (see
 * use-cases/login-orphans.ts).
 */
export interface PendingLogin {
  /** The address id the login was for: a later login to that address sweeps too, whether or not an instance exists. */
  instanceId: string;
  platformUrl: string;
  /** Also in the token's description, which is how the sweep recognises the token. */
  nonce: string;
  /** The id of the instance's token the login is about to replace (and revoke); null when none is to be revoked. */
  replaces: string | null;
  /** The id of the long-lived token a browser login handed out, which buys the login's own and is then revoked; null for other logins. */
  handedOut: string | null;
  /** Seconds since the epoch. */
  at: number;
  /** Seconds since the epoch after which a token the login got has expired: nothing is left to sweep. */
  until: number;
  /** The login's process and machine: while that process runs, the login may still store its token. */
  pid: number;
  host: string;
}

/**
 * An address whose server refused to trade Basic credentials (a password, or a user name and API
 * key) for a token: its next login offers the browser first. Forgotten once a password login there works.
 */
export interface BasicRefusal {
  /** The address id, whether or not an instance exists for it. */
  instanceId: string;
  /** Seconds since the epoch. */
  at: number;
}

export interface StateData {
  version: typeof STATE_VERSION;
  instances: InstanceRecord[];
  settings: Settings;
  /** Keys of notices the user has seen, so none is shown twice (see notices.ts). */
  shownNotices: string[];
  pendingLogins: PendingLogin[];
  basicRefusals: BasicRefusal[];
}

export const defaultSettings = (): Settings => ({
  // Long enough to sleep through a long weekend; short exposure comes from rotating (token-lifetime.ts).
  defaultTokenLifetimeSeconds: DEFAULT_LIFETIME_SECONDS,
  rotationIntervalSeconds: DEFAULT_ROTATION_SECONDS,
  expiringThresholdSeconds: 24 * 3600,
  warnBeforeSeconds: [7 * 86_400, 86_400, 3600],
  deleteDeadBackups: false,
});

/** Friday evening to Tuesday morning is 87 hours: four days cover it with a working day to spare. */
export const DEFAULT_LIFETIME_SECONDS = 4 * 86_400;
/** A leaked copy of a token works for about this long while the machine is awake. */
export const DEFAULT_ROTATION_SECONDS = 4 * 3600;
/**
 * The default lifetime before rotation existed. Every state file of then holds it, chosen or not
 * (settings were saved whole, and the window's login form sent the default with every login), so a
 * file from before rotation that holds it is read as "the default".
 */
const DEFAULT_LIFETIME_BEFORE_ROTATION = 12 * 3600;

export const emptyState = (): StateData => ({ version: STATE_VERSION, instances: [], settings: defaultSettings(), shownNotices: [], pendingLogins: [], basicRefusals: [] });

export type StateErrorCode = 'state-corrupt' | 'state-too-new' | 'state-unwritable';

export class StateError extends Error {
  constructor(
    readonly code: StateErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'StateError';
  }
}

export interface StateStoreOptions {
  /** The machine-wide lock every change of the state file holds; defaults to `locks/state.lock` beside it. */
  lockFile?: string;
  /** How long to wait for another process's transaction before giving up. */
  lockTimeoutMs?: number;
}

/**
 * The state file, changed only in transactions: every Artikey process on the machine (the app,
 * the CLI, the Docker helper, the agent) takes the same lock file, re-reads the state inside it,
 * and writes it back before letting go. A change made by another process in the meantime is
 * therefore never lost, and a tool file rewritten inside the transaction always matches the
 * record that describes it. Reading needs no lock: the file is replaced by rename, never
 * written in place, so a reader sees one whole version.
 */
export class StateStore {
  #queue: Promise<unknown> = Promise.resolve();
  readonly #lockFile: string;
  readonly #lockTimeoutMs: number;
  readonly #inside = new AsyncLocalStorage<true>();

  constructor(
    readonly path: string,
    options: StateStoreOptions = {},
  ) {
    this.#lockFile = options.lockFile ?? join(dirname(path), 'locks', 'state.lock');
    this.#lockTimeoutMs = options.lockTimeoutMs ?? 30_000;
  }

  /** The saved state; an empty one when the file does not exist yet. */
  async load(): Promise<StateData> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyState();
      throw new StateError('state-unwritable', `Cannot read ${this.path}: ${(error as Error).message}`);
    }
    return parseState(text, this.path);
  }

  /** Resolves once every transaction queued so far in this process is on disk (or failed). */
  settled(): Promise<void> {
    return this.#queue.then(() => undefined);
  }

  /**
   * Runs `work` on the current state under the machine-wide lock and saves what it changed; when
   * `work` throws nothing more is saved. `checkpoint` saves the state as it is so far, still under
   * the lock: a change to another file records itself first, so a process killed halfway leaves a
   * record of what it was doing rather than a change nobody knows of. Keep `work` short: other
   * processes wait for it. It must not wait on the network, the keychain or a person, and must
   * not start another transaction (that would wait for itself; it throws instead). A corrupt file
   * is never overwritten.
   */
  transaction<T>(work: (state: StateData, checkpoint: () => Promise<void>) => T | Promise<T>): Promise<T> {
    if (this.#inside.getStore()) {
      return Promise.reject(new Error('A state transaction was started inside another one; it would wait for itself.'));
    }
    const step = this.#queue.then(() =>
      withFileLock(this.#lockFile, () => this.#inside.run(true, () => this.#apply(work)), {
        staleMs: 60_000,
        timeoutMs: this.#lockTimeoutMs,
      }),
    );
    // The in-process queue spares this process's own steps from polling the lock file.
    this.#queue = step.catch(() => undefined);
    return step;
  }

  /** A transaction whose change needs nothing but the state; resolves with the state as saved. */
  update(change: (state: StateData) => void): Promise<StateData> {
    return this.transaction((state) => {
      change(state);
      return state;
    });
  }

  async #apply<T>(work: (state: StateData, checkpoint: () => Promise<void>) => T | Promise<T>): Promise<T> {
    const state = await this.load();
    let saved = JSON.stringify(state);
    const checkpoint = async (): Promise<void> => {
      const now = JSON.stringify(state);
      if (now === saved) return;
      try {
        await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
        await writeFileAtomic(this.path, `${JSON.stringify(state, null, 2)}\n`);
      } catch (error) {
        throw new StateError('state-unwritable', `Cannot save ${this.path}: ${(error as Error).message}`);
      }
      saved = now;
    };
    const result = await work(state, checkpoint);
    await checkpoint();
    return result;
  }
}

export function parseState(text: string, path: string): StateData {
  const corrupt = (why: string): StateError =>
    new StateError('state-corrupt', `${path} is damaged (${why}). Artikey left it untouched; move it aside to start over, or restore it from a backup.`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw corrupt('not valid JSON');
  }
  if (!isObject(raw)) throw corrupt('not a JSON object');
  const version = raw['version'];
  if (typeof version !== 'number') throw corrupt('no version');
  if (version > STATE_VERSION) {
    throw new StateError('state-too-new', `${path} was written by a newer Artikey (format ${version}); update Artikey to use it.`);
  }
  if (version !== STATE_VERSION) throw corrupt(`unknown format ${version}`);
  const instances = raw['instances'];
  if (!Array.isArray(instances)) throw corrupt('instances is not a list');
  const settings = isObject(raw['settings']) ? raw['settings'] : {};
  const defaults = defaultSettings();
  const beforeRotation = settings['rotationIntervalSeconds'] === undefined;
  const oldDefault = (value: unknown): boolean => beforeRotation && value === DEFAULT_LIFETIME_BEFORE_ROTATION;
  return {
    version: STATE_VERSION,
    instances: instances.map((entry, index) => {
      // Files from before tool targets existed have none.
      if (isObject(entry) && entry['targets'] === undefined) entry['targets'] = [];
      if (isObject(entry) && typeof entry['clockOffsetSeconds'] !== 'number') entry['clockOffsetSeconds'] = 0;
      // Files from before per-instance proxies have none.
      if (isObject(entry) && entry['proxy'] === undefined) entry['proxy'] = null;
      // A damaged marker only costs a second revoke attempt, never the instance.
      if (isObject(entry) && entry['loggingOut'] !== undefined && !isLogoutProgress(entry['loggingOut'])) delete entry['loggingOut'];
      // A damaged one only lets the next refresh, rather than this marker, find the token dead.
      if (isObject(entry) && entry['revoking'] !== undefined && !isRevokeInProgress(entry['revoking'])) delete entry['revoking'];
      // A damaged list only leaves replaced tokens to expire on their own.
      if (isObject(entry) && entry['superseded'] !== undefined && !(Array.isArray(entry['superseded']) && entry['superseded'].every(isSupersededToken))) delete entry['superseded'];
      // The old default stored with a login follows the default from now on (see DEFAULT_LIFETIME_BEFORE_ROTATION).
      if (isObject(entry) && oldDefault(entry['tokenLifetimeSeconds'])) entry['tokenLifetimeSeconds'] = null;
      // A damaged cap only costs one refresh that asks for more than the server gives.
      if (isObject(entry) && entry['lifetimeCapSeconds'] !== undefined && positive(entry['lifetimeCapSeconds']) === undefined) delete entry['lifetimeCapSeconds'];
      if (isObject(entry) && entry['askedLifetimeSeconds'] !== undefined && positive(entry['askedLifetimeSeconds']) === undefined) delete entry['askedLifetimeSeconds'];
      // A damaged choice only costs the preselection of a repository.
      if (isObject(entry) && entry['chosenRepositories'] !== undefined && !(isObject(entry['chosenRepositories']) && Object.values(entry['chosenRepositories']).every((key) => typeof key === 'string'))) delete entry['chosenRepositories'];
      if (!isInstance(entry)) throw corrupt(`instance #${index + 1} is incomplete`);
      return entry;
    }),
    settings: {
      defaultTokenLifetimeSeconds: oldDefault(settings['defaultTokenLifetimeSeconds']) ? defaults.defaultTokenLifetimeSeconds : (positive(settings['defaultTokenLifetimeSeconds']) ?? defaults.defaultTokenLifetimeSeconds),
      rotationIntervalSeconds: positive(settings['rotationIntervalSeconds']) ?? defaults.rotationIntervalSeconds,
      expiringThresholdSeconds: positive(settings['expiringThresholdSeconds']) ?? defaults.expiringThresholdSeconds,
      warnBeforeSeconds: Array.isArray(settings['warnBeforeSeconds']) && settings['warnBeforeSeconds'].every((s) => positive(s) !== undefined) ? (settings['warnBeforeSeconds'] as number[]) : defaults.warnBeforeSeconds,
      // Files from before backups were kept in check have none: off, as for a new one.
      deleteDeadBackups: settings['deleteDeadBackups'] === true,
    },
    // Only the most recent keys matter: a token's notices are never due again once it is replaced.
    shownNotices: Array.isArray(raw['shownNotices']) ? raw['shownNotices'].filter((k): k is string => typeof k === 'string').slice(-500) : [],
    // Files from before logins left markers have none; a damaged marker only costs a token that dies at its expiry.
    pendingLogins: Array.isArray(raw['pendingLogins']) ? raw['pendingLogins'].filter(isPendingLogin).map((pending) => ({ ...pending, replaces: pending.replaces ?? null, handedOut: pending.handedOut ?? null })) : [],
    // Files from before have none; a damaged entry only costs the browser login its place first.
    basicRefusals: Array.isArray(raw['basicRefusals']) ? raw['basicRefusals'].filter(isBasicRefusal) : [],
  };
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const positive = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined);
const nullableString = (value: unknown): boolean => value === null || typeof value === 'string';
const nullableNumber = (value: unknown): boolean => value === null || (typeof value === 'number' && Number.isFinite(value));

const isLogoutProgress = (value: unknown): value is LogoutProgress =>
  isObject(value) && (value['token'] === 'revoked' || value['token'] === 'kept') && typeof value['at'] === 'number';

const isRevokeInProgress = (value: unknown): value is RevokeInProgress =>
  isObject(value) && typeof value['tokenId'] === 'string' && typeof value['at'] === 'number';

const isSupersededToken = (value: unknown): value is SupersededToken =>
  isObject(value) && typeof value['tokenId'] === 'string' && (value['expiresAt'] === null || typeof value['expiresAt'] === 'number');

const isPendingLogin = (value: unknown): value is PendingLogin =>
  isObject(value) &&
  typeof value['instanceId'] === 'string' &&
  typeof value['platformUrl'] === 'string' &&
  typeof value['nonce'] === 'string' &&
  /^[0-9a-f]{8,}$/.test(value['nonce']) &&
  (value['replaces'] === undefined || nullableString(value['replaces'])) &&
  (value['handedOut'] === undefined || nullableString(value['handedOut'])) &&
  typeof value['at'] === 'number' &&
  typeof value['until'] === 'number' &&
  Number.isInteger(value['pid']) &&
  typeof value['host'] === 'string';

const isBasicRefusal = (value: unknown): value is BasicRefusal => isObject(value) && typeof value['instanceId'] === 'string' && typeof value['at'] === 'number';

function isInstance(value: unknown): value is InstanceRecord {
  if (!isObject(value)) return false;
  const token = value['token'];
  const revocation = value['revocation'];
  return (
    typeof value['id'] === 'string' &&
    typeof value['name'] === 'string' &&
    typeof value['platformUrl'] === 'string' &&
    nullableString(value['username']) &&
    ['browser', 'password', 'access-token', 'reference-token', 'api-key'].includes(value['loginMethod'] as string) &&
    isObject(token) &&
    (token['kind'] === 'access-token' || token['kind'] === 'reference-token') &&
    Array.isArray(token['scopes']) &&
    Array.isArray(token['audience']) &&
    nullableNumber(token['expiresAt']) &&
    typeof token['refreshable'] === 'boolean' &&
    nullableNumber(value['tokenLifetimeSeconds']) &&
    nullableString(value['caFile']) &&
    nullableString(value['proxy']) &&
    typeof value['addedAt'] === 'number' &&
    typeof value['updatedAt'] === 'number' &&
    isObject(revocation) &&
    (value['refreshError'] === null || isObject(value['refreshError'])) &&
    Array.isArray(value['targets']) &&
    value['targets'].every(isTargetRecord)
  );
}
