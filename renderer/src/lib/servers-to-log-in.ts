import type { FoundCredential } from '../../../electron/ipc/contract.js';

type Found = Pick<FoundCredential, 'instanceId' | 'url' | 'host' | 'kind'>;

/**
 * The servers a scan found credentials for that Artikey is not logged in to, each once, as the
 * address the login form starts from. Files name a server in many shapes (a URL, npm's
 * scheme-less `//host/path/`, a bare host in `.netrc` and Docker's `auths`), none of which
 * `new URL` reads alike; the scanner's host is the server, and the URL says only whether it is
 * plain http.
 */
export function serversToLogIn(found: Found[]): string[] {
  const addresses = found
    .filter((c) => c.instanceId === null && c.kind !== 'env-reference' && c.kind !== 'encrypted')
    .map(addressOf)
    .filter((address) => address !== null);
  return [...new Set(addresses)];
}

function addressOf({ url, host }: Found): string | null {
  if (host === null || host === '') return null;
  const scheme = url !== null && /^http:\/\//i.test(url) ? 'http' : 'https';
  return `${scheme}://${host}`;
}
