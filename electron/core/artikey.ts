import { randomUUID } from 'node:crypto';
import type { Stats } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { ActivityLog, type ActivityEntry, type ActivityKind } from './activity.js';
import { withFileLock } from './file-lock.js';
import { AccessClient, AccessError, type Credentials, type TokenGrant } from './access.js';
import { ArtikeyError, errorCode } from './errors.js';
import { createHttpClient, HttpError, type HttpClient } from './http.js';
import { registryHostOf } from './docker-hosts.js';
import { checkTokenUser, checkUsername, isUsername } from './usernames.js';
import { DOCKER_MARGIN_SECONDS, instanceForRegistry } from './docker-lookup.js';
import { refreshMargin, tokenUse } from './token-use.js';
import { parsePlatformAddress, type PlatformAddress } from './instances.js';
import { createLogger, redact, type Logger } from './logger.js';
import { plainHttpWarning } from './plain-http.js';
import { StateStore, type InstanceRecord, type LoginMethod, type Settings, type StateData, type TokenFacts } from './state.js';
import {
  classifySecret,
  decodeAccessToken,
  referenceTokenExpiry,
  tokenStatus,
  TokenFormatError,
  usernameFromSubject,
  verifyTokenSignature,
  type AccessTokenClaims,
  type TokenStatus,
} from './tokens.js';
import { needsUsername, TargetRegistry, type TargetFailure, type TargetOutcome } from './targets/registry.js';
import type { TargetRecord, TargetSpec } from './targets/target-record.js';
import type { TargetPreview } from './targets/preview.js';
import { describeTarget } from './targets/tool-request.js';
import { VaultError, type InstanceSecrets, type Vault } from './vault.js';
import { logoutSummary, type LogoutOutcome } from './logout-report.js';
import { backUpBefore, planMigration, runCleanup, type MigrationBackup, type MigrationStep } from './migrate.js';
import { currentEnvironment, type Environment } from './paths.js';
import { BackupKeeper, type DeletedBackups } from './backups/keeper.js';
import type { BackupView } from './backups/liveness.js';
import { planNotices, type Notice, type NoticePlan } from './notices.js';
import { credentialView, managementOf, scanCredentials, type CredentialView, type FoundCredential, type ManagedPlaces, type ScanProblem } from './scan/scan.js';

export interface ArtikeyOptions {
  stateFile: string;
  /** Where the machine-wide refresh locks live; defaults to `locks/` beside the state file. */
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

/** How Artikey reaches an instance: an extra CA bundle (PEM file) and an HTTP(S) proxy. */
export interface Connection {
  caFile: string | null;
  /** `http://proxy.corp:3128`; null = HTTPS_PROXY / HTTP_PROXY / NO_PROXY decide. */
  proxy: string | null;
}

/** One of the user's tokens as the server lists it (never the token itself). */
export interface ServerTokenView {
  tokenId: string;
  subject: string;
  description: string | null;
  issuedAt: number | null;
  expiresAt: number | null;
  lastUsedAt: number | null;
  refreshable: boolean;
  /** The token Artikey holds for this instance. */
  current: boolean;
}

/** What the UI, the tray and the CLI show for one instance. No secret in it. */
export interface InstanceView {
  id: string;
  name: string;
  platformUrl: string;
  username: string | null;
  loginMethod: LoginMethod;
  status: TokenStatus;
  token: TokenFacts;
  /** Seconds until expiry; negative once expired; null when it never expires. */
  expiresInSeconds: number | null;
  revocation: InstanceRecord['revocation'];
  refreshError: InstanceRecord['refreshError'];
  tokenLifetimeSeconds: number;
  /** Tool files holding (or pointing at) this instance's credentials. */
  targets: TargetRecord[];
  /** The server's clock minus ours, in seconds (0 when they agree within a few seconds). */
  clockOffsetSeconds: number;
  /** Set when the instance is plain http:// on another machine: its tokens cross the network in clear. */
  plainHttpWarning: string | null;
  /** A logout stopped part-way; logging out again completes it. */
  logoutIncomplete: boolean;
}

interface Common {
  url: string;
  name?: string;
  /** Lifetime of the token Artikey asks for; defaults to the setting (12 h). */
  lifetimeSeconds?: number;
  caFile?: string | null;
  /** Logging in to an instance recorded for another user replaces that user, in every tool file too: only when the person confirmed it. */
  replaceUser?: boolean;
}

/** What a login has checked before it asks the server for a token. */
interface PreparedLogin {
  address: PlatformAddress;
  client: AccessClient;
  lifetime: number;
}

export interface BrowserLoginPrompt {
  /** The 4 characters the login page may ask for. */
  code: string;
  /** The page to open; printed instead on machines without a browser. */
  url: string;
}

export interface BrowserLoginRequest extends Common {
  /** Opens the page and shows the code (or prints both); called once the session exists. */
  onPrompt: (prompt: BrowserLoginPrompt) => void | Promise<void>;
  signal?: AbortSignal;
  pollIntervalMs?: number;
  timeoutMs?: number;
}

export interface LoginOutcome {
  instance: InstanceView;
  /** Things the user should know, such as an API key that should be revoked. */
  notes: string[];
}

export interface InstanceDetail extends InstanceView {
  serverVersion: string | null;
  /** What the server's clock says minus ours, in seconds, when it answered. */
  clockSkewSeconds: number | null;
  connection: Connection;
}

/** A credential the scan found, and whether its server still accepts it (null: not checked). */
export type ScannedCredential = CredentialView & { works: 'yes' | 'no' | 'unknown' | null };

/** The instance after a refresh was asked for; `refreshed` is false when there was nothing to do. */
export interface RefreshOutcome {
  view: InstanceView;
  refreshed: boolean;
}

/** What changed about an instance, for the app's windows and tray. Never carries a secret. */
export interface InstanceChange {
  instanceId: string;
  reason: 'login' | 'refresh' | 'logout' | 'rename' | 'targets' | 'revoked' | 'connection';
}

const DESCRIPTION = `Artikey on ${hostname()}`;

/** The use cases. Everything the app, the tray and the CLI do goes through here. */
export class Artikey {
  readonly #state: StateStore;
  readonly #vault: Vault;
  readonly #httpFor: (instance: Connection) => Promise<HttpClient>;
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #log: Logger;
  /** One refresh per instance at a time in this process: refresh tokens are single-use. */
  readonly #refreshing = new Map<string, Promise<RefreshOutcome>>();
  readonly #targets: TargetRegistry;
  readonly #lockDir: string;
  readonly #listeners = new Set<(change: InstanceChange) => void>();
  readonly #activity: ActivityLog;
  readonly #environment: Environment;

  constructor(options: ArtikeyOptions) {
    this.#state = new StateStore(options.stateFile);
    this.#lockDir = options.lockDir ?? join(dirname(options.stateFile), 'locks');
    this.#vault = options.vault;
    this.#httpFor = options.httpFor ?? defaultHttpFor;
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.#log = options.logger ?? createLogger('artikey');
    this.#targets = new TargetRegistry(this.#state, () => this.#seconds(), this.#log);
    this.#activity = new ActivityLog(options.activityFile ?? join(dirname(options.stateFile), 'activity.jsonl'), { logger: this.#log });
    this.#environment = options.environment ?? currentEnvironment();
  }

  /** Recent logins, refreshes, failures, revocations, tool changes and notices, newest first. */
  async activity(limit = 100): Promise<ActivityEntry[]> {
    return this.#activity.list(limit);
  }

  /** Never fails the operation it records (the log warns instead). */
  async #record(kind: ActivityKind, instance: { id: string; name: string } | null, message: string): Promise<void> {
    await this.#activity.append({ at: this.#seconds(), kind, instanceId: instance?.id ?? null, instanceName: instance?.name ?? null, message });
  }

  /** The Access API of an instance, reached the way the instance is set up (CA bundle, proxy). */
  async #client(instance: InstanceRecord): Promise<AccessClient> {
    return new AccessClient(await this.#httpFor(instance), instance.platformUrl);
  }

  /** Calls `listener` after every change to an instance; returns the unsubscribe function. */
  onChanged(listener: (change: InstanceChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #emit(instanceId: string, reason: InstanceChange['reason']): void {
    for (const listener of this.#listeners) {
      try {
        listener({ instanceId, reason });
      } catch (error) {
        this.#log.warn(`a change listener failed: ${(error as Error).message}`);
      }
    }
  }

  /** Waits for refreshes in flight and queued state writes: quitting must not cut one in half. */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.#refreshing.values()]);
    await this.#state.settled();
  }

  async settings(): Promise<Settings> {
    return (await this.#state.load()).settings;
  }

  /** Changes settings after checking every value; a bad value changes nothing. */
  async updateSettings(change: Partial<Settings>): Promise<Settings> {
    const checked = checkSettings(change);
    const state = await this.#state.update((s) => {
      s.settings = { ...s.settings, ...checked };
    });
    return state.settings;
  }

  get keychain(): string {
    return this.#vault.description;
  }

  /** Proves the keychain works end to end: store, read back and delete a throwaway entry. */
  async checkKeychain(): Promise<void> {
    const probe = `artikey-doctor-${randomUUID()}`;
    await this.#vault.write(probe, { accessToken: 'probe' });
    const back = await this.#vault.read(probe);
    await this.#vault.erase(probe);
    if (back?.accessToken !== 'probe') throw new ArtikeyError('login-required', `The keychain (${this.#vault.description}) did not return what was stored.`);
  }

  /** Every instance; one keychain read each, so a secret removed outside Artikey shows as such. */
  async list(): Promise<InstanceView[]> {
    const state = await this.#state.load();
    const views: InstanceView[] = [];
    for (const record of state.instances) views.push(this.#view(record, state, false, await this.#secretProblem(record)));
    return views;
  }

  /** Why the instance's secret cannot be used, judged without reading the secret itself; null when it is there. */
  async #secretProblem(record: InstanceRecord): Promise<InstanceRecord['refreshError']> {
    const problem = (message: string): InstanceRecord['refreshError'] => ({ code: 'login-required', message, at: this.#seconds() });
    try {
      if (await this.#vault.has(record.id)) return null;
      return problem(`The keychain holds no token for ${record.name} (it was removed outside Artikey). Log in again: artikey login ${record.platformUrl}`);
    } catch (error) {
      if (error instanceof VaultError && error.code === 'keychain-corrupt') return problem(error.message);
      // A keychain that cannot answer now is reported by whatever needs the secret next.
      this.#log.warn(`could not check the keychain entry of ${record.id}: ${(error as Error).message}`);
      return null;
    }
  }

  async instance(reference: string): Promise<InstanceView> {
    const state = await this.#state.load();
    return this.#view(findInstance(state, reference), state);
  }

  async loginWithPassword(request: Common & { username: string; password: string }): Promise<LoginOutcome> {
    checkUsername(request.username);
    const prepared = await this.#prepare(request, request.username);
    const credentials: Credentials = { kind: 'basic', username: request.username, password: request.password };
    const grant = await this.#createRefreshable(prepared.client, credentials, prepared.lifetime);
    return this.#complete(prepared, request, 'password', grant, null, [], true);
  }

  /** A pasted access token or reference token; exchanged for a refreshable one where allowed. */
  async loginWithToken(request: Common & { token: string; username?: string }): Promise<LoginOutcome> {
    const token = request.token.trim();
    const shape = classifySecret(token);
    if (shape === 'api-key') return this.loginWithApiKey({ ...request, apiKey: token });
    if (shape === 'unknown') {
      throw new ArtikeyError('invalid-token', 'That is not a JFrog access token (eyJ…), reference token (cmVmd…, 64 characters) or API key (AKCp…). Copy the whole token and try again.');
    }
    if (shape === 'reference-token' && !request.username) {
      throw new ArtikeyError('username-required', 'A reference token does not say whose it is. Give the user name it belongs to (--user).');
    }
    if (request.username) checkTokenUser(token, checkUsername(request.username));
    // A token whose lifetime cannot be read is refused before it reaches the server or the keychain.
    const subject = shape === 'access-token' ? usernameFromSubject(readClaims(token).subject) : null;
    const prepared = await this.#prepare(request, request.username ?? subject);
    const credentials: Credentials = { kind: 'bearer', token };
    const notes: string[] = [];
    let grant: TokenGrant;
    let created = true;
    try {
      grant = await this.#createRefreshable(prepared.client, credentials, prepared.lifetime, request.username);
    } catch (error) {
      if (!(error instanceof AccessError) || (error.code !== 'forbidden' && error.code !== 'bad-request')) throw error;
      // A scoped token may not mint others: keep the pasted one, which cannot be refreshed.
      await prepared.client.currentToken(credentials);
      grant = shape === 'access-token'
        ? { tokenId: null, accessToken: token, refreshToken: null, expiresIn: null, scope: null, referenceToken: null }
        : { tokenId: null, accessToken: token, refreshToken: null, expiresIn: null, scope: null, referenceToken: token };
      created = false;
      notes.push('The server did not let this token create a refreshable one; Artikey keeps it as it is and will warn before it expires.');
    }
    return this.#complete(prepared, request, shape === 'reference-token' ? 'reference-token' : 'access-token', grant, request.username ?? null, notes, created);
  }

  /** Uses an (end-of-life) API key once to get a refreshable token; optionally revokes the key. */
  async loginWithApiKey(request: Common & { apiKey: string; username?: string; revokeApiKey?: boolean }): Promise<LoginOutcome> {
    if (request.username) checkUsername(request.username);
    const prepared = await this.#prepare(request, request.username);
    const key = request.apiKey.trim();
    const credentials: Credentials = request.username ? { kind: 'basic', username: request.username, password: key } : { kind: 'api-key', key };
    const grant = await this.#createRefreshable(prepared.client, credentials, prepared.lifetime);
    if (!request.revokeApiKey) {
      const advice = 'API keys are end-of-life at JFrog and stop working soon. Revoke this key once nothing else uses it (artikey login --revoke-api-key, or your Artifactory profile page).';
      return this.#complete(prepared, request, 'api-key', grant, null, [advice], true);
    }
    // Only once the new token is stored: a login that fails must leave the person the key they came with.
    const outcome = await this.#complete(prepared, request, 'api-key', grant, null, [], true);
    try {
      await prepared.client.revokeApiKey({ kind: 'bearer', token: grant.accessToken });
      await this.#secretsRetired([key]);
      outcome.notes.unshift('The API key was revoked on the server. Anything else still using it will stop working.');
    } catch (error) {
      outcome.notes.unshift(`Logged in, but the API key could not be revoked (${(error as Error).message}); revoke it on your Artifactory profile page.`);
    }
    return outcome;
  }

  /**
   * The browser login (works with SSO): register a session, let the person approve it in the
   * browser, collect the tokens. The server's token then buys a short-lived refreshable one.
   */
  async loginWithBrowser(request: BrowserLoginRequest): Promise<LoginOutcome> {
    // Who approves is known only once the token arrives: #complete refuses another user then.
    const prepared = await this.#prepare(request, null);
    const { client, lifetime } = prepared;
    const session = randomUUID();
    await client.startWebLogin(session);
    // The server's session lives 5 minutes from its creation, however long the prompt takes.
    const deadline = this.#now() + (request.timeoutMs ?? 5 * 60_000);
    await request.onPrompt({ code: session.slice(-4), url: client.webLoginUrl(session) });
    let grant: TokenGrant | null = null;
    while (!grant) {
      if (request.signal?.aborted) throw new ArtikeyError('login-cancelled', 'The browser login was cancelled.');
      if (this.#now() > deadline) {
        throw new ArtikeyError('login-timeout', 'Nobody approved the login in the browser within 5 minutes. Start the login again.');
      }
      try {
        grant = await client.pollWebLogin(session);
      } catch (error) {
        // A blip while the person is typing their password should not end the login.
        if (!(error instanceof HttpError) && !(error instanceof AccessError && error.code === 'server-error')) throw error;
      }
      if (!grant) await this.#sleep(request.pollIntervalMs ?? 3000);
    }
    const short = await this.#shorten(client, grant, lifetime);
    return this.#complete(prepared, request, 'browser', short.grant, null, short.notes, true);
  }

  /**
   * Spends the refresh token once and stores the new pair, unless another process replaced the
   * token since this call began (then that token is the answer); with `onlyIfExpiringWithinSeconds`,
   * also only when the token is that close to expiry. Many callers at once cause one refresh.
   */
  async refresh(reference: string, onlyIfExpiringWithinSeconds?: number): Promise<InstanceView> {
    return (await this.refreshIfDue(reference, onlyIfExpiringWithinSeconds)).view;
  }

  /**
   * `refresh()`, saying whether this call made the refresh: the background reports only those
   * (a token not yet due, or already replaced by another process, is not news).
   */
  async refreshIfDue(reference: string, onlyIfExpiringWithinSeconds?: number): Promise<RefreshOutcome> {
    const seen = findInstance(await this.#state.load(), reference);
    const id = seen.id;
    const tokenAsSeen = JSON.stringify(seen.token);
    const due = (record: InstanceRecord, view: InstanceView): boolean =>
      JSON.stringify(record.token) === tokenAsSeen && (onlyIfExpiringWithinSeconds === undefined || (view.expiresInSeconds !== null && view.expiresInSeconds < onlyIfExpiringWithinSeconds));
    return this.#singleFlight(id, async () => {
      try {
        return await withFileLock(join(this.#lockDir, `${id}.lock`), () => this.#refreshLocked(id, due), { staleMs: 120_000, timeoutMs: 90_000 });
      } catch (error) {
        // The code and the message only: both are written for people and carry no secret (and pass the redactor).
        await this.#record('refresh-failed', seen, `Refresh failed (${errorCode(error)}): ${redact((error as Error).message)}`);
        throw error;
      }
    });
  }

  /**
   * Everything between reading the refresh token and storing its successor happens under the
   * machine-wide lock, reading the keychain afresh: another process (the app, a CLI, the Docker
   * helper) may have refreshed while this one waited, and a spent refresh token logs the user out.
   */
  async #refreshLocked(id: string, due: (record: InstanceRecord, view: InstanceView) => boolean): Promise<RefreshOutcome> {
    const state = await this.#state.load();
    const record = findInstance(state, id);
    const current = this.#view(record, state);
    if (!due(record, current)) return { view: current, refreshed: false };
    const secrets = await this.#secrets(record);
    if (!secrets.refreshToken) {
      throw new ArtikeyError('not-refreshable', `The token of ${record.name} cannot be refreshed (it was pasted or the server does not allow refreshable tokens). Log in again before it expires.`);
    }
    const client = await this.#client(record);
    let grant: TokenGrant;
    try {
      grant = await client.refreshToken(secrets.accessToken, secrets.refreshToken);
    } catch (error) {
      if (error instanceof AccessError && (error.code === 'refresh-token-invalid' || error.code === 'unauthorized' || error.code === 'forbidden')) {
        await this.#state.update((s) => {
          const target = s.instances.find((i) => i.id === record.id);
          if (target) target.refreshError = { code: 'login-required', message: error.message, at: this.#seconds() };
        });
        throw new ArtikeyError('login-required', `${record.name}: ${error.message}`);
      }
      throw error;
    }
    // The old refresh token is spent now. The reply is read before anything is stored, so the
    // keychain never holds a token the state does not describe.
    let read: TokenFacts;
    try {
      read = grantFacts(grant, record.username);
    } catch (error) {
      if (!(error instanceof ArtikeyError)) throw error;
      return this.#refuseReply(record, secrets, grant, error.message);
    }
    await this.#vault.write(record.id, { accessToken: grant.accessToken, ...(grant.refreshToken ? { refreshToken: grant.refreshToken } : {}) });
    this.#log.info(`refreshed ${record.id}`);
    const facts = await this.#verified(read, grant, record.token.signature === 'verified' ? await this.#rootCertificate(client, grant.accessToken) : null);
    const saved = await this.#state.update((s) => {
      const target = s.instances.find((i) => i.id === record.id);
      if (!target) return;
      target.token = facts;
      target.updatedAt = this.#seconds();
      target.refreshError = null;
      target.revocation = { status: 'unknown', checkedAt: null };
      target.clockOffsetSeconds = clockOffset(facts, this.#seconds());
    });
    const refreshed = findInstance(saved, record.id);
    await this.#rewriteTargets(refreshed, grant.accessToken);
    await this.#secretsRetired([secrets.accessToken]); // the server revokes the access token a refresh replaces
    // Without a new refresh token the instance cannot refresh again: the old one was single-use.
    const last = grant.refreshToken ? '' : `, but the server sent no new refresh token: it cannot be refreshed again${facts.expiresAt === null ? '' : `; log in again before ${utcMinute(facts.expiresAt)}`}`;
    if (last) this.#log.warn(`${record.id}: the refresh reply held no refresh token`);
    await this.#record('refresh', refreshed, `Refreshed the token${expiryPhrase(facts.expiresAt)}${last}`);
    this.#emit(record.id, 'refresh');
    return { view: this.#view(refreshed, saved), refreshed: true };
  }

  /**
   * A refresh reply whose access token cannot be read is refused: the previous access token (still
   * valid unless the server revoked it) and its details stay. The reply's refresh token is kept,
   * since the server has spent the old one and only the new one may still work.
   */
  async #refuseReply(record: InstanceRecord, secrets: InstanceSecrets, grant: TokenGrant, why: string): Promise<never> {
    await this.#vault.write(record.id, {
      accessToken: secrets.accessToken,
      ...(grant.refreshToken ? { refreshToken: grant.refreshToken } : {}),
      ...(secrets.referenceToken ? { referenceToken: secrets.referenceToken } : {}),
    });
    const message = `${record.name}: refused the server's refresh reply. ${why} Artikey keeps the previous token${expiryPhrase(record.token.expiresAt)}.`;
    await this.#state.update((s) => {
      const target = s.instances.find((i) => i.id === record.id);
      // With no refresh token left, only a new login helps.
      if (target) target.refreshError = { code: grant.refreshToken ? 'unexpected-response' : 'login-required', message, at: this.#seconds() };
    });
    throw new AccessError('unexpected-response', message);
  }

  /**
   * The current access token for scripts, tools and the window, refreshed first when it expired or
   * is about to. A token Artikey knows is dead is refused (`login-required`), never handed out.
   */
  async accessToken(reference: string, minimumSeconds = 60): Promise<string> {
    let record = findInstance(await this.#state.load(), reference);
    let use = tokenUse(record, this.#seconds() + record.clockOffsetSeconds, { refreshWithinSeconds: minimumSeconds });
    if (use === 'refresh') {
      await this.refresh(record.id, refreshMargin(record.token, minimumSeconds));
      record = findInstance(await this.#state.load(), record.id);
      use = tokenUse(record, this.#seconds() + record.clockOffsetSeconds);
    }
    if (use instanceof ArtikeyError) throw use;
    return (await this.#secrets(record)).accessToken;
  }

  /**
   * What `docker-credential-artikey get` answers for a registry host: the instance's real user
   * name and a currently valid token (refreshed first when it is about to expire). Null for
   * hosts that belong to no instance.
   */
  async dockerCredentials(server: string): Promise<{ instance: string; username: string; secret: string } | null> {
    const state = await this.#state.load();
    const record = instanceForRegistry(state.instances, server);
    if (!record) return null;
    if (!record.username) {
      throw new ArtikeyError('username-required', `Artikey does not know the user name for ${record.name}; log in again with --user.`);
    }
    return { instance: record.id, username: record.username, secret: await this.accessToken(record.id, DOCKER_MARGIN_SECONDS) };
  }

  /**
   * Writes the instance's credentials into a tool's configuration (or, for Docker's helper mode,
   * points Docker at Artikey) and remembers where, so refreshes and logout keep it in step.
   */
  async configureTool(reference: string, spec: TargetSpec, options: { replaceReferences?: boolean } = {}): Promise<TargetOutcome> {
    const record = findInstance(await this.#state.load(), reference);
    requireUsername(record, spec);
    const token = await this.accessToken(record.id, 300);
    const outcome = await this.#targets.configure(findInstance(await this.#state.load(), record.id), spec, { username: record.username ?? '', token }, options);
    if (outcome.changed) await this.#record('tools', record, `Configured ${describeTarget(outcome.target)}`);
    this.#emit(record.id, 'targets');
    return outcome;
  }

  /** Takes out what Artikey wrote for the targets `select` picks (all of them by default). */
  async unconfigureTool(reference: string, select: (target: TargetRecord) => boolean = () => true): Promise<{ removed: TargetOutcome[]; failed: TargetFailure[] }> {
    const record = findInstance(await this.#state.load(), reference);
    const result = await this.#targets.remove(record, select);
    for (const { target } of result.removed) await this.#record('tools', record, `Removed ${describeTarget(target)}`);
    for (const { target, code } of result.failed) await this.#record('tools', record, `Could not remove ${describeTarget(target)} (${code})`);
    this.#emit(record.id, 'targets');
    return result;
  }

  /** Where the instance's credentials were written. */
  async toolTargets(reference: string): Promise<TargetRecord[]> {
    return findInstance(await this.#state.load(), reference).targets;
  }

  /**
   * Plain-text Artifactory credentials in the usual places (Docker, npm, Maven, pip, netrc,
   * Gradle, JFrog CLI), each tied to an instance where one matches. Never returns a secret.
   */
  async scan(environment: Environment, options: { check?: boolean } = {}): Promise<{ found: ScannedCredential[]; problems: ScanProblem[]; searched: string[] }> {
    const state = await this.#state.load();
    const report = await scanCredentials({ environment, instances: state.instances.map((i) => ({ id: i.id, platformUrl: i.platformUrl, registryHost: registryHostOf(i.platformUrl) })) });
    const owners = await this.#managedPlaces(state, report.problems);
    const found: ScannedCredential[] = [];
    for (const credential of report.found) {
      const instance = state.instances.find((i) => i.id === credential.instanceId);
      // Only ever to the instance the credential belongs to: a secret never goes to a host Artikey did not log in to.
      const works = options.check && instance ? await this.#stillWorks(instance, credential) : null;
      found.push({ ...credentialView(credential, managementOf(credential, owners)), works });
    }
    return { found, problems: report.problems, searched: report.searched };
  }

  /**
   * Every instance's recorded targets with its current token, so the scan can tell
   * Artikey's own entries from plain-text ones. An instance whose token cannot be read leaves its
   * entries unjudged (shown as not managed), with a problem saying why.
   */
  async #managedPlaces(state: StateData, problems: ScanProblem[]): Promise<ManagedPlaces[]> {
    const owners: ManagedPlaces[] = [];
    for (const instance of state.instances) {
      const targets = instance.targets;
      if (targets.length === 0) continue;
      try {
        owners.push({ instanceId: instance.id, targets, accessToken: (await this.#vault.read(instance.id))?.accessToken ?? null });
      } catch (error) {
        for (const file of new Set(targets.map((t) => t.path)))
          problems.push({ file, message: `Could not read ${instance.name}'s token from the keychain (${errorCode(error)}); whether Artikey's entries here hold it was not checked.` });
      }
    }
    return owners;
  }

  async #stillWorks(instance: InstanceRecord, credential: FoundCredential): Promise<'yes' | 'no' | 'unknown'> {
    const username = credential.username ?? instance.username;
    let credentials: Credentials;
    if (credential.kind === 'access-token' || credential.kind === 'reference-token') credentials = { kind: 'bearer', token: credential.secret };
    else if (credential.kind === 'api-key') credentials = username ? { kind: 'basic', username, password: credential.secret } : { kind: 'api-key', key: credential.secret };
    else if (credential.kind === 'password' && username) credentials = { kind: 'basic', username, password: credential.secret };
    else return 'unknown';
    try {
      await (await this.#client(instance)).apiKey(credentials);
      return 'yes';
    } catch (error) {
      return error instanceof AccessError && (error.code === 'unauthorized' || error.code === 'forbidden') ? 'no' : 'unknown';
    }
  }

  /**
   * Replaces the instance's plain-text credentials found by the scan with Artikey-managed entries.
   * Without `apply` it only returns the plan. Each file is backed up, as it is, before its first change.
   */
  async migrate(reference: string, environment: Environment, apply: boolean): Promise<{ steps: MigrationStep[]; applied: MigrationStep[]; failed: { step: MigrationStep; code: string; message: string }[]; backups: MigrationBackup[] }> {
    const state = await this.#state.load();
    const record = findInstance(state, reference);
    const report = await scanCredentials({ environment, instances: state.instances.map((i) => ({ id: i.id, platformUrl: i.platformUrl, registryHost: registryHostOf(i.platformUrl) })) });
    const steps = planMigration(report.found, record, await this.#managedPlaces(state, []));
    const applied: MigrationStep[] = [];
    const failed: { step: MigrationStep; code: string; message: string }[] = [];
    const backups: MigrationBackup[] = [];
    if (!apply) return { steps, applied, failed, backups };
    for (const step of steps) {
      if (step.action !== 'replace') continue;
      try {
        await backUpBefore(step, backups);
        await this.configureTool(record.id, step.target, { replaceReferences: false });
        if (step.cleanup) await runCleanup(step.cleanup);
        applied.push(step);
        this.#log.info(`migrated ${step.credential.kind} in ${step.credential.file} (${step.credential.location}) to Artikey`);
      } catch (error) {
        failed.push({ step, code: errorCode(error), message: (error as Error).message });
      }
    }
    return { steps, applied, failed, backups };
  }

  /** The warnings due now, and when to look again (see notices.ts); `seen` ones are left out. */
  async notices(): Promise<NoticePlan> {
    const state = await this.#state.load();
    const subjects = state.instances.map((i) => ({
      id: i.id,
      name: i.name,
      tokenId: i.token.tokenId,
      expiresAt: i.token.expiresAt,
      refreshable: i.token.refreshable,
      refreshError: i.refreshError,
      revocation: i.revocation.status,
    }));
    return planNotices(subjects, state.settings, this.#seconds(), new Set(state.shownNotices));
  }

  /** Remembers that these notices were shown (with the ones they cover), so none repeats. */
  async markNoticesShown(notices: Notice[]): Promise<void> {
    if (notices.length === 0) return;
    const saved = await this.#state.update((s) => {
      s.shownNotices = [...new Set([...s.shownNotices, ...notices.flatMap((n) => [n.key, ...n.covers])])];
    });
    for (const notice of notices) {
      const instance = saved.instances.find((i) => i.id === notice.instanceId);
      await this.#record('notice', { id: notice.instanceId, name: instance?.name ?? notice.instanceId }, `Notice shown: ${notice.title}`);
    }
  }

  /** The instance that answers for a Docker registry host, if any. */
  async dockerInstance(server: string): Promise<InstanceView | null> {
    const state = await this.#state.load();
    const record = instanceForRegistry(state.instances, server);
    return record ? this.#view(record, state) : null;
  }

  /** Registry hosts Docker should ask Artikey about: one per instance. */
  async dockerHosts(): Promise<{ host: string; username: string | null }[]> {
    return (await this.#state.load()).instances.flatMap((i) => {
      const hosts = new Set([registryHostOf(i.platformUrl), ...i.targets.flatMap((t) => (t.kind === 'docker-helper' ? t.hosts : []))]);
      return [...hosts].map((host) => ({ host, username: i.username }));
    });
  }

  /** Asks the server about the token: still active, revoked, not kept; and the server's clock. */
  async inspect(reference: string): Promise<InstanceDetail> {
    const state = await this.#state.load();
    const record = findInstance(state, reference);
    const secrets = await this.#secrets(record);
    const http = await this.#httpFor(record);
    const client = new AccessClient(http, record.platformUrl);
    let revocation: InstanceRecord['revocation']['status'] = 'unknown';
    let serverVersion: string | null = null;
    let clockSkewSeconds: number | null = null;
    try {
      const identity = await client.identify();
      serverVersion = identity.version;
      const probe = await http({ method: 'GET', url: new URL('artifactory/api/system/ping', record.platformUrl).href });
      const date = Date.parse(String(probe.headers.date ?? ''));
      if (Number.isFinite(date)) clockSkewSeconds = Math.round((date - this.#now()) / 1000);
      const info = await client.currentToken({ kind: 'bearer', token: secrets.accessToken });
      revocation = info ? 'active' : 'not-persisted';
    } catch (error) {
      if (error instanceof AccessError && error.code === 'unauthorized') {
        // Expired tokens are shown as expired by their claims; anything else refused is revoked.
        revocation = /expired/i.test(error.message) ? 'unknown' : 'revoked';
      } else if (!(error instanceof HttpError) && !(error instanceof AccessError)) {
        throw error;
      }
    }
    const saved = await this.#state.update((s) => {
      const target = s.instances.find((i) => i.id === record.id);
      if (target) target.revocation = { status: revocation, checkedAt: revocation === 'unknown' ? target.revocation.checkedAt : this.#seconds() };
    });
    const updated = findInstance(saved, record.id);
    return { ...this.#view(updated, saved, serverVersion === null), serverVersion, clockSkewSeconds, connection: { caFile: updated.caFile, proxy: updated.proxy } };
  }

  /**
   * The periodic part of revocation checking: asks the server only about instances not checked
   * within `maxAgeSeconds`, so a timer may call this often without extra traffic.
   */
  async recheckRevocations(maxAgeSeconds = 6 * 3600): Promise<InstanceDetail[]> {
    const now = this.#seconds();
    const stale = (await this.#state.load()).instances.filter((i) => i.revocation.checkedAt === null || now - i.revocation.checkedAt >= maxAgeSeconds);
    const checked: InstanceDetail[] = [];
    for (const instance of stale) checked.push(await this.inspect(instance.id));
    return checked;
  }

  /** Revokes one of the user's tokens on the server (default: the one Artikey holds). */
  async revoke(reference: string, tokenId?: string): Promise<{ revoked: boolean; tokenId: string }> {
    const record = findInstance(await this.#state.load(), reference);
    const secrets = await this.#secrets(record);
    const id = tokenId ?? record.token.tokenId;
    if (!id) throw new ArtikeyError('invalid-token', `The token of ${record.name} has no id the server can revoke it by.`);
    const client = await this.#client(record);
    const revoked = await client.revokeToken({ kind: 'bearer', token: secrets.accessToken }, id);
    const current = id === record.token.tokenId;
    if (current) {
      await this.#state.update((s) => {
        const target = s.instances.find((i) => i.id === record.id);
        if (target) target.revocation = { status: 'revoked', checkedAt: this.#seconds() };
      });
      await this.#secretsRetired([secrets.accessToken]);
    }
    const which = current ? 'the token Artikey holds' : `token ${id}`;
    await this.#record('revoked', record, revoked ? `Revoked ${which}` : `Asked to revoke ${which}; the server no longer knew it`);
    if (current) this.#emit(record.id, 'revoked');
    return { revoked, tokenId: id };
  }

  /** The user's tokens as the server lists them, newest issued first, the one Artikey holds marked. */
  async serverTokens(reference: string): Promise<ServerTokenView[]> {
    const record = findInstance(await this.#state.load(), reference);
    const secrets = await this.#secrets(record);
    const client = await this.#client(record);
    const tokens = await client.listTokens({ kind: 'bearer', token: secrets.accessToken });
    return tokens
      .map((t) => ({ tokenId: t.tokenId, subject: t.subject, description: t.description, issuedAt: t.issuedAt, expiresAt: t.expiry, lastUsedAt: t.lastUsed, refreshable: t.refreshable, current: t.tokenId === record.token.tokenId }))
      .sort((a, b) => (b.issuedAt ?? -Infinity) - (a.issuedAt ?? -Infinity) || a.tokenId.localeCompare(b.tokenId));
  }

  /**
   * Sets how Artikey reaches the instance: a PEM bundle trusted besides the system's CAs, and an
   * HTTP(S) proxy (null clears either, a missing one stays). Both are checked first; a bad value
   * changes nothing.
   */
  async setConnection(reference: string, connection: Partial<Connection>): Promise<InstanceView> {
    const record = findInstance(await this.#state.load(), reference);
    const caFile = connection.caFile === undefined ? record.caFile : connection.caFile === null ? null : await checkCaFile(connection.caFile);
    const proxy = connection.proxy === undefined ? record.proxy : connection.proxy === null ? null : checkProxy(connection.proxy);
    const saved = await this.#state.update((s) => {
      const target = s.instances.find((i) => i.id === record.id);
      if (!target) return;
      target.caFile = caFile;
      target.proxy = proxy;
      target.updatedAt = this.#seconds();
    });
    this.#log.info(`set the connection of ${record.id}: ${caFile ? 'own CA bundle' : 'system CAs'}, ${proxy ? `proxy ${proxy}` : 'proxy from the environment'}`);
    this.#emit(record.id, 'connection');
    return this.#view(findInstance(saved, record.id), saved);
  }

  /**
   * What `configureTool` with the same spec would change in the tool's file, line by line, with
   * the token shown as `<token>` and any other secret on a changed line as `<secret>`. Writes
   * nothing, records nothing and never refreshes.
   */
  async previewTool(reference: string, spec: TargetSpec, options: { replaceReferences?: boolean } = {}): Promise<TargetPreview> {
    const record = findInstance(await this.#state.load(), reference);
    requireUsername(record, spec);
    const secrets = await this.#secrets(record);
    const preview = await this.#targets.preview(record, spec, { username: record.username ?? '', token: secrets.accessToken }, options);
    // The real token only decides which lines change; it must never be in what is shown.
    const shown = JSON.stringify(preview);
    if ([secrets.accessToken, secrets.refreshToken, secrets.referenceToken].some((secret) => secret && shown.includes(secret))) {
      throw new Error(`The preview of ${spec.kind} for ${record.id} would have shown the token; nothing is shown.`);
    }
    return preview;
  }

  /**
   * Revoke, then remove tool entries, then forget the secrets, then the instance. Nothing is
   * touched until the token is dealt with (a keychain that cannot be read, or a server that cannot
   * revoke, changes nothing); a later step that fails is reported and leaves a marker in the state
   * file, so running logout again finishes the remaining steps.
   */
  async logout(reference: string, options: { keepServerToken?: boolean } = {}): Promise<LogoutOutcome> {
    const record = findInstance(await this.#state.load(), reference);
    const token = await this.#settleServerToken(record, options.keepServerToken === true);
    const marked = await this.#state.update((s) => {
      const target = s.instances.find((i) => i.id === record.id);
      if (target) target.loggingOut = { token: token.outcome === 'revoked' || token.outcome === 'already-invalid' || token.outcome === 'revoked-before' ? 'revoked' : 'kept', at: this.#seconds() };
    });
    const { removed, failed } = await this.#targets.remove(findInstance(marked, record.id), () => true);
    let secretsFailure: LogoutOutcome['secretsFailure'] = null;
    try {
      await this.#vault.erase(record.id);
    } catch (error) {
      secretsFailure = { code: errorCode(error), message: (error as Error).message };
    }
    const complete = failed.length === 0 && secretsFailure === null;
    if (complete) {
      await this.#state.update((s) => {
        s.instances = s.instances.filter((i) => i.id !== record.id);
      });
    }
    const outcome: LogoutOutcome = {
      instance: { id: record.id, name: record.name },
      token,
      revoked: token.outcome === 'revoked' || token.outcome === 'revoked-before',
      targetsRemoved: removed.map((r) => r.target),
      targetsFailed: failed,
      secretsForgotten: secretsFailure === null,
      secretsFailure,
      instanceForgotten: complete,
      complete,
    };
    await this.#record('logout', record, logoutSummary(outcome));
    this.#emit(record.id, 'logout');
    return outcome;
  }

  /**
   * The first logout step: the token dies on the server, or the person chose to keep it. Until it
   * is done nothing else is touched, so every failure here leaves everything as it was.
   */
  async #settleServerToken(record: InstanceRecord, keep: boolean): Promise<LogoutOutcome['token']> {
    const expiresAt = record.token.expiresAt;
    if (record.loggingOut) return { outcome: record.loggingOut.token === 'revoked' ? 'revoked-before' : 'kept-before', expiresAt };
    if (keep) return { outcome: 'kept', expiresAt };
    const unchanged = 'Logout stopped, and nothing was changed: the tool files, the keychain, the instance and the server token are as they were.';
    let secrets: InstanceSecrets | null;
    try {
      secrets = await this.#vault.read(record.id);
    } catch (error) {
      if (error instanceof VaultError) throw new VaultError(error.code, `${error.message} ${unchanged}`);
      throw error;
    }
    if (!secrets) return { outcome: 'no-secret', expiresAt };
    if (!record.token.tokenId || record.token.revocable === false) return { outcome: 'not-revocable', expiresAt };
    if (expiresAt !== null && expiresAt <= this.#seconds() + record.clockOffsetSeconds) return { outcome: 'already-invalid', expiresAt };
    try {
      const client = await this.#client(record);
      const known = await client.revokeToken({ kind: 'bearer', token: secrets.accessToken }, record.token.tokenId);
      await this.#secretsRetired([secrets.accessToken]);
      return { outcome: known ? 'revoked' : 'already-invalid', expiresAt };
    } catch (error) {
      // The server refusing the token itself means it is dead already: nothing left to revoke.
      if (error instanceof AccessError && (error.code === 'unauthorized' || error.code === 'not-found')) return { outcome: 'already-invalid', expiresAt };
      const until = expiresAt === null ? 'for good (it has no expiry)' : `until ${utcMinute(expiresAt)}`;
      throw new ArtikeyError(
        'token-not-revoked',
        `Could not revoke the token of ${record.name} on the server (${redact((error as Error).message)}); nothing was changed. Try again once ${new URL(record.platformUrl).host} answers, or log out on this machine only with: artikey logout ${record.name} --keep-server-token (the token then stays valid ${until}).`,
      );
    }
  }

  async rename(reference: string, name: string): Promise<InstanceView> {
    const clean = name.trim();
    if (clean === '' || clean.length > 80) throw new ArtikeyError('invalid-address', 'A name needs 1 to 80 characters.');
    const record = findInstance(await this.#state.load(), reference);
    const saved = await this.#state.update((s) => {
      const target = s.instances.find((i) => i.id === record.id);
      if (target) target.name = clean;
    });
    await this.#record('rename', { id: record.id, name: clean }, `Renamed "${record.name}" to "${clean}"`);
    this.#emit(record.id, 'rename');
    return this.#view(findInstance(saved, record.id), saved);
  }

  /**
   * Everything a login can check before the server creates a token, so that a refusal leaves
   * nothing behind: the address, the user (when known up front), the server, and the keychain.
   */
  async #prepare(request: Common, user: string | null | undefined): Promise<PreparedLogin> {
    const parsed = parsePlatformAddress(request.url);
    if (!parsed.ok) throw new ArtikeyError('invalid-address', parsed.problem.message);
    const state = await this.#state.load();
    const existing = state.instances.find((i) => i.id === parsed.address.id);
    refuseOtherUser(existing, user ?? null, request.replaceUser === true);
    if (request.caFile) await checkCaFile(request.caFile);
    // Logging in again goes the way the instance is reached already (its CA bundle and proxy).
    const client = new AccessClient(await this.#httpFor({ caFile: request.caFile ?? existing?.caFile ?? null, proxy: existing?.proxy ?? null }), parsed.address.platformUrl);
    await client.identify();
    // A locked keychain (or one without a default collection) found only after the server created a token would orphan it.
    await this.checkKeychain();
    const lifetime = request.lifetimeSeconds ?? existing?.tokenLifetimeSeconds ?? state.settings.defaultTokenLifetimeSeconds;
    return { address: parsed.address, client, lifetime };
  }

  /** A refreshable token where the server allows it; a plain one (same lifetime) where not. */
  async #createRefreshable(client: AccessClient, credentials: Credentials, lifetime: number, username?: string): Promise<TokenGrant> {
    const request = { scope: 'applied-permissions/user', expiresIn: lifetime, description: DESCRIPTION, ...(username ? { username } : {}) };
    try {
      return await client.createToken(credentials, { ...request, refreshable: true });
    } catch (error) {
      if (error instanceof AccessError && error.code === 'forbidden' && /refresh/i.test(error.message)) {
        return client.createToken(credentials, { ...request, refreshable: false });
      }
      throw error;
    }
  }

  /** Trades the long-lived browser-login token for one with the chosen lifetime, then revokes it. */
  async #shorten(client: AccessClient, grant: TokenGrant, lifetime: number): Promise<{ grant: TokenGrant; notes: string[] }> {
    const bearer: Credentials = { kind: 'bearer', token: grant.accessToken };
    let short: TokenGrant;
    try {
      short = await this.#createRefreshable(client, bearer, lifetime);
    } catch (error) {
      this.#log.warn(`kept the browser-login token as issued: ${(error as Error).message}`);
      return { grant, notes: [] };
    }
    const id = tokenIdOf(grant);
    try {
      if (!id) throw new Error('the server gave it no id');
      await client.revokeToken(bearer, id);
      return { grant: short, notes: [] };
    } catch (error) {
      return { grant: short, notes: [`Could not revoke the long-lived token the browser login handed out${id ? ` (${id})` : ''}: ${(error as Error).message}. Revoke it in the JFrog UI.`] };
    }
  }

  /**
   * Stores a login's token, then describes it in the state and the tool files, then revokes the
   * token it replaced. `created`: the token is this login's own, so a login that fails before
   * storing it revokes it again rather than leave it live on the server.
   */
  async #complete(prepared: PreparedLogin, request: Common, method: LoginMethod, grant: TokenGrant, username: string | null, notes: string[], created: boolean): Promise<LoginOutcome> {
    const { address, client } = prepared;
    const secrets: InstanceSecrets = {
      accessToken: grant.accessToken,
      ...(grant.refreshToken ? { refreshToken: grant.refreshToken } : {}),
      ...(grant.referenceToken ? { referenceToken: grant.referenceToken } : {}),
    };
    let facts: TokenFacts;
    let tokenUser: string | null;
    let replaced: InstanceRecord | undefined;
    let replacedSecrets: InstanceSecrets | null = null;
    try {
      const root = grant.referenceToken && grant.accessToken === grant.referenceToken ? null : await this.#rootCertificate(client, grant.accessToken);
      facts = await this.#facts(grant, username, root);
      // A name from the server's subject goes into tool files too: only one a user could have.
      const subjectUser = facts.subject ? usernameFromSubject(facts.subject) : null;
      tokenUser = subjectUser !== null && isUsername(subjectUser) ? subjectUser : null;
      replaced = (await this.#state.load()).instances.find((i) => i.id === address.id);
      refuseOtherUser(replaced, username ?? tokenUser, request.replaceUser === true);
      if (replaced) replacedSecrets = await this.#vault.read(address.id).catch(() => null);
      await this.#vault.write(address.id, secrets);
    } catch (error) {
      throw created ? await this.#withdraw(client, grant, error) : error;
    }
    const now = this.#seconds();
    let saved: StateData;
    try {
      saved = await this.#state.update((state) => {
        const existing = state.instances.find((i) => i.id === address.id);
        const record: InstanceRecord = {
          id: address.id,
          name: request.name?.trim() || existing?.name || address.registryHost,
          platformUrl: address.platformUrl,
          username: username ?? tokenUser ?? existing?.username ?? null,
          loginMethod: method,
          token: facts,
          tokenLifetimeSeconds: request.lifetimeSeconds ?? existing?.tokenLifetimeSeconds ?? null,
          caFile: request.caFile ?? existing?.caFile ?? null,
          proxy: existing?.proxy ?? null,
          addedAt: existing?.addedAt ?? now,
          updatedAt: now,
          revocation: { status: 'active', checkedAt: now },
          refreshError: null,
          targets: existing?.targets ?? [],
          clockOffsetSeconds: clockOffset(facts, now),
        };
        if (existing) state.instances[state.instances.indexOf(existing)] = record;
        else state.instances.push(record);
      });
    } catch (error) {
      // The state still describes the token the keychain held before: give that one back.
      await (replacedSecrets ? this.#vault.write(address.id, replacedSecrets) : this.#vault.erase(address.id)).catch((restoreError: unknown) =>
        this.#log.warn(`could not restore the keychain entry of ${address.id}: ${(restoreError as Error).message}`),
      );
      throw created ? await this.#withdraw(client, grant, error) : error;
    }
    this.#log.info(`logged in to ${address.id} (${method})`);
    const instance = findInstance(saved, address.id);
    const failed = await this.#rewriteTargets(instance, grant.accessToken);
    const retired = await this.#retire(client, replaced, replacedSecrets, grant, facts);
    await this.#record('login', instance, `Logged in${instance.username ? ` as ${instance.username}` : ''} (${method})${expiryPhrase(facts.expiresAt)}`);
    this.#emit(address.id, 'login');
    const view = this.#view(instance, saved);
    return { instance: view, notes: [...notes, ...(view.plainHttpWarning ? [view.plainHttpWarning] : []), ...failed.map((f) => `Could not update ${f.target.path}: ${f.message}`), ...retired] };
  }

  /** Revokes a token this login created but could not store, and says in the error whether that worked. */
  async #withdraw(client: AccessClient, grant: TokenGrant, error: unknown): Promise<unknown> {
    const id = tokenIdOf(grant);
    let outcome: string;
    try {
      if (!id) throw new Error('the server gave it no id');
      await client.revokeToken({ kind: 'bearer', token: grant.accessToken }, id);
      outcome = 'the new token was revoked again.';
    } catch (revokeError) {
      this.#log.warn(`could not revoke the token a failed login created: ${(revokeError as Error).message}`);
      outcome = `could not revoke the new token ${id ?? '(it has no id)'}; revoke it in the JFrog UI.`;
    }
    if (error instanceof Error) error.message = `${error.message} Nothing was stored; ${outcome}`;
    return error;
  }

  /**
   * Once a re-login is stored, revokes the token it replaced: nothing uses it any more. Its own
   * credentials first (after a change of user, the new user may not revoke the old one's tokens),
   * then the new token's (the old one may have expired). A pasted token kept as it was is the
   * person's own and may serve elsewhere, so it stays.
   */
  async #retire(client: AccessClient, replaced: InstanceRecord | undefined, replacedSecrets: InstanceSecrets | null, grant: TokenGrant, facts: TokenFacts): Promise<string[]> {
    const id = replaced?.token.tokenId;
    if (!replaced || !id || id === facts.tokenId || replaced.token.revocable === false || keptAsPasted(replaced)) return [];
    const holders = [replacedSecrets?.accessToken, grant.accessToken].filter((token): token is string => Boolean(token));
    let failure: unknown;
    for (const token of holders) {
      try {
        await client.revokeToken({ kind: 'bearer', token }, id);
        await this.#secretsRetired([replacedSecrets?.accessToken]);
        return [];
      } catch (error) {
        failure = error;
      }
    }
    return [`Could not revoke the token this login replaced (${id}): ${(failure as Error).message}. Revoke it in the JFrog UI.`];
  }

  async #facts(grant: TokenGrant, username: string | null, rootCertificate: string | null): Promise<TokenFacts> {
    return this.#verified(grantFacts(grant, username), grant, rootCertificate);
  }

  async #verified(facts: TokenFacts, grant: TokenGrant, rootCertificate: string | null): Promise<TokenFacts> {
    return facts.kind === 'access-token' ? { ...facts, signature: await verifyTokenSignature(grant.accessToken, rootCertificate) } : facts;
  }


  async #rewriteTargets(record: InstanceRecord, token: string): Promise<TargetFailure[]> {
    if (record.targets.length === 0) return [];
    return this.#targets.rewriteAll(record, { username: record.username ?? '', token });
  }

  async #rootCertificate(client: AccessClient, accessToken: string): Promise<string | null> {
    return client.rootCertificate({ kind: 'bearer', token: accessToken }).catch(() => null);
  }

  async #secrets(record: InstanceRecord): Promise<InstanceSecrets> {
    const secrets = await this.#vault.read(record.id);
    if (!secrets) throw new ArtikeyError('login-required', `The keychain holds no token for ${record.name}. Log in again: artikey login ${record.platformUrl}`);
    return secrets;
  }

  #singleFlight(reference: string, work: () => Promise<RefreshOutcome>): Promise<RefreshOutcome> {
    const running = this.#refreshing.get(reference);
    if (running) return running;
    const promise = work().finally(() => this.#refreshing.delete(reference));
    this.#refreshing.set(reference, promise);
    return promise;
  }

  #seconds(): number {
    return Math.floor(this.#now() / 1000);
  }

  #view(record: InstanceRecord, state: StateData, offline = false, secretProblem: InstanceRecord['refreshError'] = null): InstanceView {
    // Expiry is the server's clock: judge it by our clock corrected for the difference.
    const now = this.#seconds() + record.clockOffsetSeconds;
    const refreshError = secretProblem ?? record.refreshError;
    return {
      id: record.id,
      name: record.name,
      platformUrl: record.platformUrl,
      username: record.username,
      loginMethod: record.loginMethod,
      status: tokenStatus(
        {
          expiresAt: record.token.expiresAt,
          refreshable: record.token.refreshable,
          revocable: record.token.revocable,
          revocation: record.revocation.status,
          refreshFailing: refreshError !== null,
          offline,
        },
        now,
        state.settings.expiringThresholdSeconds,
      ),
      token: record.token,
      expiresInSeconds: record.token.expiresAt === null ? null : record.token.expiresAt - now,
      revocation: record.revocation,
      refreshError,
      tokenLifetimeSeconds: record.tokenLifetimeSeconds ?? state.settings.defaultTokenLifetimeSeconds,
      targets: record.targets,
      clockOffsetSeconds: record.clockOffsetSeconds,
      plainHttpWarning: plainHttpWarning(record.platformUrl),
      logoutIncomplete: record.loggingOut !== undefined,
    };
  }

  // Backups of tool files (issue 14, item 5): thin delegations to core/backups, kept together here.

  /** The backups beside every tool file Artikey knows, with the credentials each holds (never a secret). */
  async backups(environment: Environment, options: { check?: boolean } = {}): Promise<BackupView[]> {
    return this.#backupKeeper.list(environment, options);
  }

  /** Deletes backups `backups()` lists; any other path is refused before anything is deleted. */
  async deleteBackups(environment: Environment, paths: string[]): Promise<DeletedBackups> {
    return this.#backupKeeper.delete(environment, paths);
  }

  /** Whether Artikey deletes backups by itself once every secret in them is dead (the person's once-given yes). */
  async setDeleteDeadBackups(on: boolean): Promise<Settings> {
    return (await this.#state.update((s) => void (s.settings.deleteDeadBackups = on))).settings;
  }

  /** Artikey has just revoked or replaced these secrets: backups left holding only dead ones may go. */
  async #secretsRetired(secrets: (string | null | undefined)[]): Promise<void> {
    await this.#backupKeeper.afterRetiring(this.#environment, secrets);
  }

  get #backupKeeper(): BackupKeeper {
    return new BackupKeeper({
      state: () => this.#state.load(),
      accessToken: async (instance) => (await this.#vault.read(instance.id).catch(() => null))?.accessToken ?? null,
      stillWorks: (instance, credential) => this.#stillWorks(instance, credential),
      seconds: () => this.#seconds(),
      log: this.#log,
    });
  }
}

/**
 * The server's clock minus ours, from a token it just issued (`iat` is its "now"). Differences
 * of a few seconds are network latency, not skew.
 */
function clockOffset(facts: TokenFacts, localSeconds: number): number {
  if (facts.issuedAt === null) return 0;
  const offset = facts.issuedAt - localSeconds;
  return Math.abs(offset) < 5 ? 0 : offset;
}

/**
 * What a token grant holds, read by the token's own shape: a JWT's claims, or for a reference token
 * (which Bearer auth accepts too) what the reply and its inner form say. The signature is checked
 * later, by whoever can fetch the root certificate. Throws `invalid-token` for anything else.
 */
function grantFacts(grant: TokenGrant, username: string | null): TokenFacts {
  const shape = classifySecret(grant.accessToken);
  if (shape === 'reference-token') {
    return {
      kind: 'reference-token',
      tokenId: grant.tokenId,
      subject: username,
      scopes: grant.scope ? grant.scope.split(/\s+/) : [],
      audience: [],
      issuer: null,
      issuedAt: null,
      expiresAt: referenceTokenExpiry(grant.accessToken)?.expiresAt ?? null,
      refreshable: grant.refreshToken !== null,
      revocable: null,
      signature: 'not-checked',
    };
  }
  if (shape !== 'access-token') throw new ArtikeyError('invalid-token', 'The access token is not a JFrog access token (neither a JWT nor a reference token).');
  const claims = readClaims(grant.accessToken);
  return {
    kind: 'access-token',
    tokenId: claims.tokenId ?? grant.tokenId,
    subject: claims.subject,
    scopes: claims.scopes,
    audience: claims.audience,
    issuer: claims.issuer,
    issuedAt: claims.issuedAt,
    expiresAt: claims.expiresAt,
    refreshable: grant.refreshToken !== null,
    revocable: claims.revocable,
    signature: 'not-checked',
  };
}

/** The id to revoke a grant by: the reply's, else the JWT's own; null for a token that has neither. */
function tokenIdOf(grant: TokenGrant): string | null {
  if (grant.tokenId) return grant.tokenId;
  try {
    return readClaims(grant.accessToken).tokenId;
  } catch {
    return null;
  }
}

/** A pasted token Artikey could not exchange and kept as it is: no refresh token of Artikey's making. */
function keptAsPasted(record: InstanceRecord): boolean {
  return (record.loginMethod === 'access-token' || record.loginMethod === 'reference-token') && !record.token.refreshable;
}

/**
 * A login as another user than the instance's would hand that user's token to every tool file
 * configured for it: refused unless the person confirmed it. Names compare as the platform does,
 * ignoring case.
 */
function refuseOtherUser(existing: InstanceRecord | undefined, user: string | null, confirmed: boolean): void {
  if (confirmed || !existing?.username || !user || existing.username.toLowerCase() === user.toLowerCase()) return;
  const files = [...new Set(existing.targets.map((target) => target.path))];
  const handover = files.length ? ` The tool files set up for it would change hands from ${existing.username} to ${user}: ${files.join(', ')}.` : '';
  throw new ArtikeyError(
    'user-mismatch',
    `${existing.name} is logged in as ${existing.username}, and this login is ${user}: it would replace ${existing.username} with ${user}.${handover} Nothing was changed. To replace the user, confirm it (artikey login --replace).`,
  );
}

function readClaims(jwt: string): AccessTokenClaims {
  try {
    return decodeAccessToken(jwt);
  } catch (error) {
    if (error instanceof TokenFormatError) throw new ArtikeyError('invalid-token', error.message);
    throw error;
  }
}

const DAY = 86_400;

/** ", valid until 2025-01-31 14:00 UTC" for the activity log; nothing when it never expires. */
function expiryPhrase(expiresAt: number | null): string {
  if (expiresAt === null) return '';
  return `, valid until ${utcMinute(expiresAt)}`;
}

const utcMinute = (seconds: number): string => `${new Date(seconds * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

const PEM_CERTIFICATE = '-----BEGIN CERTIFICATE-----';
const MAX_CA_FILE_BYTES = 4 * 1024 * 1024;

/**
 * An absolute path to a readable file holding at least one PEM certificate, that only its owner
 * (this user or root) can change: whoever can write a trusted CA can impersonate the instance.
 */
export async function checkCaFile(path: string): Promise<string> {
  await readCaFile(path);
  return path;
}

/** The bundle's text, read only after the checks of `checkCaFile` pass. */
async function readCaFile(path: string): Promise<string> {
  const refuse = (why: string): never => {
    throw new ArtikeyError('invalid-option', `The CA bundle ${path} ${why}`);
  };
  if (!isAbsolute(path)) refuse('is not an absolute path; give the full path of the PEM file.');
  let text: string;
  try {
    const info = await stat(path);
    if (!info.isFile()) refuse('is not a file.');
    if (info.size > MAX_CA_FILE_BYTES) refuse('is larger than 4 MiB; that is not a certificate bundle.');
    checkCaFileOwner(info, refuse);
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof ArtikeyError) throw error;
    return refuse(`cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
  }
  if (!text.includes(PEM_CERTIFICATE)) refuse(`holds no PEM certificate (a "${PEM_CERTIFICATE}" block).`);
  return text;
}

/** POSIX only: Windows has no mode bits or uids here (its ACLs are the folder's business). */
function checkCaFileOwner(info: Stats, refuse: (why: string) => never): void {
  const me = process.getuid?.();
  if (me === undefined) return;
  if (info.uid !== me && info.uid !== 0) refuse(`belongs to another user (uid ${info.uid}); use a copy you own.`);
  if ((info.mode & 0o022) !== 0) refuse(`can be changed by ${info.mode & 0o002 ? 'every user' : 'its group'}; make it writable only by you (chmod go-w).`);
}

/** `http://host:port` or `https://host:port`, with nothing after the host but an optional "/". */
export function checkProxy(value: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new ArtikeyError('invalid-option', 'The proxy is not a URL; give it as http://proxy.example.com:3128.');
  }
  // Named by scheme and host only: what the person typed may hold a password.
  const refuse = (why: string): never => {
    throw new ArtikeyError('invalid-option', `The proxy ${url.protocol}//${url.host} ${why}`);
  };
  if (url.protocol !== 'http:' && url.protocol !== 'https:') refuse(`must start with http:// or https://, not ${url.protocol}//.`);
  if (!url.hostname) refuse('has no host.');
  // A proxy password would land in the state file, which never holds a secret.
  if (url.username || url.password) refuse('carries a user name or password; Artikey stores no proxy credentials (set HTTPS_PROXY in the environment instead).');
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) refuse('has a path; give only the scheme, host and port.');
  return url.origin;
}

function checkSettings(change: Partial<Settings>): Partial<Settings> {
  const seconds = (name: string, value: unknown, min: number, max: number): number => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
      throw new ArtikeyError('invalid-option', `${name} must be a whole number of seconds from ${min} to ${max}.`);
    return value;
  };
  const checked: Partial<Settings> = {};
  if (change.defaultTokenLifetimeSeconds !== undefined)
    checked.defaultTokenLifetimeSeconds = seconds('The token lifetime', change.defaultTokenLifetimeSeconds, 5 * 60, 365 * DAY);
  if (change.expiringThresholdSeconds !== undefined)
    checked.expiringThresholdSeconds = seconds('"Expiring" threshold', change.expiringThresholdSeconds, 60, 90 * DAY);
  if (change.warnBeforeSeconds !== undefined) {
    if (!Array.isArray(change.warnBeforeSeconds) || change.warnBeforeSeconds.length > 6)
      throw new ArtikeyError('invalid-option', 'Warnings: give up to 6 times before expiry.');
    const warn = change.warnBeforeSeconds.map((value) => seconds('A warning time', value, 60, 90 * DAY));
    checked.warnBeforeSeconds = [...new Set(warn)].sort((a, b) => b - a);
  }
  return checked;
}

/** Tool files that carry a user name (all but npm's) need the instance to know it. */
function requireUsername(record: InstanceRecord, spec: TargetSpec): void {
  if (!record.username && needsUsername(spec)) {
    throw new ArtikeyError('username-required', `Artikey does not know the user name for ${record.name}, which ${spec.kind} needs; log in again with --user.`);
  }
}

/** An instance by id, display name, or any address that normalises to it. */
export function findInstance(state: StateData, reference: string): InstanceRecord {
  const byId = state.instances.find((i) => i.id === reference || i.name === reference);
  if (byId) return byId;
  const parsed = parsePlatformAddress(reference);
  const byAddress = parsed.ok ? state.instances.find((i) => i.id === parsed.address.id) : undefined;
  if (byAddress) return byAddress;
  const known = state.instances.map((i) => i.id).join(', ') || 'none yet';
  throw new ArtikeyError('instance-not-found', `No instance "${reference}" (known: ${known}). Log in first: artikey login <url>`);
}

/** HTTP for one instance: the system's CAs plus its CA bundle; its proxy for everything, else the environment's proxies. */
export async function defaultHttpFor(instance: Connection, env: Record<string, string | undefined> = process.env): Promise<HttpClient> {
  // Checked on every use, not only when chosen: a bundle that became writable by others since is no longer trusted.
  const extraCa = instance.caFile ? await readCaFile(instance.caFile) : undefined;
  // The instance's own proxy wins over the environment, and NO_PROXY must not send it around it.
  const proxied = instance.proxy ? { ...env, HTTPS_PROXY: instance.proxy, HTTP_PROXY: instance.proxy, NO_PROXY: '' } : env;
  return createHttpClient({ ...(extraCa ? { extraCa } : {}), env: proxied, userAgent: 'artikey' });
}
