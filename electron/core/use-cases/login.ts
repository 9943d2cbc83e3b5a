import { randomUUID } from 'node:crypto';
import { AccessClient, AccessError, type CreateTokenRequest, type Credentials, type TokenGrant } from '../access.js';
import { ArtikeyError } from '../errors.js';
import { clockOffset, grantFacts, readClaims, rootCertificate, tokenIdOf, verifiedFacts } from '../grant-facts.js';
import { HttpError } from '../http.js';
import { checkCaFile } from '../connection.js';
import { checkName, defaultName, parsePlatformAddress, type PlatformAddress } from '../instances.js';
import type { InstanceView } from '../instance-view.js';
import type { InstanceRecord, LoginMethod, TokenFacts } from '../state.js';
import type { TargetFailure } from '../targets/registry.js';
import { lacks, requireFeature, whatItLacks } from '../server-version.js';
import { applyLifetimeOutcome, lifetimeOutcome, wantedLifetime } from '../token-lifetime.js';
import { validUntilPhrase } from '../time-phrases.js';
import { classifySecret, usernameFromSubject } from '../tokens.js';
import { checkTokenUser, checkUsername, isUsername } from '../usernames.js';
import type { InstanceSecrets } from '../vault.js';
import { catchUpWithKeychain, keptAsPasted } from './held-token.js';
import { revokeSuperseded, supersede } from './superseded-tokens.js';
import { forgetPendingLogin, recordPendingLogin, sweepKilledLogins, tokenDescription, type HandedOutToken } from './login-orphans.js';
import { forgetBasicRefusal, isBasicRefusal, rememberBasicRefusal } from './basic-refusals.js';
import type { Services } from './services.js';

export interface LoginRequest {
  url: string;
  name?: string;
  /** Lifetime of the token Artikey asks for; defaults to the setting (12 h). */
  lifetimeSeconds?: number;
  caFile?: string | null;
  /** Logging in to an instance recorded for another user replaces that user, in every tool file too: only when the person confirmed it. */
  replaceUser?: boolean;
}

export interface BrowserLoginPrompt {
  /** The 4 characters the login page may ask for. */
  code: string;
  /** The page to open; printed instead on machines without a browser. */
  url: string;
}

export interface BrowserLoginRequest extends LoginRequest {
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

/** What a login has checked before it asks the server for a token. */
interface PreparedLogin {
  address: PlatformAddress;
  client: AccessClient;
  lifetime: number;
  /** The server's release, `unknown` when it would not say. */
  version: string;
}

/** A token this login asked the server for, and the marker it recorded first (see login-orphans.ts). */
interface Created {
  grant: TokenGrant;
  nonce: string;
}

/**
 * The four ways in (password, pasted token, API key, browser), each ending the same way: the new
 * token is stored, described and copied to the tool files together, and the token it replaced is
 * revoked. A login that fails after the server created a token revokes it again.
 */
export class Logins {
  constructor(private readonly s: Services) {}

  async withPassword(request: LoginRequest & { username: string; password: string }): Promise<LoginOutcome> {
    checkUsername(request.username);
    // Not asked with the password: a wrong one would count twice against the account's lockout.
    const prepared = await this.#prepare(request, request.username);
    requireFeature(prepared.version, 'password-login');
    const credentials: Credentials = { kind: 'basic', username: request.username, password: request.password };
    const { grant, nonce } = await this.#createRefreshable(prepared, credentials).catch((error: unknown) => this.#basicRefused(prepared, error));
    return this.#complete(prepared, request, 'password', grant, null, [], true, nonce);
  }

  /** A pasted access token or reference token; exchanged for a refreshable one where allowed. */
  async withToken(request: LoginRequest & { token: string; username?: string }): Promise<LoginOutcome> {
    const token = request.token.trim();
    const shape = classifySecret(token);
    if (shape === 'api-key') return this.withApiKey({ ...request, apiKey: token });
    if (shape === 'unknown') {
      throw new ArtikeyError('invalid-token', 'That is not a JFrog access token (eyJ…), reference token (cmVmd…, 64 characters) or API key (AKCp…). Copy the whole token and try again.');
    }
    if (shape === 'reference-token' && !request.username) {
      throw new ArtikeyError('username-required', 'A reference token does not say whose it is. Give the user name it belongs to (--user).');
    }
    if (request.username) checkTokenUser(token, checkUsername(request.username));
    // A token whose lifetime cannot be read is refused before it reaches the server or the keychain.
    const subject = shape === 'access-token' ? usernameFromSubject(readClaims(token).subject) : null;
    const credentials: Credentials = { kind: 'bearer', token };
    const prepared = await this.#prepare(request, request.username ?? subject, credentials);
    const notes: string[] = [];
    let grant: TokenGrant;
    let nonce: string | null = null;
    try {
      // No user name in the request: the server takes the subject from the bearer, and refuses one
      // that differs from it even only in case (403); the new token's subject names the user.
      ({ grant, nonce } = await this.#createRefreshable(prepared, credentials));
    } catch (error) {
      if (!(error instanceof AccessError) || (error.code !== 'forbidden' && error.code !== 'bad-request')) throw error;
      // A scoped token may not mint others: keep the pasted one, which cannot be refreshed.
      await prepared.client.currentToken(credentials);
      grant = shape === 'access-token'
        ? { tokenId: null, accessToken: token, refreshToken: null, expiresIn: null, scope: null, referenceToken: null }
        : { tokenId: null, accessToken: token, refreshToken: null, expiresIn: null, scope: null, referenceToken: token };
      notes.push('The server did not let this token create a refreshable one; Artikey keeps it as it is and will warn before it expires.');
    }
    // A token kept as pasted is named by the person (a reference token carries no subject).
    const named = nonce === null ? (request.username ?? null) : null;
    return this.#complete(prepared, request, shape === 'reference-token' ? 'reference-token' : 'access-token', grant, named, notes, nonce !== null, nonce);
  }

  /** Uses an (end-of-life) API key once to get a refreshable token; optionally revokes the key. */
  async withApiKey(request: LoginRequest & { apiKey: string; username?: string; revokeApiKey?: boolean }): Promise<LoginOutcome> {
    if (request.username) checkUsername(request.username);
    const key = request.apiKey.trim();
    const prepared = await this.#prepare(request, request.username, { kind: 'api-key', key });
    const credentials: Credentials = request.username ? { kind: 'basic', username: request.username, password: key } : { kind: 'api-key', key };
    const { grant, nonce } = await this.#createRefreshable(prepared, credentials).catch((error: unknown) => this.#basicRefused(prepared, error, 'api-key'));
    if (!request.revokeApiKey) {
      const advice = 'API keys are end-of-life at JFrog and stop working soon. Revoke this key once nothing else uses it (artikey login --revoke-api-key, or your Artifactory profile page).';
      return this.#complete(prepared, request, 'api-key', grant, null, [advice], true, nonce);
    }
    // Only once the new token is stored: a login that fails must leave the person the key they came with.
    const outcome = await this.#complete(prepared, request, 'api-key', grant, null, [], true, nonce);
    try {
      await prepared.client.revokeApiKey({ kind: 'bearer', token: grant.accessToken });
      await this.s.secretsRetired([key]);
      outcome.notes.unshift('The API key was revoked on the server. Anything else still using it will stop working.');
    } catch (error) {
      outcome.notes.unshift(`Logged in, but the API key could not be revoked (${(error as Error).message}); revoke it on your Artifactory profile page.`);
    }
    return outcome;
  }

  /**
   * The browser login (works with SSO): register a session, let the person approve it in the
   * browser, collect the tokens. The server's token then buys a short-lived refreshable one. No
   * lock is held while the person is in the browser.
   */
  async withBrowser(request: BrowserLoginRequest): Promise<LoginOutcome> {
    // Who approves is known only once the token arrives: #complete refuses another user then.
    const prepared = await this.#prepare(request, null);
    requireFeature(prepared.version, 'browser-login');
    const { client } = prepared;
    const session = randomUUID();
    await client.startWebLogin(session);
    // The server's session lives 5 minutes from its creation, however long the prompt takes.
    const deadline = this.s.now() + (request.timeoutMs ?? 5 * 60_000);
    await request.onPrompt({ code: session.slice(-4), url: client.webLoginUrl(session) });
    let grant: TokenGrant | null = null;
    while (!grant) {
      if (request.signal?.aborted) throw new ArtikeyError('login-cancelled', 'The browser login was cancelled.');
      if (this.s.now() > deadline) {
        throw new ArtikeyError('login-timeout', 'Nobody approved the login in the browser within 5 minutes. Start the login again.');
      }
      try {
        grant = await client.pollWebLogin(session);
      } catch (error) {
        // A blip while the person is typing their password should not end the login.
        if (!(error instanceof HttpError) && !(error instanceof AccessError && error.code === 'server-error')) throw error;
      }
      if (!grant) await this.s.sleep(request.pollIntervalMs ?? 3000);
    }
    const short = await this.#shorten(prepared, grant);
    return this.#complete(prepared, request, 'browser', short.grant, null, short.notes, true, short.nonce);
  }

  /**
   * Everything a login can check before the server creates a token, so that a refusal leaves
   * nothing behind: the address, the user (when known up front), the server, and the keychain.
   */
  async #prepare(request: LoginRequest, user: string | null | undefined, credentials?: Credentials): Promise<PreparedLogin> {
    const parsed = parsePlatformAddress(request.url);
    if (!parsed.ok) throw new ArtikeyError('invalid-address', parsed.problem.message);
    const state = await this.s.state.load();
    const existing = state.instances.find((i) => i.id === parsed.address.id);
    refuseOtherUser(existing, user ?? null, request.replaceUser === true);
    if (request.name !== undefined) checkName(state, request.name, parsed.address.id);
    if (request.caFile) await checkCaFile(request.caFile);
    // Logging in again goes the way the instance is reached already (its CA bundle and proxy).
    const client = new AccessClient(await this.s.httpFor({ caFile: request.caFile ?? existing?.caFile ?? null, proxy: existing?.proxy ?? null }), parsed.address.platformUrl);
    const { version } = await client.identify(credentials);
    requireFeature(version, 'tokens-api');
    // A locked keychain (or one without a default collection) found only after the server created a token would orphan it.
    await this.s.checkKeychain();
    const lifetime = request.lifetimeSeconds ?? existing?.tokenLifetimeSeconds ?? state.settings.defaultTokenLifetimeSeconds;
    return { address: parsed.address, client, lifetime, version };
  }

  /**
   * Asks the server for this login's token. The marker is recorded first and the token named after
   * it, so that a login killed before storing the token leaves a trace the next sweep finds it by;
   * a refusal from the server created nothing, and takes the marker back.
   */
  async #createRefreshable(prepared: PreparedLogin, credentials: Credentials, handedOut: HandedOutToken | null = null): Promise<Created> {
    const { address, client, lifetime, version } = prepared;
    const nonce = await recordPendingLogin(this.s, address, lifetime, (existing) => (existing && retirable(existing) ? existing.token : null), handedOut);
    const request = { scope: 'applied-permissions/user', expiresIn: lifetime, description: tokenDescription(nonce) };
    try {
      // A refresh token a server before 7.37.9 hands out can never be spent: ask for none there.
      const grant = lacks(version, 'refresh') ? await client.createToken(credentials, { ...request, refreshable: false }) : await createPreferringRefreshable(client, credentials, request);
      return { grant, nonce };
    } catch (error) {
      // Without an answer (a timeout, a reset) the server may have created it: the marker stays for the sweep.
      if (error instanceof AccessError && error.status !== null && error.status >= 400) await forgetPendingLogin(this.s, nonce);
      throw error;
    }
  }

  /**
   * A server that will not create tokens for Basic credentials: remembered for the address, so
   * the next login offers the browser first. An API key sent with a user name goes as Basic too,
   * and the same key alone (X-JFrog-Art-Api) may still be taken.
   */
  async #basicRefused(prepared: PreparedLogin, error: unknown, given: 'password' | 'api-key' = 'password'): Promise<never> {
    if (!isBasicRefusal(error)) throw error;
    await rememberBasicRefusal(this.s, prepared.address);
    if (given === 'api-key') {
      const { platformUrl } = prepared.address;
      error.message = `${new URL(platformUrl).host} does not let tools trade a user name and API key for a token; log in through the browser instead: artikey login ${platformUrl} (or give the API key without a user name)`;
    }
    throw error;
  }

  /** Trades the long-lived browser-login token for one with the chosen lifetime, then revokes it. */
  async #shorten(prepared: PreparedLogin, grant: TokenGrant): Promise<{ grant: TokenGrant; nonce: string | null; notes: string[] }> {
    const { client } = prepared;
    const bearer: Credentials = { kind: 'bearer', token: grant.accessToken };
    const id = tokenIdOf(grant);
    // Named in the marker: a login killed before revoking it leaves it to the next sweep, not live for a year.
    const handedOut = id ? { tokenId: id, expiresAt: grant.expiresIn === null ? null : this.s.seconds() + grant.expiresIn } : null;
    let short: Created;
    try {
      short = await this.#createRefreshable(prepared, bearer, handedOut);
    } catch (error) {
      this.s.log.warn(`kept the browser-login token as issued: ${(error as Error).message}`);
      return { grant, nonce: null, notes: [] };
    }
    try {
      if (!id) throw new Error('the server gave it no id');
      await client.revokeToken(bearer, id);
      return { ...short, notes: [] };
    } catch (error) {
      return { ...short, notes: [`Could not revoke the long-lived token the browser login handed out${id ? ` (${id})` : ''}: ${(error as Error).message}. Revoke it in the JFrog UI.`] };
    }
  }

  /**
   * Stores a login's token and, in one state transaction, describes it and copies it to the tool
   * files, all under the instance's lock; then revokes the token it replaced. `created`: the token
   * is this login's own, so a login that fails before it is stored revokes it again rather than
   * leave it live on the server. `nonce`: the marker recorded before the token was created, removed
   * once the token is stored and the one it replaced revoked (or once it is revoked again).
   */
  async #complete(prepared: PreparedLogin, request: LoginRequest, method: LoginMethod, grant: TokenGrant, username: string | null, notes: string[], created: boolean, nonce: string | null): Promise<LoginOutcome> {
    const { address, client } = prepared;
    const secrets: InstanceSecrets = {
      accessToken: grant.accessToken,
      ...(grant.refreshToken ? { refreshToken: grant.refreshToken } : {}),
      ...(grant.referenceToken ? { referenceToken: grant.referenceToken } : {}),
    };
    let stored: Stored;
    try {
      // Read in memory only: between the server's answer and the keychain nothing else may stand.
      const facts = grantFacts(grant, username);
      // A name from the server's subject goes into tool files too: only one a user could have.
      const subjectUser = facts.subject ? usernameFromSubject(facts.subject) : null;
      const tokenUser = subjectUser !== null && isUsername(subjectUser) ? subjectUser : null;
      stored = await this.s.locks.run(address.id, async () => {
        const stored = await this.#store(address, request, method, secrets, facts, username ?? tokenUser);
        // Holding a working token under the lock: what logins killed before storing theirs left goes now.
        await sweepKilledLogins(this.s, address.id);
        return stored;
      });
    } catch (error) {
      throw created ? await this.#withdraw(client, grant, error, nonce) : error;
    }
    stored = await this.#checkSignature(client, grant, stored, nonce === null ? null : prepared.lifetime);
    this.s.log.info(`logged in to ${address.id} (${method})`);
    const { instance, view, failed, replaced, replacedSecrets } = stored;
    const retired = await this.#retire(address.id, replaced, replacedSecrets, grant);
    // Stored, and the token it replaced revoked: nothing of this login is left to sweep (not revoked: the next sweep tries).
    if (nonce && retired.length === 0) await forgetPendingLogin(this.s, nonce);
    await this.s.record('login', instance, `Logged in${instance.username ? ` as ${instance.username}` : ''} (${method})${validUntilPhrase(instance.token.expiresAt)}`);
    this.s.emit(address.id, 'login');
    // A server with refreshable tokens switched off issues plain ones without a word.
    const why = lacks(prepared.version, 'refresh') ? `${whatItLacks(prepared.version, 'refresh')}, so this token cannot be refreshed` : `${instance.name} issued a token that cannot be refreshed (the server does not allow refreshable tokens)`;
    const renamed = !replaced && request.name === undefined && instance.name !== prepared.address.registryHost ? [`"${prepared.address.registryHost}" names another instance, so this one is called "${instance.name}"; rename it with: artikey rename "${instance.name}" <name>`] : [];
    const plain = created && !grant.refreshToken ? [`${why}${validUntilPhrase(instance.token.expiresAt)}; Artikey warns before it expires, and you log in again then.`] : [];
    return { instance: view, notes: [...renamed, ...notes, ...plain, ...(view.lifetimeNote ? [view.lifetimeNote] : []), ...(view.plainHttpWarning ? [view.plainHttpWarning] : []), ...failed.map((f) => `Could not update ${f.target.path}: ${f.message}`), ...retired] };
  }

  /**
   * Under the instance's lock: the keychain gets the new secrets, then one transaction records the
   * instance and rewrites its tool files. If that transaction fails (another user's instance after
   * all, a state file that cannot be saved), the keychain gets back what it held.
   */
  async #store(address: PlatformAddress, request: LoginRequest, method: LoginMethod, secrets: InstanceSecrets, facts: TokenFacts, user: string | null): Promise<Stored> {
    const before = (await this.s.state.load()).instances.find((i) => i.id === address.id);
    refuseOtherUser(before, user, request.replaceUser === true);
    const replacedSecrets = before ? await this.s.vault.read(address.id).catch(() => null) : null;
    // The token this login replaces (and revokes) is the keychain's, even one a killed process never described.
    if (before && replacedSecrets) await catchUpWithKeychain(this.s, before, replacedSecrets);
    await this.s.vault.write(address.id, secrets);
    try {
      return await this.s.state.transaction(async (state) => {
        const now = this.s.seconds();
        const existing = state.instances.find((i) => i.id === address.id);
        refuseOtherUser(existing, user, request.replaceUser === true);
        const record: InstanceRecord = {
          id: address.id,
          name: request.name !== undefined ? checkName(state, request.name, address.id) : (existing?.name ?? defaultName(state, address)),
          platformUrl: address.platformUrl,
          username: user ?? existing?.username ?? null,
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
        // The token replaced is listed in this same transaction and revoked after it (see superseded-tokens.ts).
        if (existing?.superseded) record.superseded = existing.superseded;
        if (existing && !keptAsPasted(existing)) supersede(record, existing.token, now);
        if (existing) state.instances[state.instances.indexOf(existing)] = record;
        else state.instances.push(record);
        // The server took a password after all (an admin enabled it): the browser need not come first.
        if (method === 'password') forgetBasicRefusal(state, address.id);
        const failed = await this.s.targets.rewriteAll(record, { username: record.username ?? '', token: secrets.accessToken });
        return { instance: record, view: this.s.view(record, state), failed, replaced: existing, replacedSecrets };
      });
    } catch (error) {
      // The state still describes the token the keychain held before: give that one back.
      await (replacedSecrets ? this.s.vault.write(address.id, replacedSecrets) : this.s.vault.erase(address.id)).catch((restoreError: unknown) =>
        this.s.log.warn(`could not restore the keychain entry of ${address.id}: ${(restoreError as Error).message}`),
      );
      throw error;
    }
  }

  /**
   * Once the token is stored: its signature, checked against the instance's root certificate
   * (fetched now, not before storing, so a login killed meanwhile leaves no token behind), and,
   * when this login asked for a lifetime, whether the server gave it (see token-lifetime.ts).
   */
  async #checkSignature(client: AccessClient, grant: TokenGrant, stored: Stored, askedLifetime: number | null): Promise<Stored> {
    if (stored.instance.token.kind !== 'access-token') return stored;
    const facts = await verifiedFacts(stored.instance.token, grant, await rootCertificate(client, grant.accessToken));
    const saved = await this.s.state.update((state) => {
      const target = state.instances.find((i) => i.id === stored.instance.id);
      if (!target || target.token.tokenId !== facts.tokenId) return;
      target.token.signature = facts.signature;
      if (askedLifetime !== null) applyLifetimeOutcome(target, lifetimeOutcome(askedLifetime, wantedLifetime(target, state.settings), target.token, undefined));
    });
    const instance = saved.instances.find((i) => i.id === stored.instance.id) ?? stored.instance;
    return { ...stored, instance, view: this.s.view(instance, saved) };
  }

  /** Revokes a token this login created but could not store, and says in the error whether that worked. */
  async #withdraw(client: AccessClient, grant: TokenGrant, error: unknown, nonce: string | null): Promise<unknown> {
    const id = tokenIdOf(grant);
    let outcome: string;
    try {
      if (!id) throw new Error('the server gave it no id');
      await client.revokeToken({ kind: 'bearer', token: grant.accessToken }, id);
      // Gone again, so nothing is left to sweep (had the revoke failed, the marker would stay for the next sweep).
      if (nonce) await forgetPendingLogin(this.s, nonce);
      outcome = 'the new token was revoked again.';
    } catch (revokeError) {
      this.s.log.warn(`could not revoke the token a failed login created: ${(revokeError as Error).message}`);
      outcome = `could not revoke the new token ${id ?? '(it has no id)'}; revoke it in the JFrog UI.`;
    }
    if (error instanceof Error) error.message = `${error.message} Nothing was stored; ${outcome}`;
    return error;
  }

  /**
   * Once a re-login is stored, revokes the token it replaced (and any a killed process left
   * listed): nothing uses them any more. With the replaced token's own credentials first (after a
   * change of user, the new user may not revoke the old one's tokens), then the new token's (the
   * old one may have expired). A pasted token kept as it was is the person's own and may serve
   * elsewhere, so it is never listed.
   */
  async #retire(instanceId: string, replaced: InstanceRecord | undefined, replacedSecrets: InstanceSecrets | null, grant: TokenGrant): Promise<string[]> {
    const notes = await revokeSuperseded(this.s, instanceId, [replacedSecrets?.accessToken, grant.accessToken]);
    if (replaced && replacedSecrets && notes.length === 0 && !keptAsPasted(replaced)) await this.s.secretsRetired([replacedSecrets.accessToken]);
    return notes;
  }
}

/**
 * A refreshable token where the server allows it; a plain one (same lifetime) where not. A server
 * whose token.max-expiry is below the lifetime asked may refuse it (REST "Create Token": 403); asked
 * again with no lifetime, it applies token.default-expiry, which it keeps at or below max-expiry
 * ("Recommended Configurations"), and the instance notes the shorter lifetime (token-lifetime.ts).
 */
async function createPreferringRefreshable(client: AccessClient, credentials: Credentials, request: CreateTokenRequest): Promise<TokenGrant> {
  try {
    return await client.createToken(credentials, { ...request, refreshable: true });
  } catch (error) {
    if (error instanceof AccessError && error.code === 'forbidden' && /refresh/i.test(error.message)) {
      return client.createToken(credentials, { ...request, refreshable: false });
    }
    if (error instanceof AccessError && error.code === 'forbidden' && /expir/i.test(error.message) && request.expiresIn !== undefined) {
      return createPreferringRefreshable(client, credentials, { ...request, expiresIn: undefined });
    }
    throw error;
  }
}

/** What a login's store step leaves for the rest of it. */
interface Stored {
  instance: InstanceRecord;
  view: InstanceView;
  failed: TargetFailure[];
  replaced: InstanceRecord | undefined;
  replacedSecrets: InstanceSecrets | null;
}

/**
 * Whether a login replacing this instance's token revokes it: not one the server says cannot be,
 * nor a pasted token Artikey could not exchange and kept as it is (the person's own).
 */
function retirable(record: InstanceRecord): boolean {
  return record.token.revocable !== false && !keptAsPasted(record);
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
