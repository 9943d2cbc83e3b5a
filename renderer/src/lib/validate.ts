/**
 * Form checks the page can make before asking main; main parses again and has the final word
 * (its errors are shown as they come). Each returns the message to show, or null when fine.
 */
export function checkUrl(text: string): string | null {
  const value = text.trim();
  if (value === '')
    return 'Enter the address of your Artifactory, for example https://acme.jfrog.io.';
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `https://${value}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return 'That is not a web address. Use the form https://acme.jfrog.io.';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return 'Use an https:// (or http://) address.';
  if (url.hostname === '' || /\s/.test(value)) return 'That address has no host name.';
  if (url.username || url.password)
    return 'Leave the user name out of the address; Artikey asks for it separately.';
  return null;
}

/** The address as the core expects it: a scheme is added when the person left it out. */
export const normalizeUrl = (text: string): string => {
  const value = text.trim();
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `https://${value}`;
};

export function checkRequired(text: string, what: string): string | null {
  return text.trim() === '' ? `Enter ${what}.` : null;
}

export function checkName(text: string): string | null {
  const value = text.trim();
  if (value === '') return 'A name needs at least one character.';
  if (value.length > 80) return 'Keep the name to 80 characters.';
  return null;
}

/** A pasted token: JFrog access tokens are JWTs; reference tokens are 64 URL-safe characters. */
export function tokenKind(text: string): 'access-token' | 'reference-token' | null {
  const value = text.trim();
  if (/^eyJ[\w-]+\.[\w-]+\.[\w-]*$/.test(value)) return 'access-token';
  if (/^[A-Za-z0-9_-]{40,128}$/.test(value)) return 'reference-token';
  return null;
}

export function checkToken(text: string): string | null {
  if (text.trim() === '') return 'Paste the token.';
  return tokenKind(text) === null
    ? 'That does not look like an Artifactory token (an access token starts with "eyJ"; a reference token is about 64 letters and digits).'
    : null;
}

export function checkProxy(text: string): string | null {
  const value = text.trim();
  if (value === '') return null;
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      return 'A proxy address starts with http:// or https://.';
    if (url.pathname !== '/' && url.pathname !== '')
      return 'A proxy address has no path: http://proxy.example.com:3128.';
    return null;
  } catch {
    return 'That is not a proxy address. Use the form http://proxy.example.com:3128.';
  }
}

/**
 * The host a password would travel to unencrypted: plain http:// to a machine other than this
 * one (main warns the same way once the instance exists). Null when the address is safe or unclear.
 */
export function plainHttpHost(text: string): string | null {
  let url: URL;
  try {
    url = new URL(normalizeUrl(text));
  } catch {
    return null;
  }
  if (url.protocol !== 'http:') return null;
  const host = url.hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
  const loopback =
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    /^127\.\d+\.\d+\.\d+$/.test(host) ||
    host === '::1' ||
    /^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(host);
  return loopback ? null : url.host;
}

/** The host of an address, for saying where a link points; the text itself when it has none. */
export function hostOf(text: string): string {
  try {
    return new URL(normalizeUrl(text)).host || text;
  } catch {
    return text;
  }
}
