import { containersAuthFile } from '../../scan/locations.js';
import type { DockerAuthsCleanup } from './docker.js';
import { credentialHelperKind } from './docker.js';
import type { TargetKindDefinition } from './definition.js';
import type { PodmanSpec } from './podman-spec.js';

/**
 * Podman, Buildah and Skopeo (containers/image) read Docker's config.json format from their own
 * auth.json, `credHelpers` included, so the entry is Docker's: the hosts go to
 * docker-credential-artikey. The file is the persistent one they read (see `containersAuthFile`).
 */
export const podman: TargetKindDefinition<PodmanSpec, DockerAuthsCleanup> = credentialHelperKind(
  'podman',
  { tool: 'podman', file: 'auth.json', defaultPath: containersAuthFile },
);
