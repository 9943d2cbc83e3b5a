import { AccessError } from '../access.js';
import { parsePlatformAddress, type PlatformAddress } from '../instances.js';
import type { StateData } from '../state.js';
import type { Services } from './services.js';

/**
 * Servers that will not trade a password for a token. A real server creates tokens for Basic
 * credentials only when an admin enabled it, for internal users without MFA (JFrog KB 000006692),
 * so on most the only login that works without a token in hand is the browser's. Once a server
 * refused, its address is remembered (no secret, no instance needed) and the next login to it
 * offers the browser first; a password login that works there again forgets it.
 */

/** What a login screen or prompt should offer first for an address. */
export interface LoginAdvice {
  preferBrowser: boolean;
  /** Why, in words fit to show; null when there is nothing to say. */
  reason: string | null;
}

const reasonFor = (address: PlatformAddress): string => `${new URL(address.platformUrl).host} does not let tools trade a password for a token`;

export const isBasicRefusal = (error: unknown): error is AccessError => error instanceof AccessError && error.code === 'basic-token-creation-disabled';

/** Records that the server at `address` refused; never fails the login it ends (the refusal is what the person needs to hear). */
export async function rememberBasicRefusal(s: Services, address: PlatformAddress): Promise<void> {
  const at = s.seconds();
  await s.state
    .update((state) => {
      forgetBasicRefusal(state, address.id);
      state.basicRefusals.push({ instanceId: address.id, at });
    })
    .catch((error: unknown) => s.log.warn(`could not remember that ${address.id} refuses password logins: ${(error as Error).message}`));
}

/** Inside a transaction: the server at this address took a password after all. */
export function forgetBasicRefusal(state: StateData, instanceId: string): void {
  state.basicRefusals = state.basicRefusals.filter((refusal) => refusal.instanceId !== instanceId);
}

export async function loginAdvice(s: Services, url: string): Promise<LoginAdvice> {
  const parsed = parsePlatformAddress(url);
  if (!parsed.ok) return { preferBrowser: false, reason: null };
  const refused = (await s.state.load()).basicRefusals.some((refusal) => refusal.instanceId === parsed.address.id);
  return refused ? { preferBrowser: true, reason: reasonFor(parsed.address) } : { preferBrowser: false, reason: null };
}
