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

/** What the server said: it revoked the token, or it was dead already. */
export type RevokeAnswer = 'revoked' | 'already-invalid';

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
  try {
    await ask(s, record, secrets, tokenId);
  } catch (error) {
    s.log.warn(`${record.id}: could not finish revoking token ${tokenId}: ${redact((error as Error).message)}`);
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

async function ask(s: Services, record: InstanceRecord, secrets: InstanceSecrets, tokenId: string): Promise<RevokeAnswer> {
  try {
    const client = await s.client(record);
    return (await client.revokeToken({ kind: 'bearer', token: secrets.accessToken }, tokenId)) ? 'revoked' : 'already-invalid';
  } catch (error) {
    // The server refusing the token itself means it is dead already: nothing left to revoke.
    if (error instanceof AccessError && (error.code === 'unauthorized' || error.code === 'not-found')) return 'already-invalid';
    throw error;
  }
}

async function setMark(s: Services, id: string, tokenId: string, on: boolean): Promise<void> {
  await s.state.update((draft) => {
    const target = findInstance(draft, id);
    if (on) target.revoking = { tokenId, at: s.seconds() };
    else if (target.revoking?.tokenId === tokenId) delete target.revoking;
  });
}
