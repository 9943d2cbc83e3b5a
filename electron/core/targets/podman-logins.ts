import type { Environment } from '../paths.js';
import type { PublicCredential } from '../scan/credential.js';
import { podmanFiles } from '../scan/locations.js';
import type { PodmanSpec } from './kinds/podman-spec.js';

/**
 * Podman stops at the first auth.json holding anything for the registry (containers/image
 * `getCredentialsFromAuthFiles`), so a `podman login` in the tmpfs file it reads first wins over
 * Artikey's entry in the persistent one until a reboot: one line per such login, saying what to do.
 */
export function loginsAhead(
  target: PodmanSpec,
  found: PublicCredential[],
  environment: Environment,
  instance: string,
): string[] {
  const files = podmanFiles(environment);
  const own = files.indexOf(target.path);
  return found
    .filter(
      (c) =>
        c.tool === 'podman' &&
        c.host !== null &&
        target.hosts.includes(c.host) &&
        files.indexOf(c.file) >= 0 &&
        (own < 0 || files.indexOf(c.file) < own),
    )
    .map(
      (c) =>
        `podman reads ${c.file} first, and its login for ${c.host ?? ''}${c.line === null ? '' : ` (line ${String(c.line)})`} wins over Artikey's entry: run \`podman logout ${c.host ?? ''}\` or \`artikey migrate ${instance}\` to replace it.`,
    );
}
