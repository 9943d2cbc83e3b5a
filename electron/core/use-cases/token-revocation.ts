import { AccessError } from '../access.js';
import { findInstance } from '../instances.js';
import { redact } from '../logger.js';
import type { InstanceRecord } from '../state.js';
import type { InstanceSecrets } from '../vault.js';
import type { Services } from './services.js';

/*
 * Revoking the token Artikey holds is written ahead: the state first says the token is being
 * revoked (nothing hands it out from then on), then the server is asked, then the caller records
 * the outcome and drops the mark. A process killed after asking leaves the mark, and the next one
 * holding the instance's lock asks again (a second revoke is harmless) and records it; without the
 * mark the files would keep a token the server revoked and Artikey would hand it out.
 */

/** What the server said: it revoked the token, it was dead already, or it lives on and cannot be revoked. */
export type RevokeAnswer = 'revoked' | 'already-invalid' | 'not-revocable';

/**
 * Under the instance's lock: marks the token as being revoked and asks the server. A failure takes
 * the mark back (nothing changed) and is thrown; on success the mark stays for the caller to
 * replace with what it records.
 */
export async function revokeWrittenAhead(s: Services, record: InstanceRecord, secrets: InstanceSecrets): Promise<RevokeAnswer> {
  const tokenId = record.token.tokenId;
  if (!tokenId) throw new Error(`the token of ${record.name} has no id to revoke it by`);
  await setMark(s, record.id, tokenId, true);
  try {
    return await ask(s, record, secrets, tokenId);
  } catch (error) {
    await setMark(s, record.id, tokenId, false);
    throw error;
  }
}

/**
 * Under the instance's lock: finishes a revoke a killed process began, if the state says one is
 * under way for the current token. The token is recorded revoked once the server confirms; if it
 * cannot be asked now, the mark stays (the token is still not handed out). True when there was one.
 */
export async function finishInterruptedRevoke(s: Services, record: InstanceRecord, secrets: InstanceSecrets): Promise<boolean> {
  const tokenId = record.revoking?.tokenId;
  if (!tokenId || tokenId !== record.token.tokenId) return false;
  let answer: RevokeAnswer;
  try {
    answer = await ask(s, record, secrets, tokenId);
  } catch (error) {
    s.log.warn(`${record.id}: could not finish revoking token ${tokenId}: ${redact((error as Error).message)}`);
    return true;
  }
  if (answer === 'not-revocable') {
    await recordNotRevocable(s, record.id, tokenId);
    return true;
  }
  await s.state.update((draft) => {
    const target = draft.instances.find((i) => i.id === record.id);
    if (target?.revoking?.tokenId !== tokenId) return;
    delete target.revoking;
    if (target.token.tokenId === tokenId) target.revocation = { status: 'revoked', checkedAt: s.seconds() };
  });
  await s.secretsRetired([secrets.accessToken]);
  await s.record('revoked', record, 'Finished revoking the token Artikey held, which another Artikey process was stopped in');
  s.emit(record.id, 'revoked');
  return true;
}

/**
 * Revokes the token with itself as the bearer. An id the server does not know it answers 204
 * (REST "Revoke Token by ID"), and it keeps no record of tokens shorter than its persistency
 * threshold (get-by-id is 404 for them: terraform-provider-artifactory's scoped-token warning),
 * which are also too short-lived to be revocable (`revocable-expiry-threshold`, 6 h by default,
 * REST "Create Token"). The bearer was just accepted, so the token is alive: it cannot be revoked,
 * whatever its claims say (`ext`, which would say so, may be missing: issue 15, item 10).
 */
async function ask(s: Services, record: InstanceRecord, secrets: InstanceSecrets, tokenId: string): Promise<RevokeAnswer> {
  try {
    const client = await s.client(record);
    return (await client.revokeToken({ kind: 'bearer', token: secrets.accessToken }, tokenId)) ? 'revoked' : 'not-revocable';
  } catch (error) {
    // The server refusing the token itself means it is dead already: nothing left to revoke.
    if (error instanceof AccessError && (error.code === 'unauthorized' || error.code === 'not-found')) return 'already-invalid';
    // Accepted as the bearer, refused as the one to revoke: a token kept but below the revocable
    // threshold, or one another instance issued (both 400, REST "Revoke Token by ID").
    if (error instanceof AccessError && error.code === 'bad-request') return 'not-revocable';
    throw error;
  }
}

/** Takes back the mark and notes what the server showed: the token lives on and cannot be revoked. */
export async function recordNotRevocable(s: Services, id: string, tokenId: string): Promise<void> {
  await s.state.update((draft) => {
    const target = findInstance(draft, id);
    if (target.revoking?.tokenId === tokenId) delete target.revoking;
    if (target.token.tokenId === tokenId) target.token.revocable = false;
  });
}

async function setMark(s: Services, id: string, tokenId: string, on: boolean): Promise<void> {
  await s.state.update((draft) => {
    const target = findInstance(draft, id);
    if (on) target.revoking = { tokenId, at: s.seconds() };
    else if (target.revoking?.tokenId === tokenId) delete target.revoking;
  });
}
