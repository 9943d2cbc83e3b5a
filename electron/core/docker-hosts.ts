/**
 * Which instance a Docker registry host belongs to. Docker passes the host it pulls from; with
 * Artifactory that is the instance host itself (repository path method), a subdomain
 * `<repo>.<host>`, or on SaaS `<instance>-<repo>.jfrog.io`.
 */
export function registryHostOf(server: string): string {
  const trimmed = server.trim().toLowerCase();
  const withoutScheme = trimmed.replace(/^[a-z]+:\/\//, '');
  return withoutScheme.split('/')[0] ?? '';
}

export function matchesRegistry(instanceHost: string, server: string): boolean {
  const host = registryHostOf(server);
  const own = instanceHost.toLowerCase();
  if (host === own || host.endsWith(`.${own}`)) return true;
  const saas = /^([a-z0-9-]+)\.jfrog\.io$/.exec(own);
  return saas?.[1] !== undefined && new RegExp(`^${saas[1]}-[a-z0-9-]+\\.jfrog\\.io$`).test(host);
}
