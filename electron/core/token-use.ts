import { ArtikeyError } from './errors.js';
import type { InstanceRecord, TokenFacts } from './state.js';

/**
 * The one rule for handing out an instance's token, whoever asks: `artikey token`, the Docker
 * helper (from the state file alone), the agent's in-memory answer, the window's Copy and Show
 * token. A token Artikey knows is dead is refused with `login-required`; one that is due is
 * refreshed first where it can be. Kept free of HTTP, crypto and the keychain, so the helper's
 * fast path stays fast.
 */

/** What the rule reads: an instance's record in the state, or the view made of it. */
export type TokenHolder = Pick<
  InstanceRecord,
  'name' | 'platformUrl' | 'token' | 'revocation' | 'refreshError' | 'revoking'
>;

/** Hand it out, refresh it first, or refuse it (the error says why and what to do). */
export type TokenUse = 'serve' | 'refresh' | ArtikeyError;

/**
 * `refreshWithinSeconds`: the caller wants a token good for that long and will refresh one that
 * is not. Without it (a refresh was just tried) a token is served as it is, unless it is dead.
 * `nowSeconds` is the server's clock, as the token's expiry is.
 */
export function tokenUse(
  holder: TokenHolder,
  nowSeconds: number,
  options: { refreshWithinSeconds?: number } = {},
): TokenUse {
  // Neither can be cured by a refresh: a revoked token's refresh token dies with it.
  if (holder.revocation.status === 'revoked') return refusal(holder, 'was revoked');
  if (holder.revoking?.tokenId === holder.token.tokenId) return refusal(holder, 'is being revoked');
  if (holder.refreshError?.code === 'login-required')
    return refusal(holder, 'can no longer be refreshed');
  if (
    options.refreshWithinSeconds !== undefined &&
    !freshEnough(holder.token, nowSeconds, options.refreshWithinSeconds)
  )
    return 'refresh';
  if (holder.token.expiresAt !== null && holder.token.expiresAt <= nowSeconds)
    return refusal(
      holder,
      holder.token.refreshable
        ? 'expired, and refreshing it brought no valid one'
        : 'expired and cannot be refreshed',
    );
  return 'serve';
}

function refusal(holder: TokenHolder, why: string): ArtikeyError {
  return new ArtikeyError(
    'login-required',
    `The token of ${holder.name} ${why}; log in again to ${holder.name}: artikey login ${holder.platformUrl}`,
  );
}

/** Refresh when fewer than this many seconds are left: the wanted margin, at most a third of the token's life (else every call would refresh). */
export function refreshMargin(token: TokenFacts, minimumSeconds: number): number {
  return token.issuedAt !== null && token.expiresAt !== null
    ? Math.min(minimumSeconds, Math.floor((token.expiresAt - token.issuedAt) / 3))
    : minimumSeconds;
}

/** The token is good for the margin (or needs no refresh because it cannot have one). */
function freshEnough(token: TokenFacts, nowSeconds: number, minimumSeconds: number): boolean {
  return (
    !token.refreshable ||
    token.expiresAt === null ||
    token.expiresAt - nowSeconds >= refreshMargin(token, minimumSeconds)
  );
}
