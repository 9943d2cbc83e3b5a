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
 * A URL main may hand to the system browser: http(s) on the scheme and host of an instance the
 * user chose, without credentials in it. Everything else (file:, javascript:, other hosts, an
 * https instance's host over plain http) is refused, so a compromised page cannot open
 * arbitrary programs or send people elsewhere.
 */
export function isAllowedExternalUrl(candidate: string, instanceUrls: string[]): boolean {
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return false;
  return instanceUrls.some((instance) => {
    try {
      const own = new URL(instance);
      return own.protocol === url.protocol && own.host === url.host;
    } catch {
      return false;
    }
  });
}
