/**
 * Which Docker registry hosts belong to an instance. Docker passes the host it pulls from; with
 * Artifactory that is the instance host itself (repository path method), a subdomain
 * `<repo>.<host>`, or a port of the host ("Docker Repository URL Formats"). Hosts are compared
 * as exact ASCII labels after URL normalisation, so a name that merely starts or ends like the
 * instance's (`acme-corp.jfrog.io`, `acme.jfrog.io.evil.com`, a Cyrillic `а`) never matches.
 *
 * JFrog SaaS also documents `<instance>-<repo>.jfrog.io`. That name cannot be told apart from
 * another tenant called `<instance>-<repo>` (tenant names may hold dashes), so Artikey neither
 * matches it nor lets it be configured: the repository path form `<instance>.jfrog.io/<repo>`
 * reaches every repository of the instance with one host.
 */

/** Characters no registry host holds; they only make one host look like another. */
const NOT_A_HOST = /[\s@\\%]|\p{Cc}/u;

/**
 * The `host[:port]` of a registry reference (`https://Acme.JFrog.io./v2/` → `acme.jfrog.io`), in
 * lower case, punycode, without a trailing dot or the default port; '' when it is not a host
 * (user info such as `acme.jfrog.io@evil.com`, backslashes, spaces).
 */
export function registryHostOf(server: string): string {
  // Parsed as https whatever the scheme: only special schemes get lower case and punycode.
  const rest = server.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const authority = rest.split(/[/?#]/)[0] ?? '';
  if (authority === '' || NOT_A_HOST.test(authority)) return '';
  let url: URL;
  try {
    url = new URL(`https://${authority}`);
  } catch {
    return '';
  }
  const hostname = url.hostname.replace(/\.$/, '');
  if (hostname === '' || hostname.startsWith('.') || url.username || url.password) return '';
  return url.port ? `${hostname}:${url.port}` : hostname;
}

/**
 * Whether Docker may get the instance's token for `server` without anyone having named that
 * host: the instance host itself, or `<repo>.<host>`, on the instance's own port only.
 */
export function matchesRegistry(instanceHost: string, server: string): boolean {
  const own = split(registryHostOf(instanceHost));
  const host = split(registryHostOf(server));
  if (own === null || host === null || host.port !== own.port) return false;
  return host.name === own.name || isRepositorySubdomain(host.name, own.name);
}

/**
 * Whether a person may name `server` as a Docker host of the instance (`configure docker --host`):
 * what `matchesRegistry` accepts, on any port. JFrog's port method serves repositories on other
 * ports of the same name, and every port of a name is run by whoever runs the name, so no other
 * party can receive the token that way; the port chosen is recorded and matched exactly later.
 */
export function isInstanceRegistryHost(instanceHost: string, server: string): boolean {
  const own = split(registryHostOf(instanceHost));
  const host = split(registryHostOf(server));
  if (own === null || host === null) return false;
  return host.name === own.name || isRepositorySubdomain(host.name, own.name);
}

/** JFrog SaaS's `<instance>-<repo>.jfrog.io`, which may as well be another tenant (see above). */
export function looksLikeSaasSubdomain(instanceHost: string, server: string): boolean {
  const own = split(registryHostOf(instanceHost))?.name ?? '';
  const tenant = /^([a-z0-9-]+)\.jfrog\.io$/.exec(own)?.[1];
  const host = split(registryHostOf(server))?.name ?? '';
  return tenant !== undefined && host.startsWith(`${tenant}-`) && host.endsWith('.jfrog.io');
}

/** Exactly one more DNS label in front of a name (never of an IP address). */
function isRepositorySubdomain(name: string, base: string): boolean {
  if (/^\d+(\.\d+){3}$/.test(base) || base.startsWith('[')) return false;
  if (!name.endsWith(`.${base}`)) return false;
  const label = name.slice(0, -base.length - 1);
  return /^[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?$/.test(label);
}

function split(host: string): { name: string; port: string } | null {
  const match = /^(\[[^\]]*\]|[^:]+)(?::(\d+))?$/.exec(host);
  return match ? { name: match[1]!, port: match[2] ?? '' } : null;
}
