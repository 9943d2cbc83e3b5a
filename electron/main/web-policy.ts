/**
 * What the renderer may load and where links may go. The page carries the same policy in a
 * <meta> tag (a file:// page gets no response headers); a test keeps the two identical. The page is our own bundle and nothing
 * else: no remote scripts, no eval, no framing, no outgoing requests except IPC.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "object-src 'none'",
].join('; ');

/**
 * A URL main may hand to the system browser: only https (or http for a local test server) on the
 * host of an instance the user logged in to, without credentials in it. Everything else (file:,
 * javascript:, other hosts) is refused, so a compromised page cannot open arbitrary programs.
 */
export function isAllowedExternalUrl(candidate: string, instanceUrls: string[]): boolean {
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  const local =
    url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) return false;
  return instanceUrls.some((instance) => {
    try {
      const own = new URL(instance);
      return own.protocol === url.protocol && own.host === url.host;
    } catch {
      return false;
    }
  });
}
