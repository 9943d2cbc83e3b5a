import { AccessError } from '../access.js';
import { ArtikeyError } from '../errors.js';
import { parsePlatformAddress } from '../instances.js';
import type { Environment } from '../paths.js';
import type { Audit } from './audit.js';
import type { BrowserLoginRequest, LoginOutcome, Logins } from './login.js';

export interface MigrationLogin extends LoginOutcome {
  /** How Artikey got in: with the API key found in the files, or through the browser after the server refused it. */
  via: 'api-key' | 'browser';
}

/**
 * The way in for migrating a server Artikey is not logged in to yet, not depending on the API
 * key found in its files: JFrog documents no token creation with an API key, and API-key use can
 * be switched off (the "Disable API Key Usage" checkbox of cloud 7.107.1+, the self-hosted
 * `disable-api-key-authentication` flag; JFrog "API Key Deprecation Process"). Each key found
 * is tried once; when the server refuses it (401 or 403, to the key itself or to creating a token
 * with it) the person logs in through the browser, and the migration replaces the files with
 * Artikey's entries all the same.
 */
export async function logInToMigrate(logins: Logins, audit: Audit, request: BrowserLoginRequest, environment: Environment): Promise<MigrationLogin> {
  const parsed = parsePlatformAddress(request.url);
  if (!parsed.ok) throw new ArtikeyError('invalid-address', parsed.problem.message);
  const { found, apiKeys } = await audit.foundForUnknownServer(parsed.address.registryHost, environment);
  if (found === 0) {
    throw new ArtikeyError('instance-not-found', `No plain-text credentials of ${parsed.address.registryHost} were found, so there is nothing to migrate. To log in anyway: artikey login ${request.url}`);
  }
  let refused = false;
  for (const apiKey of apiKeys) {
    try {
      return { ...(await logins.withApiKey({ ...request, apiKey })), via: 'api-key' };
    } catch (error) {
      if (!refusesKey(error)) throw error;
      refused = true;
    }
  }
  const outcome = await logins.withBrowser(request);
  if (refused) outcome.notes.unshift('The server refused the API key found in your files (API keys may be switched off there, or not allowed to create tokens), so you logged in through the browser instead.');
  return { ...outcome, via: 'browser' };
}

/**
 * The server's no to the key (sent alone, in X-JFrog-Art-Api), as opposed to a server that could
 * not be reached or a keychain that is locked, which the browser would not get past either.
 */
function refusesKey(error: unknown): boolean {
  return error instanceof AccessError && (error.status === 401 || error.status === 403);
}
