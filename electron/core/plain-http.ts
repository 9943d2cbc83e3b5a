import { isIP } from 'node:net';

/** True for names and addresses that never leave this machine (RFC 6761 `localhost`, 127/8, ::1). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  // URL writes an IPv4-mapped address in hex: ::ffff:127.0.0.1 becomes ::ffff:7f00:1.
  if (isIP(host) === 6) return host === '::1' || /^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(host);
  return false;
}

/**
 * What to tell the person about an instance reached over plain HTTP on another machine: every
 * token (and a password at login) crosses the network readable by anyone on the way, a proxy
 * included. Null for https:// and for this machine's own addresses.
 */
export function plainHttpWarning(platformUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(platformUrl);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' || isLoopbackHost(url.hostname)) return null;
  return `${url.host} is reached over plain http://: anyone on the way, a proxy included, can read the tokens Artikey sends it. Use its https:// address if it has one.`;
}
