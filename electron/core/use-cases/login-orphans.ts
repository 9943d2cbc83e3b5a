import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { AccessError, type AccessClient, type Credentials } from '../access.js';
import type { PlatformAddress } from '../instances.js';
import type { InstanceRecord, PendingLogin, StateData, TokenFacts } from '../state.js';
import { heldTokenId } from './held-token.js';
import type { Services } from './services.js';

/**
 * Tokens a killed login left on the server. Between the server creating a login's token and the
 * keychain storing it, a process killed (kill -9, a crash, the battery) leaves a live token
 * nobody knows of; between storing it and revoking the token it replaced, it leaves that one
 * live. So a login first records a marker in the state (write-ahead) naming the token it will
 * replace, and names its new token after the marker; the login removes the marker once its token
 * is stored and the replaced one revoked (or its own revoked again). A browser login also names
 * the long-lived token the browser handed it, which it trades for its own and then revokes. A
 * marker left behind by a
 * process that is gone is swept by the next Artikey call that holds a working token of that
 * instance under its lock: it lists the user's tokens, revokes the ones named after the marker
 * and the one the marker says was being replaced, unless the keychain or the state holds it.
 */

/**
 * How long a login can take from recording its marker to removing it, and then some: two token
 * requests (15 s each), the instance lock (90 s), the keychain (10 s a call) and the state lock
 * (30 s) all give up well within it. Older, the marker's process is taken for gone even when its
 * id is in use (ids are reused) or it ran on another machine sharing this home folder.
 */
const LONGEST_LOGIN_SECONDS = 60 * 60;

/**
 * A killed login's request may still be on its way, or being worked on by the server, after the
 * process is gone: a marker whose token is not listed yet is kept this long (twenty times the
 * client's own 15 s timeout) before the sweep concludes the server never created one.
 */
const IN_FLIGHT_SECONDS = 5 * 60;

/** Reads well in the JFrog UI's token list: "Artikey on laptop (login 1a2b3c4d)". */
const describedNonce = /\(login ([0-9a-f]{8,})\)$/;

export const tokenDescription = (nonce: string): string => `Artikey on ${hostname()} (login ${nonce})`;

/** A token the login holds and revokes once its own is stored, with its expiry (seconds since the epoch; null: never). */
export interface HandedOutToken {
  tokenId: string;
  expiresAt: number | null;
}

/**
 * Records, before a login asks `address` for a token, that it is about to, and which of the
 * instance's tokens it will revoke once its own is stored (`retired` picks it from the instance
 * as the state has it now), and which token it was handed to buy its own with (`handedOut`).
 * Returns the nonce to name the new token after. Markers whose tokens have expired meanwhile go
 * in the same transaction.
 */
export async function recordPendingLogin(s: Services, address: PlatformAddress, lifetimeSeconds: number, retired: (existing: InstanceRecord | undefined) => TokenFacts | null, handedOut: HandedOutToken | null = null): Promise<string> {
  const nonce = randomBytes(4).toString('hex');
  const at = s.seconds();
  await s.state.update((state) => {
    dropExpired(state, at);
    const replaced = retired(state.instances.find((instance) => instance.id === address.id));
    // A server may grant less than asked, never (by default) more: the marker outlives both tokens.
    // A handed-out token that never expires keeps the marker until a sweep has revoked it.
    const handedOutUntil = handedOut ? (handedOut.expiresAt ?? Number.MAX_SAFE_INTEGER - LONGEST_LOGIN_SECONDS) : 0;
    const until = Math.max(at + lifetimeSeconds, replaced?.expiresAt ?? 0, handedOutUntil) + LONGEST_LOGIN_SECONDS;
    state.pendingLogins.push({ instanceId: address.id, platformUrl: address.platformUrl, nonce, replaces: replaced?.tokenId ?? null, handedOut: handedOut?.tokenId ?? null, at, until, pid: process.pid, host: hostname() });
  });
  return nonce;
}

function dropPendingLogin(state: StateData, nonce: string): void {
  state.pendingLogins = state.pendingLogins.filter((pending) => pending.nonce !== nonce);
}

/** Removes a login's marker once its work is done; a marker left by a failure here is swept later, never harmful. */
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
    const kept = new Set([heldTokenId(secrets), record.token.tokenId]);
    const client = await s.client(record);
    const listed = await client.listTokens(credentials);
    const swept: string[] = [];
    let revoked = 0;
    for (const pending of stale) {
      const named = listed.filter((token) => describedNonce.exec(token.description ?? '')?.[1] === pending.nonce).map((token) => token.tokenId);
      const orphans = named.filter((id) => !kept.has(id));
      // Listed or not (the server may not list another user's): revoked by id, as the login would have.
      for (const held of [pending.replaces, pending.handedOut]) if (held && !kept.has(held) && !orphans.includes(held)) orphans.push(held);
      try {
        for (const orphan of orphans) if (await revokeIfAllowed(client, credentials, orphan)) revoked++;
        if (named.length > 0 || now - pending.at > IN_FLIGHT_SECONDS) swept.push(pending.nonce);
      } catch (error) {
        s.log.warn(`could not revoke a token a killed login left on ${instanceId}; trying again next time: ${(error as Error).message}`);
      }
    }
    await s.state.update((draft) => {
      dropExpired(draft, now);
      for (const nonce of swept) dropPendingLogin(draft, nonce);
    });
    if (revoked > 0) await s.record('revoked', record, `Revoked ${revoked} token(s) left on the server by a login that was stopped before it finished`);
  } catch (error) {
    s.log.warn(`could not look for tokens a killed login left on ${instanceId}; trying again next time: ${(error as Error).message}`);
  }
}

/** False when the server did not know the token, or will not let this user revoke it (another user's, after a change of user): nothing more can be done. */
async function revokeIfAllowed(client: AccessClient, credentials: Credentials, tokenId: string): Promise<boolean> {
  try {
    return await client.revokeToken(credentials, tokenId);
  } catch (error) {
    if (error instanceof AccessError && (error.status === 403 || error.status === 404)) return false;
    throw error;
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
