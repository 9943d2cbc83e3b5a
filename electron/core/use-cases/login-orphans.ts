import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Credentials } from '../access.js';
import { readClaims } from '../grant-facts.js';
import type { PlatformAddress } from '../instances.js';
import type { PendingLogin, StateData } from '../state.js';
import type { Services } from './services.js';

/**
 * Tokens a killed login left on the server. Between the server creating a login's token and the
 * keychain storing it, a process killed (kill -9, a crash, the battery) leaves a live token
 * nobody knows of. So a login first records a marker in the state (write-ahead) and names the
 * token after it; the login that stores or revokes its token removes the marker. A marker left
 * behind by a process that is gone is swept by the next Artikey call that holds a working token
 * of that instance under its lock: it lists the user's tokens and revokes the ones named after
 * the marker.
 */

/**
 * How long a login can take from recording its marker to removing it, and then some: two token
 * requests (15 s each), the instance lock (90 s), the keychain (10 s a call) and the state lock
 * (30 s) all give up well within it. Older, the marker's process is taken for gone even when its
 * id is in use (ids are reused) or it ran on another machine sharing this home folder.
 */
const LONGEST_LOGIN_SECONDS = 60 * 60;

/** Reads well in the JFrog UI's token list: "Artikey on laptop (login 1a2b3c4d)". */
const describedNonce = /\(login ([0-9a-f]{8,})\)$/;

export const tokenDescription = (nonce: string): string => `Artikey on ${hostname()} (login ${nonce})`;

/**
 * Records, before a login asks `address` for a token, that it is about to: returns the nonce to
 * name the token after. Markers whose tokens have expired meanwhile go in the same transaction.
 */
export async function recordPendingLogin(s: Services, address: PlatformAddress, lifetimeSeconds: number): Promise<string> {
  const nonce = randomBytes(4).toString('hex');
  const at = s.seconds();
  await s.state.update((state) => {
    dropExpired(state, at);
    // A server may grant less than asked, never (by default) more: the marker outlives the token.
    state.pendingLogins.push({ instanceId: address.id, platformUrl: address.platformUrl, nonce, at, until: at + lifetimeSeconds + LONGEST_LOGIN_SECONDS, pid: process.pid, host: hostname() });
  });
  return nonce;
}

/** Removes a login's marker inside a transaction that is running already (the one that stores the token). */
export function dropPendingLogin(state: StateData, nonce: string): void {
  state.pendingLogins = state.pendingLogins.filter((pending) => pending.nonce !== nonce);
}

/** Removes a login's marker once its token is gone again; a marker left by a failure here is swept later, never harmful. */
export async function forgetPendingLogin(s: Services, nonce: string): Promise<void> {
  await s.state.update((state) => dropPendingLogin(state, nonce)).catch((error: unknown) => s.log.warn(`could not remove a login's marker: ${(error as Error).message}`));
}

/**
 * Under the instance's lock, holding a working token of it (at the end of a login or refresh):
 * revokes the tokens that logins killed in their window left, then forgets their markers. Never
 * fails the call it ends: a sweep that fails keeps the markers for the next one and warns.
 */
export async function sweepKilledLogins(s: Services, instanceId: string): Promise<void> {
  try {
    const now = s.seconds();
    const state = await s.state.load();
    const stale = state.pendingLogins.filter((pending) => pending.instanceId === instanceId && pending.until > now && gone(pending, now));
    if (stale.length === 0) return;
    const record = state.instances.find((instance) => instance.id === instanceId);
    const secrets = record ? await s.vault.read(instanceId) : null;
    if (!record || !secrets) return;
    const credentials: Credentials = { kind: 'bearer', token: secrets.accessToken };
    // The keychain's token, and the one the state describes (the tool files' copy until the next call catches up).
    const kept = new Set([heldTokenId(secrets.accessToken), record.token.tokenId]);
    const client = await s.client(record);
    const listed = await client.listTokens(credentials);
    const swept: string[] = [];
    let revoked = 0;
    for (const pending of stale) {
      const orphans = listed.filter((token) => describedNonce.exec(token.description ?? '')?.[1] === pending.nonce && !kept.has(token.tokenId));
      try {
        for (const orphan of orphans) if (await client.revokeToken(credentials, orphan.tokenId)) revoked++;
        swept.push(pending.nonce);
      } catch (error) {
        s.log.warn(`could not revoke a token a killed login left on ${instanceId}; trying again next time: ${(error as Error).message}`);
      }
    }
    await s.state.update((draft) => {
      dropExpired(draft, now);
      for (const nonce of swept) dropPendingLogin(draft, nonce);
    });
    if (revoked > 0) s.log.info(`${instanceId}: revoked ${revoked} token(s) a killed login had left on the server`);
  } catch (error) {
    s.log.warn(`could not look for tokens a killed login left on ${instanceId}; trying again next time: ${(error as Error).message}`);
  }
}

/** Whether the login that recorded `pending` can no longer store its token: its process is gone, or it ran far too long ago. */
function gone(pending: PendingLogin, now: number): boolean {
  if (now - pending.at > LONGEST_LOGIN_SECONDS) return true;
  if (pending.host !== hostname()) return false; // another machine's processes cannot be asked
  try {
    process.kill(pending.pid, 0);
    return false;
  } catch (error) {
    // EPERM: running, as another user.
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Markers whose token has expired by now: there is nothing left to sweep, whether or not the instance still exists. */
function dropExpired(state: StateData, now: number): void {
  state.pendingLogins = state.pendingLogins.filter((pending) => pending.until > now);
}

function heldTokenId(accessToken: string): string | null {
  try {
    return readClaims(accessToken).tokenId;
  } catch {
    return null; // a reference token: the state's token id stands for it
  }
}
