import { AccessError } from '../access.js';
import { errorCode } from '../errors.js';
import { redact } from '../logger.js';
import type { InstanceRecord, TokenFacts } from '../state.js';
import { utcMinute } from '../time-phrases.js';
import type { Services } from './services.js';

/*
 * A token an instance held before its current one (replaced by a login, or by finishing a store
 * a killed login left) is listed on the record in the same transaction that replaces it, and
 * revoked on the server afterwards. A process killed in between leaves it listed, and the next
 * one to use the instance revokes it: a replaced token never stays live with nobody knowing.
 */

/**
 * Lists `replaced` on `record` (a draft inside a state transaction) for revoking, unless there is
 * nothing to revoke: no id, the current token, not revocable, or expired.
 */
export function supersede(record: InstanceRecord, replaced: TokenFacts, nowSeconds: number): void {
  const id = replaced.tokenId;
  if (!id || id === record.token.tokenId || replaced.revocable === false) return;
  if (replaced.expiresAt !== null && replaced.expiresAt <= nowSeconds + record.clockOffsetSeconds) return;
  const listed = record.superseded ?? [];
  if (listed.some((entry) => entry.tokenId === id)) return;
  record.superseded = [...listed, { tokenId: id, expiresAt: replaced.expiresAt }];
}

/**
 * Revokes the instance's listed superseded tokens with the first of `bearers` the server takes
 * (a change of user may leave only the old user's token able to revoke the old user's tokens),
 * and drops those done, gone or expired. One that cannot be revoked now stays listed for the next
 * call; one the server forbids is dropped. Returns a sentence per token left live, for the person.
 */
export async function revokeSuperseded(s: Services, instanceId: string, bearers: (string | undefined)[]): Promise<string[]> {
  const state = await s.state.load();
  const record = state.instances.find((i) => i.id === instanceId);
  const listed = record?.superseded ?? [];
  if (!record || listed.length === 0) return [];
  const usable = bearers.filter((token): token is string => Boolean(token));
  const settled = new Set<string>();
  const notes: string[] = [];
  const client = await s.client(record);
  for (const { tokenId, expiresAt } of listed) {
    if (expiresAt !== null && expiresAt <= s.seconds() + record.clockOffsetSeconds) {
      settled.add(tokenId);
      continue;
    }
    let failure: unknown = new Error('no token to ask with');
    for (const token of usable) {
      try {
        await client.revokeToken({ kind: 'bearer', token }, tokenId);
        failure = undefined;
        break;
      } catch (error) {
        failure = error;
        if (error instanceof AccessError && error.code === 'not-found') break;
      }
    }
    const gone = failure instanceof AccessError && failure.code === 'not-found';
    const forbidden = failure instanceof AccessError && failure.code === 'forbidden';
    // 400: kept but below the revocable threshold, or issued by another instance (REST "Revoke
    // Token by ID"); asking again changes nothing. Without `ext` Artikey could not know before.
    const unrevocable = failure instanceof AccessError && failure.code === 'bad-request';
    if (failure === undefined || gone || forbidden || unrevocable) settled.add(tokenId);
    if (unrevocable) {
      const until = expiresAt === null ? 'for good (it has no expiry)' : `until ${utcMinute(expiresAt)}`;
      notes.push(`The server cannot revoke the token this login replaced (${tokenId}): it stays valid ${until}.`);
    } else if (failure !== undefined && !gone) {
      s.log.warn(`${instanceId}: could not revoke replaced token ${tokenId} (${errorCode(failure)}): ${redact((failure as Error).message)}`);
      notes.push(`Could not revoke the token this login replaced (${tokenId}): ${redact((failure as Error).message)}. ${forbidden ? 'Revoke it in the JFrog UI.' : 'Artikey tries again next time; or revoke it in the JFrog UI.'}`);
    }
  }
  if (settled.size > 0) {
    await s.state.update((draft) => {
      const target = draft.instances.find((i) => i.id === instanceId);
      if (!target?.superseded) return;
      const left = target.superseded.filter((entry) => !settled.has(entry.tokenId));
      if (left.length > 0) target.superseded = left;
      else delete target.superseded;
    });
  }
  return notes;
}
