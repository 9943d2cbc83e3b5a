import { AccessClient, AccessError } from '../access.js';
import type { Connection } from '../connection.js';
import { ArtikeyError } from '../errors.js';
import { HttpError, type HttpClient, type HttpErrorCode } from '../http.js';
import { unreachableReason } from '../unreachable.js';
import { findInstance } from '../instances.js';
import type { InstanceView } from '../instance-view.js';
import { lacks } from '../server-version.js';
import type { InstanceRecord } from '../state.js';
import { utcMinute } from '../time-phrases.js';
import { VaultError } from '../vault.js';
import { catchUpWithKeychain, heldTokenId } from './held-token.js';
import { revokeSuperseded } from './superseded-tokens.js';
import { recordNotRevocable, revokeWrittenAhead } from './token-revocation.js';
import { namedVaultError, type Services } from './services.js';

const PERSON_WAITS_MS = 10_000;

export interface InstanceDetail extends InstanceView {
  serverVersion: string | null;
  /** What the server's clock says minus ours, in seconds, when it answered. */
  clockSkewSeconds: number | null;
  connection: Connection;
  /** Why the server could not be asked: "connection refused to arti.corp:8443"; null when it answered. */
  unreachable: { code: HttpErrorCode; reason: string; message: string } | null;
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

/** Looking at instances and their tokens: what Artikey records, and what the server says. */
export class Inspection {
  constructor(private readonly s: Services) {}

  /** Every instance; one keychain read each, so a secret removed outside Artikey shows as such. */
  async list(): Promise<InstanceView[]> {
    const state = await this.s.state.load();
    const views: InstanceView[] = [];
    for (const record of state.instances) views.push(this.s.view(record, state, false, await this.#secretProblem(record)));
    return views;
  }

  async instance(reference: string): Promise<InstanceView> {
    const state = await this.s.state.load();
    return this.s.view(findInstance(state, reference), state);
  }

  /** Why the instance's secret cannot be used, judged without reading the secret itself; null when it is there. */
  async #secretProblem(record: InstanceRecord): Promise<InstanceRecord['refreshError']> {
    const problem = (message: string): InstanceRecord['refreshError'] => ({ code: 'login-required', message, at: this.s.seconds() });
    try {
      if (await this.s.vault.has(record.id)) return null;
      return problem(`The keychain holds no token for ${record.name} (it was removed outside Artikey). Log in again: artikey login ${record.platformUrl}`);
    } catch (error) {
      if (error instanceof VaultError && error.code === 'keychain-corrupt') return problem((namedVaultError(error, record) as Error).message);
      // A keychain that cannot answer now is reported by whatever needs the secret next.
      this.s.log.warn(`could not check the keychain entry of ${record.id}: ${(error as Error).message}`);
      return null;
    }
  }

  /**
   * Asks the server about the token: still active, revoked, not kept; and the server's clock.
   * A person waiting (`status`, `doctor`, the window's Check now) hears "unreachable" after one
   * try of at most 10 s, not after three of 15 s; the background check keeps the patient client.
   */
  async inspect(reference: string, { background = false } = {}): Promise<InstanceDetail> {
    const record = findInstance(await this.s.state.load(), reference);
    const secrets = await this.s.secrets(record);
    const patient = await this.s.httpFor(record);
    const http: HttpClient = background ? patient : (request) => patient({ ...request, timeoutMs: Math.min(request.timeoutMs ?? PERSON_WAITS_MS, PERSON_WAITS_MS), retries: 0 });
    const client = new AccessClient(http, record.platformUrl);
    let revocation: InstanceRecord['revocation']['status'] = 'unknown';
    let serverVersion: string | null = null;
    let clockSkewSeconds: number | null = null;
    let unreachable: InstanceDetail['unreachable'] = null;
    try {
      const identity = await client.identify({ kind: 'bearer', token: secrets.accessToken });
      serverVersion = identity.version;
      const probe = await http({ method: 'GET', url: new URL('artifactory/api/system/ping', record.platformUrl).href });
      const date = Date.parse(String(probe.headers.date ?? ''));
      if (Number.isFinite(date)) clockSkewSeconds = Math.round((date - this.s.now()) / 1000);
      const bearer = { kind: 'bearer', token: secrets.accessToken } as const;
      // Before 7.53.1 /tokens/me is no alias (its 404 says nothing about this token): ask by id there.
      const tokenId = heldTokenId(secrets) ?? record.token.tokenId;
      const info = !lacks(serverVersion, 'current-token') ? await client.currentToken(bearer) : tokenId ? await client.tokenById(bearer, tokenId) : undefined;
      if (info !== undefined) revocation = info ? 'active' : 'not-persisted';
    } catch (error) {
      if (error instanceof AccessError && error.code === 'unauthorized') {
        // Expired tokens are shown as expired by their claims; anything else refused is revoked.
        revocation = /expired/i.test(error.message) ? 'unknown' : 'revoked';
      } else if (error instanceof HttpError) {
        unreachable = { code: error.code, reason: unreachableReason(error, record.platformUrl), message: error.message };
      } else if (!(error instanceof AccessError)) {
        throw error;
      }
    }
    const asked = record.token.tokenId;
    const saved = await this.s.state.update((s) => {
      const target = s.instances.find((i) => i.id === record.id);
      // The answer is about the token asked about: one refreshed meanwhile is not judged by it.
      if (target && target.token.tokenId === asked && target.revoking?.tokenId !== asked) target.revocation = { status: revocation, checkedAt: revocation === 'unknown' ? target.revocation.checkedAt : this.s.seconds() };
    });
    const updated = findInstance(saved, record.id);
    return { ...this.s.view(updated, saved, serverVersion === null), serverVersion, clockSkewSeconds, connection: { caFile: updated.caFile, proxy: updated.proxy }, unreachable };
  }

  /**
   * The periodic part of revocation checking: asks the server only about instances not checked
   * within `maxAgeSeconds`, so a timer may call this often without extra traffic.
   */
  async recheckRevocations(maxAgeSeconds = 6 * 3600): Promise<InstanceDetail[]> {
    const now = this.s.seconds();
    const stale = (await this.s.state.load()).instances.filter((i) => i.revocation.checkedAt === null || now - i.revocation.checkedAt >= maxAgeSeconds);
    const checked: InstanceDetail[] = [];
    for (const instance of stale) checked.push(await this.inspect(instance.id, { background: true }));
    return checked;
  }

  /**
   * Revokes one of the user's tokens on the server (default: the one Artikey holds). Under the
   * instance's lock, after finishing any interrupted store, so that "the one Artikey holds" is the
   * keychain's token and no refresh replaces it halfway.
   */
  async revoke(reference: string, tokenId?: string): Promise<{ revoked: boolean; tokenId: string }> {
    const { id: instanceId } = findInstance(await this.s.state.load(), reference);
    const { record, revoked, id, current } = await this.s.locks.run(instanceId, async () => {
      let record = findInstance(await this.s.state.load(), instanceId);
      let secrets = await this.s.secrets(record);
      if (await catchUpWithKeychain(this.s, record, secrets)) {
        record = findInstance(await this.s.state.load(), instanceId);
        secrets = await this.s.secrets(record);
      }
      const id = tokenId ?? record.token.tokenId;
      if (!id) throw new ArtikeyError('invalid-token', `The token of ${record.name} has no id the server can revoke it by.`);
      const current = id === record.token.tokenId;
      if (!current) {
        const client = await this.s.client(record);
        return { record, revoked: await client.revokeToken({ kind: 'bearer', token: secrets.accessToken }, id), id, current };
      }
      // Tokens replaced before and not revoked yet go first: the current one is the key to them.
      await revokeSuperseded(this.s, record.id, [secrets.accessToken]);
      const answer = await revokeWrittenAhead(this.s, record, secrets);
      if (answer === 'not-revocable') {
        await recordNotRevocable(this.s, record.id, id);
        const until = record.token.expiresAt === null ? 'for good (it has no expiry)' : `until ${utcMinute(record.token.expiresAt)}`;
        throw new ArtikeyError(
          'token-not-revoked',
          `The server cannot revoke the token of ${record.name}: it keeps no revocable record of a token this short-lived, so it stays valid ${until}. Log out to stop using it here.`,
        );
      }
      const revoked = answer === 'revoked';
      await this.s.state.update((s) => {
        const target = s.instances.find((i) => i.id === record.id);
        if (!target || target.token.tokenId !== id) return;
        target.revocation = { status: 'revoked', checkedAt: this.s.seconds() };
        delete target.revoking;
      });
      await this.s.secretsRetired([secrets.accessToken]);
      return { record, revoked, id, current };
    });
    const which = current ? 'the token Artikey holds' : `token ${id}`;
    await this.s.record('revoked', record, revoked ? `Revoked ${which}` : `Asked to revoke ${which}; the server no longer knew it`);
    if (current) this.s.emit(record.id, 'revoked');
    return { revoked, tokenId: id };
  }

  /** The user's tokens as the server lists them, newest issued first, the one Artikey holds marked. */
  async serverTokens(reference: string): Promise<ServerTokenView[]> {
    const record = findInstance(await this.s.state.load(), reference);
    const secrets = await this.s.secrets(record);
    const client = await this.s.client(record);
    const tokens = await client.listTokens({ kind: 'bearer', token: secrets.accessToken });
    return tokens
      .map((t) => ({ tokenId: t.tokenId, subject: t.subject, description: t.description, issuedAt: t.issuedAt, expiresAt: t.expiry, lastUsedAt: t.lastUsed, refreshable: t.refreshable, current: t.tokenId === record.token.tokenId }))
      .sort((a, b) => (b.issuedAt ?? -Infinity) - (a.issuedAt ?? -Infinity) || a.tokenId.localeCompare(b.tokenId));
  }
}
