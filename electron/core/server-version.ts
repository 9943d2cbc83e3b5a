import { ArtikeyError } from './errors.js';

/**
 * The Artifactory releases that brought what Artikey uses, so that a login on an older server
 * says which release it needs instead of failing on an endpoint that is not there. Sources: REST
 * "Create Token" (7.21.1; Basic credentials from 7.63.2), "Refresh Token" (7.37.9), "Get Token by
 * ID" (`me` from 7.53.1), jfrog-cli-core `weblogin.go` (browser login from 7.64.0).
 */
const NEEDS = {
  'tokens-api': { since: '7.21.1', what: 'Artikey' },
  refresh: { since: '7.37.9', what: 'refreshing tokens' },
  'current-token': { since: '7.53.1', what: 'asking about the current token' },
  'password-login': { since: '7.63.2', what: 'logging in with a user name and password' },
  'browser-login': { since: '7.64.0', what: 'browser login' },
} as const;

export type ServerFeature = keyof typeof NEEDS;

/** `7.104.5` → [7, 104, 5]; null for anything else ("unknown", a build name). */
function parts(version: string): [number, number, number] | null {
  const found = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(version.trim());
  return found ? [Number(found[1]), Number(found[2]), Number(found[3] ?? 0)] : null;
}

/** True only when the version is known and older than the feature: an unknown one gets the benefit of the doubt. */
export function lacks(version: string, feature: ServerFeature): boolean {
  const have = parts(version);
  const need = parts(NEEDS[feature].since);
  if (!have || !need) return false;
  for (let i = 0; i < 3; i++) if (have[i] !== need[i]) return (have[i] ?? 0) < (need[i] ?? 0);
  return false;
}

/** `7.64.0` → `7.64`: the figure people know a release by. */
const shown = (since: string): string => since.replace(/\.0$/, '');

/** "This server is 7.40.2: browser login needs 7.64 or newer" */
export function whatItLacks(version: string, feature: ServerFeature): string {
  const { since, what } = NEEDS[feature];
  return `This server is ${version}: ${what} needs ${shown(since)} or newer`;
}

/** How a person can still log in to a server of this version, for the advice after a refusal. */
function otherWays(version: string, refused: ServerFeature): string {
  const ways = ['use a token (artikey login <url> --token, or paste one in the window)'];
  if (refused !== 'browser-login' && !lacks(version, 'browser-login')) ways.push('or log in through the browser');
  if (refused !== 'password-login' && !lacks(version, 'password-login')) ways.push('or your user name and password');
  return ways.join(' ');
}

/** Refuses a login the server is too old for, saying what it needs and what works instead. */
export function requireFeature(version: string, feature: ServerFeature): void {
  if (!lacks(version, feature)) return;
  const advice = feature === 'tokens-api' ? 'ask your admin to upgrade it' : otherWays(version, feature);
  throw new ArtikeyError('server-too-old', `${whatItLacks(version, feature)}; ${advice}.`);
}
