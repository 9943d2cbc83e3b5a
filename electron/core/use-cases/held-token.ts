import { clockOffset, grantFacts, readClaims } from '../grant-facts.js';
import { findInstance } from '../instances.js';
import type { InstanceRecord, StateData, TokenFacts } from '../state.js';
import { validUntilPhrase } from '../time-phrases.js';
import type { InstanceSecrets } from '../vault.js';
import type { Services } from './services.js';
import { revokeSuperseded, supersede } from './superseded-tokens.js';

/*
 * The keychain is written before the state, so the token it holds is the one Artikey holds. A
 * process killed in between leaves the state describing the token before: whoever next holds the
 * instance's lock finishes that work before acting on "the current token" (handing it out,
 * revoking it, logging out, replacing it), or it would act on a token that is no longer the one.
 */

/** The id of the access token the keychain holds; null for one that carries none (a reference token). */
export function heldTokenId(secrets: InstanceSecrets): string | null {
  try {
    return readClaims(secrets.accessToken).tokenId;
  } catch {
    return null;
  }
}

/** Whether the state describes another token than the keychain holds. */
export function describesOtherToken(record: InstanceRecord, secrets: InstanceSecrets): boolean {
  const held = heldTokenId(secrets);
  return held !== null && held !== record.token.tokenId;
}

/**
 * The state and every tool file holding a copy follow the token the keychain now holds, in one
 * transaction. With `listReplaced`, the token it replaces is listed for revoking.
 */
export function describeHeldToken(s: Services, id: string, facts: TokenFacts, accessToken: string, listReplaced = false): Promise<StateData> {
  return s.state.transaction(async (draft) => {
    const target = findInstance(draft, id);
    const replaced = target.token;
    const pasted = keptAsPasted(target);
    target.token = facts;
    if (listReplaced && !pasted) supersede(target, replaced, s.seconds());
    target.updatedAt = s.seconds();
    target.refreshError = null;
    target.revocation = { status: 'unknown', checkedAt: null };
    target.clockOffsetSeconds = clockOffset(facts, s.seconds());
    await s.targets.rewriteAll(target, { username: target.username ?? '', token: accessToken });
    return draft;
  });
}

/**
 * Under the instance's lock: when the keychain holds another token than the state describes, the
 * state and the tool files follow the keychain's, and the token the state described is revoked:
 * a refresh killed there has had the server revoke it already, but a login killed there left it
 * live, and nothing holds it any more. True when there was something to finish.
 */
export async function catchUpWithKeychain(s: Services, record: InstanceRecord, secrets: InstanceSecrets): Promise<boolean> {
  if (!describesOtherToken(record, secrets)) return false;
  let facts: TokenFacts;
  try {
    facts = grantFacts({ tokenId: null, accessToken: secrets.accessToken, refreshToken: secrets.refreshToken ?? null, expiresIn: null, scope: null, referenceToken: secrets.referenceToken ?? null }, record.username);
  } catch {
    return false; // not a token Artikey can describe: left to the refresh and its checks
  }
  await describeHeldToken(s, record.id, facts, secrets.accessToken, true);
  s.log.info(`${record.id}: finished describing a token an interrupted process had stored`);
  await revokeSuperseded(s, record.id, [secrets.accessToken]);
  await s.record('refresh', record, `Finished a change another Artikey process was stopped in${validUntilPhrase(facts.expiresAt)}`);
  s.emit(record.id, 'refresh');
  return true;
}

/** A pasted token Artikey could not exchange and kept as it is: the person's own, which may serve elsewhere. */
export function keptAsPasted(record: InstanceRecord): boolean {
  return (record.loginMethod === 'access-token' || record.loginMethod === 'reference-token') && !record.token.refreshable;
}
