import { ArtikeyError, errorCode } from '../errors.js';
import { findInstance } from '../instances.js';
import { redact } from '../logger.js';
import { logoutSummary, type LogoutOutcome } from '../logout-report.js';
import type { InstanceRecord } from '../state.js';
import { utcMinute } from '../time-phrases.js';
import { VaultError, type InstanceSecrets } from '../vault.js';
import { catchUpWithKeychain } from './held-token.js';
import { revokeSuperseded } from './superseded-tokens.js';
import { revokeWrittenAhead } from './token-revocation.js';
import type { Services } from './services.js';

/**
 * Logging out: revoke, then remove tool entries, then forget the secrets, then the instance, all
 * under the instance's lock (no refresh or login of it in any process meanwhile). Nothing is
 * touched until the token is dealt with (a keychain that cannot be read, or a server that cannot
 * revoke, changes nothing); a later step that fails is reported and leaves a marker in the state
 * file, so running logout again finishes the remaining steps.
 */
export class Logouts {
  constructor(private readonly s: Services) {}

  async logout(reference: string, options: { keepServerToken?: boolean } = {}): Promise<LogoutOutcome> {
    const { id } = findInstance(await this.s.state.load(), reference);
    const outcome = await this.s.locks.run(id, () => this.#logoutLocked(id, options.keepServerToken === true));
    await this.s.record('logout', outcome.instance, logoutSummary(outcome));
    this.s.emit(id, 'logout');
    return outcome;
  }

  async #logoutLocked(id: string, keepServerToken: boolean): Promise<LogoutOutcome> {
    const record = findInstance(await this.s.state.load(), id);
    const token = await this.#settleServerToken(record, keepServerToken);
    const tokenDead = token.outcome === 'revoked' || token.outcome === 'already-invalid' || token.outcome === 'revoked-before';
    const { removed, failed } = await this.s.state.transaction((state, checkpoint) => {
      const target = findInstance(state, id);
      target.loggingOut = { token: tokenDead ? 'revoked' : 'kept', at: this.s.seconds() };
      delete target.revoking;
      return this.s.targets.remove(target, () => true, checkpoint);
    });
    let secretsFailure: LogoutOutcome['secretsFailure'] = null;
    try {
      await this.s.vault.erase(id);
    } catch (error) {
      secretsFailure = { code: errorCode(error), message: (error as Error).message };
    }
    const complete = failed.length === 0 && secretsFailure === null;
    if (complete) {
      await this.s.state.update((state) => {
        state.instances = state.instances.filter((i) => i.id !== id);
      });
    }
    return {
      instance: { id, name: record.name },
      token,
      revoked: token.outcome === 'revoked' || token.outcome === 'revoked-before',
      targetsRemoved: removed.map((r) => r.target),
      targetsFailed: failed,
      secretsForgotten: secretsFailure === null,
      secretsFailure,
      instanceForgotten: complete,
      complete,
    };
  }

  /**
   * The first logout step: the token dies on the server, or the person chose to keep it. Until it
   * is done nothing else is touched, so every failure here leaves everything as it was.
   */
  async #settleServerToken(described: InstanceRecord, keep: boolean): Promise<LogoutOutcome['token']> {
    let record = described;
    let expiresAt = record.token.expiresAt;
    if (record.loggingOut) return { outcome: record.loggingOut.token === 'revoked' ? 'revoked-before' : 'kept-before', expiresAt };
    if (keep) return { outcome: 'kept', expiresAt };
    const unchanged = 'Logout stopped, and nothing was changed: the tool files, the keychain, the instance and the server token are as they were.';
    let secrets: InstanceSecrets | null;
    try {
      secrets = await this.s.vault.read(record.id);
    } catch (error) {
      if (error instanceof VaultError) throw new VaultError(error.code, `${error.message} ${unchanged}`);
      throw error;
    }
    if (!secrets) return { outcome: 'no-secret', expiresAt };
    // The token to revoke is the keychain's: one a killed process stored but never described included.
    if (await catchUpWithKeychain(this.s, record, secrets)) {
      record = findInstance(await this.s.state.load(), record.id);
      expiresAt = record.token.expiresAt;
    }
    if (!record.token.tokenId || record.token.revocable === false) return { outcome: 'not-revocable', expiresAt };
    if (expiresAt !== null && expiresAt <= this.s.seconds() + record.clockOffsetSeconds) return { outcome: 'already-invalid', expiresAt };
    // Tokens replaced before and not revoked yet go first: the current one is the key to them.
    await revokeSuperseded(this.s, record.id, [secrets.accessToken]);
    try {
      const outcome = await revokeWrittenAhead(this.s, record, secrets);
      if (outcome !== 'not-revocable') await this.s.secretsRetired([secrets.accessToken]);
      return { outcome, expiresAt };
    } catch (error) {
      const until = expiresAt === null ? 'for good (it has no expiry)' : `until ${utcMinute(expiresAt)}`;
      throw new ArtikeyError(
        'token-not-revoked',
        `Could not revoke the token of ${record.name} on the server (${redact((error as Error).message)}); nothing was changed. Try again once ${new URL(record.platformUrl).host} answers, or log out on this machine only with: artikey logout ${record.name} --keep-server-token (the token then stays valid ${until}).`,
      );
    }
  }
}
