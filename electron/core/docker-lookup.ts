import {
  isInstanceRegistryHost,
  looksLikeSaasSubdomain,
  matchesRegistry,
  registryHostOf,
} from './docker-hosts.js';
import type { InstanceRecord } from './state.js';

/**
 * Which instance answers for a Docker registry host (whether its token may be handed out is
 * token-use's rule). Kept free of HTTP and crypto so the credential helper, which Docker runs
 * for every pull, can answer from the state file and the keychain without loading the rest of
 * the core.
 */
export const DOCKER_MARGIN_SECONDS = 300;

export function instanceForRegistry(
  instances: InstanceRecord[],
  server: string,
): InstanceRecord | undefined {
  const host = registryHostOf(server);
  if (host === '') return undefined;
  // A recorded host counts only while it still passes configure's check: a state file written
  // before hosts were compared by labels may hold another tenant's host.
  const recorded = (i: InstanceRecord): boolean =>
    isInstanceRegistryHost(i.platformUrl, host) &&
    !looksLikeSaasSubdomain(i.platformUrl, host) &&
    i.targets.some(
      (t) =>
        (t.kind === 'docker-helper' || t.kind === 'docker-auths' || t.kind === 'podman') &&
        t.hosts.includes(host),
    );
  return (
    instances.find(recorded) ??
    instances.find((i) => matchesRegistry(registryHostOf(i.platformUrl), server))
  );
}
