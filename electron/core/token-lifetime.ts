import type { InstanceRecord, Settings, TokenFacts } from './state.js';
import { duration } from './time-phrases.js';

/*
 * A token's lifetime and how often it is replaced are two settings, because they answer two
 * different threats.
 *
 * - The LIFETIME (default 4 days) is how long a machine may sleep and still wake with a token it
 *   can refresh. A server need not refresh an expired token at all (JFrog's refresh-expiry grace is
 *   "enabled" per one page and 24 hours per another), so a token must outlive the sleep itself:
 *   Friday evening to Tuesday morning is 87 hours.
 * - The ROTATION interval (default 4 hours) bounds a leaked copy while the machine is awake: a
 *   running Artikey (the app or `artikey agent`) refreshes the token that often and revokes the one
 *   it replaced, so a copy taken from a tool file or a process works for about that long, plus the
 *   scheduler's slack (refreshes run up to a tenth of the interval early and retry network errors).
 *   While the machine sleeps nothing rotates: a copy taken just before the lid closed works until
 *   the machine wakes (or the token expires).
 *
 * Before sleeping (the app hears `suspend` and `lock-screen`), a token older than a few minutes is
 * refreshed, so the machine sleeps with a full lifetime; the agent has no such signal, and relies on
 * rotation having kept the token within one interval of a full lifetime.
 *
 * The server may not give what is asked. A shorter token (token.max-expiry) is noted once on the
 * instance ("the server limits tokens to …") and later refreshes ask for no more, instead of
 * failing or warning every Monday; a longer one (a refresh that applied the server's default of a
 * year) is warned about, since the person then holds a token that outlives their setting.
 */

/** Lifetimes within this of each other are the same: `iat` and the server's rounding move them. */
const SAME_LIFETIME_SECONDS = 120;

/** What `lock-screen` and `suspend` leave alone: a token this fresh covers the sleep as well as a new one. */
export const FRESH_ENOUGH_TO_SLEEP_SECONDS = 15 * 60;

/** The lifetime the person wants for this instance's tokens. */
export function wantedLifetime(record: Pick<InstanceRecord, 'tokenLifetimeSeconds'>, settings: Settings): number {
  return record.tokenLifetimeSeconds ?? settings.defaultTokenLifetimeSeconds;
}

/** What to ask the server for: the wanted lifetime, or less where the server gives no more. */
export function lifetimeToAsk(record: Pick<InstanceRecord, 'tokenLifetimeSeconds' | 'lifetimeCapSeconds'>, settings: Settings): number {
  return Math.min(wantedLifetime(record, settings), record.lifetimeCapSeconds ?? Infinity);
}

/** exp − iat; null for a token that never expires or whose times are unknown. */
export function grantedLifetime(token: Pick<TokenFacts, 'issuedAt' | 'expiresAt'>): number | null {
  return token.issuedAt === null || token.expiresAt === null ? null : token.expiresAt - token.issuedAt;
}

/** What the record keeps about the lifetime after the server answered a request for `asked` seconds. */
export interface LifetimeOutcome {
  askedLifetimeSeconds: number;
  /** Set when the server gave less than asked; undefined clears it. */
  lifetimeCapSeconds: number | undefined;
}

export function lifetimeOutcome(asked: number, wanted: number, token: TokenFacts, previousCap: number | undefined): LifetimeOutcome {
  const granted = grantedLifetime(token);
  if (granted === null) return { askedLifetimeSeconds: asked, lifetimeCapSeconds: undefined };
  if (granted < asked - SAME_LIFETIME_SECONDS) return { askedLifetimeSeconds: asked, lifetimeCapSeconds: granted };
  // Asked for the cap and got it: the cap still stands. Got all that is wanted: there is none.
  const cap = previousCap !== undefined && granted < wanted - SAME_LIFETIME_SECONDS ? previousCap : undefined;
  return { askedLifetimeSeconds: asked, lifetimeCapSeconds: cap };
}

/** Writes an outcome on a record (a draft inside a state transaction). */
export function applyLifetimeOutcome(record: InstanceRecord, outcome: LifetimeOutcome): void {
  record.askedLifetimeSeconds = outcome.askedLifetimeSeconds;
  if (outcome.lifetimeCapSeconds === undefined) delete record.lifetimeCapSeconds;
  else record.lifetimeCapSeconds = outcome.lifetimeCapSeconds;
}

/** Whether the current token lives longer than asked: the server ignored the lifetime. */
export function lifetimeIgnored(record: Pick<InstanceRecord, 'token' | 'askedLifetimeSeconds'>): boolean {
  const granted = grantedLifetime(record.token);
  const asked = record.askedLifetimeSeconds;
  return asked !== undefined && (granted === null || granted > asked + SAME_LIFETIME_SECONDS);
}

/** A sentence for the instance (status, window) when the server does not give the lifetime asked; null when it does. */
export function lifetimeNote(record: InstanceRecord, settings: Settings): string | null {
  const wanted = wantedLifetime(record, settings);
  const granted = grantedLifetime(record.token);
  if (lifetimeIgnored(record)) {
    const held = granted === null ? 'never expires' : `lives ${duration(granted)}`;
    return `The server ignored the lifetime Artikey asked for (${duration(record.askedLifetimeSeconds ?? wanted)}): this token ${held}. Artikey still replaces it every ${duration(settings.rotationIntervalSeconds)} and revokes the one it replaced; ask the server's admin about token.default-expiry.`;
  }
  const cap = record.lifetimeCapSeconds;
  if (cap !== undefined && cap < wanted - SAME_LIFETIME_SECONDS) {
    return `The server limits tokens to ${duration(cap)} (Artikey asks for ${duration(wanted)}): after a longer sleep, log in again.`;
  }
  return null;
}

/**
 * Seconds before expiry at which a running Artikey replaces a token: a rotation interval after it
 * was issued, and in any case `lead` before it expires.
 */
export function replaceWithinSeconds(lifetime: number, rotation: number, lead: number): number {
  return Math.max(lead, lifetime - rotation);
}
