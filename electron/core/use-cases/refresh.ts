import { AccessError, type TokenGrant } from '../access.js';
import { ArtikeyError, errorCode } from '../errors.js';
import { grantFacts, rootCertificate, verifiedFacts } from '../grant-facts.js';
import { findInstance } from '../instances.js';
import type { InstanceView } from '../instance-view.js';
import { redact } from '../logger.js';
import type { InstanceRecord, StateData, TokenFacts } from '../state.js';
import { applyLifetimeOutcome, FRESH_ENOUGH_TO_SLEEP_SECONDS, grantedLifetime, lifetimeNote, lifetimeOutcome, lifetimeToAsk, wantedLifetime } from '../token-lifetime.js';
import { utcMinute, validUntilPhrase } from '../time-phrases.js';
import { refreshMargin, tokenUse } from '../token-use.js';
import type { InstanceSecrets } from '../vault.js';
import { catchUpWithKeychain, describeHeldToken, describesOtherToken } from './held-token.js';
import { sweepKilledLogins } from './login-orphans.js';
import type { Services } from './services.js';
import { revokeSuperseded } from './superseded-tokens.js';
import { finishInterruptedRevoke } from './token-revocation.js';

/** The instance after a refresh was asked for; `refreshed` is false when there was nothing to do. */
export interface RefreshOutcome {
  view: InstanceView;
  refreshed: boolean;
}

/**
 * Refreshing tokens, and handing out the current one. A refresh token is single-use: one refresh
 * per instance at a time in this process (`#refreshing`), and across processes under the
 * instance's lock, where the keychain is read afresh.
 */
export class Refreshes {
  readonly #refreshing = new Map<string, Promise<RefreshOutcome>>();

  constructor(private readonly s: Services) {}

  /** Resolves once every refresh in flight has ended: quitting must not cut one in half. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.#refreshing.values()]);
  }

  /**
   * Spends the refresh token once and stores the new pair, unless another process replaced the
   * token since this call began (then that token is the answer); with `onlyIfExpiringWithinSeconds`,
   * also only when the token is that close to expiry. `refreshed` says whether this call made the
   * refresh: the background reports only those.
   */
  async refreshIfDue(reference: string, onlyIfExpiringWithinSeconds?: number): Promise<RefreshOutcome> {
    const seen = findInstance(await this.s.state.load(), reference);
    const id = seen.id;
    const tokenAsSeen = JSON.stringify(seen.token);
    const due = (record: InstanceRecord, view: InstanceView): boolean =>
      JSON.stringify(record.token) === tokenAsSeen && (onlyIfExpiringWithinSeconds === undefined || (view.expiresInSeconds !== null && view.expiresInSeconds < onlyIfExpiringWithinSeconds));
    return this.#singleFlight(id, async () => {
      try {
        return await this.s.locks.run(id, async () => {
          const outcome = await this.#refreshLocked(id, due);
          // Only now, with the new pair stored and described: the keychain's token is a working one.
          await sweepKilledLogins(this.s, id);
          return outcome;
        });
      } catch (error) {
        // The code and the message only: both are written for people and carry no secret (and pass the redactor).
        await this.s.record('refresh-failed', seen, `Refresh failed (${errorCode(error)}): ${redact((error as Error).message)}`);
        throw error;
      }
    });
  }

  /**
   * Before the machine sleeps: every token older than a few minutes is refreshed, so that it sleeps
   * with a full lifetime (see token-lifetime.ts); the ones refreshed are returned. Failures are
   * recorded as any refresh's are and do not stop the others: the machine goes to sleep regardless.
   */
  async prepareForSleep(): Promise<InstanceView[]> {
    const state = await this.s.state.load();
    const due = state.instances.filter((r) => r.token.refreshable && r.token.expiresAt !== null && r.refreshError?.code !== 'login-required' && r.revocation.status !== 'revoked');
    const outcomes = await Promise.allSettled(
      due.map((record) => {
        const lifetime = grantedLifetime(record.token) ?? wantedLifetime(record, state.settings);
        return this.refreshIfDue(record.id, lifetime - FRESH_ENOUGH_TO_SLEEP_SECONDS);
      }),
    );
    for (const [index, outcome] of outcomes.entries())
      if (outcome.status === 'rejected') this.s.log.warn(`${due[index]?.id ?? '?'}: no refresh before sleep (${errorCode(outcome.reason)})`);
    return outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' && outcome.value.refreshed ? [outcome.value.view] : []));
  }

  /**
   * The current access token for scripts, tools and the window, refreshed first when it expired or
   * is about to. A token Artikey knows is dead is refused (`login-required`), never handed out.
   */
  async accessToken(reference: string, minimumSeconds = 60): Promise<string> {
    let record = findInstance(await this.s.state.load(), reference);
    let secrets = await this.s.secrets(record);
    if (describesOtherToken(record, secrets)) {
      // A process was killed between storing a token and describing it: finish its work first, so
      // that what is judged below is the token the keychain holds.
      await this.s.locks.run(record.id, async () => {
        const current = findInstance(await this.s.state.load(), record.id);
        await catchUpWithKeychain(this.s, current, await this.s.secrets(current));
      });
      record = findInstance(await this.s.state.load(), record.id);
      secrets = await this.s.secrets(record);
    }
    if (record.revoking) {
      // A revoke or logout was stopped after asking the server: finish it (the token is refused either way).
      await this.s.locks.run(record.id, async () => {
        const current = findInstance(await this.s.state.load(), record.id);
        await finishInterruptedRevoke(this.s, current, await this.s.secrets(current));
      });
      record = findInstance(await this.s.state.load(), record.id);
    }
    let use = tokenUse(record, this.s.seconds() + record.clockOffsetSeconds, { refreshWithinSeconds: minimumSeconds });
    if (use === 'refresh') {
      await this.refreshIfDue(record.id, refreshMargin(record.token, minimumSeconds));
      record = findInstance(await this.s.state.load(), record.id);
      secrets = await this.s.secrets(record);
      use = tokenUse(record, this.s.seconds() + record.clockOffsetSeconds);
    }
    if (use instanceof ArtikeyError) throw use;
    // A login or catch-up killed before revoking the token it replaced left it listed: revoke it now.
    if (record.superseded?.length) await revokeSuperseded(this.s, record.id, [secrets.accessToken]);
    return secrets.accessToken;
  }

  /**
   * Between spending the refresh token and storing its successor nothing happens but reading the
   * reply: a process killed in that window loses the session. The state and every tool file
   * holding a copy follow in one transaction once the keychain has the new pair.
   */
  async #refreshLocked(id: string, due: (record: InstanceRecord, view: InstanceView) => boolean): Promise<RefreshOutcome> {
    const state = await this.s.state.load();
    const record = findInstance(state, id);
    const secrets = await this.s.secrets(record);
    if (await catchUpWithKeychain(this.s, record, secrets)) {
      const caughtUp = await this.s.state.load();
      return { view: this.s.view(findInstance(caughtUp, id), caughtUp), refreshed: false };
    }
    if (await finishInterruptedRevoke(this.s, record, secrets)) {
      const refusal = tokenUse(findInstance(await this.s.state.load(), id), this.s.seconds());
      if (refusal instanceof ArtikeyError) throw refusal;
    }
    const current = this.s.view(record, state);
    if (!due(record, current)) return { view: current, refreshed: false };
    if (!secrets.refreshToken) {
      throw new ArtikeyError('not-refreshable', `The token of ${record.name} cannot be refreshed (it was pasted or the server does not allow refreshable tokens). Log in again before it expires.`);
    }
    const client = await this.s.client(record);
    // Fetched before the refresh, so that only in-memory work stands between storing the new pair and describing it.
    const root = record.token.signature === 'verified' ? await rootCertificate(client, secrets.accessToken) : null;
    let asked = lifetimeToAsk(record, state.settings);
    let grant: TokenGrant;
    try {
      try {
        grant = await client.refreshToken(secrets.accessToken, secrets.refreshToken, asked);
      } catch (error) {
        // A token.max-expiry lowered since the last token: asked again with no lifetime, the server
        // applies its default, which it keeps within max-expiry (see createPreferringRefreshable).
        if (!(error instanceof AccessError && error.code === 'forbidden' && /expir/i.test(error.message))) throw error;
        grant = await client.refreshToken(secrets.accessToken, secrets.refreshToken);
        asked = wantedLifetime(record, state.settings);
      }
    } catch (error) {
      if (error instanceof AccessError && (error.code === 'refresh-token-invalid' || error.code === 'unauthorized' || error.code === 'forbidden')) {
        // A refused bearer is as final as a spent refresh token: a real server takes no refresh without one.
        const message = error.code === 'refresh-token-invalid' ? error.message : `${error.message} Log in again: artikey login ${record.platformUrl}`;
        await this.#markFailed(id, { code: 'login-required', message });
        throw new ArtikeyError('login-required', `${record.name}: ${message}`);
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
    await this.s.vault.write(record.id, { accessToken: grant.accessToken, ...(grant.refreshToken ? { refreshToken: grant.refreshToken } : {}) });
    this.s.log.info(`refreshed ${record.id}`);
    const facts = await verifiedFacts(read, grant, root);
    // The token replaced is listed and revoked: whether a server revokes it by itself is not
    // documented, and a leaked copy must stop working at the rotation (token-lifetime.ts).
    await describeHeldToken(this.s, record.id, facts, grant.accessToken, true);
    const saved = await this.#noteLifetime(record, asked, facts);
    const refreshed = findInstance(saved, record.id);
    if (refreshed.superseded?.length) await revokeSuperseded(this.s, record.id, [grant.accessToken]);
    await this.s.secretsRetired([secrets.accessToken]);
    // Without a new refresh token the instance cannot refresh again: the old one was single-use.
    const last = grant.refreshToken ? '' : `, but the server sent no new refresh token: it cannot be refreshed again${facts.expiresAt === null ? '' : `; log in again before ${utcMinute(facts.expiresAt)}`}`;
    if (last) this.s.log.warn(`${record.id}: the refresh reply held no refresh token`);
    await this.s.record('refresh', refreshed, `Refreshed the token${validUntilPhrase(facts.expiresAt)}${last}`);
    this.s.emit(record.id, 'refresh');
    return { view: this.s.view(refreshed, saved), refreshed: true };
  }

  /**
   * Records what the server made of the lifetime asked for, and says so in the activity when that
   * changed: once when it starts capping or ignoring it, not at every refresh.
   */
  async #noteLifetime(before: InstanceRecord, asked: number, facts: TokenFacts): Promise<StateData> {
    let news: string | null = null;
    const saved = await this.s.state.update((draft) => {
      const target = findInstance(draft, before.id);
      const wasNoted = lifetimeNote(before, draft.settings);
      applyLifetimeOutcome(target, lifetimeOutcome(asked, wantedLifetime(target, draft.settings), facts, target.lifetimeCapSeconds));
      const note = lifetimeNote(target, draft.settings);
      if (note !== null && note !== wasNoted) news = note;
    });
    if (news !== null) {
      this.s.log.warn(`${before.id}: the refreshed token does not live as long as asked`);
      await this.s.record('notice', before, news);
    }
    return saved;
  }

  /**
   * A refresh reply whose access token cannot be read is refused: the previous access token (still
   * valid unless the server revoked it) and its details stay. The reply's refresh token is kept,
   * since the server has spent the old one and only the new one may still work.
   */
  async #refuseReply(record: InstanceRecord, secrets: InstanceSecrets, grant: TokenGrant, why: string): Promise<never> {
    await this.s.vault.write(record.id, {
      accessToken: secrets.accessToken,
      ...(grant.refreshToken ? { refreshToken: grant.refreshToken } : {}),
      ...(secrets.referenceToken ? { referenceToken: secrets.referenceToken } : {}),
    });
    const message = `${record.name}: refused the server's refresh reply. ${why} Artikey keeps the previous token${validUntilPhrase(record.token.expiresAt)}.`;
    // With no refresh token left, only a new login helps.
    await this.#markFailed(record.id, { code: grant.refreshToken ? 'unexpected-response' : 'login-required', message });
    throw new AccessError('unexpected-response', message);
  }

  async #markFailed(id: string, failure: { code: string; message: string }): Promise<void> {
    await this.s.state.update((draft) => {
      const target = draft.instances.find((i) => i.id === id);
      if (target) target.refreshError = { ...failure, at: this.s.seconds() };
    });
  }

  #singleFlight(id: string, work: () => Promise<RefreshOutcome>): Promise<RefreshOutcome> {
    const running = this.#refreshing.get(id);
    if (running) return running;
    const promise = work().finally(() => this.#refreshing.delete(id));
    this.#refreshing.set(id, promise);
    return promise;
  }
}
