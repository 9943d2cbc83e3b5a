import { containersAuthFile } from '../../scan/locations.js';
import { invalidOption, type TargetKindDefinition } from './definition.js';
import { credentialHelperKind, type DockerAuthsCleanup } from './docker.js';
import type { PodmanSpec } from './podman-spec.js';

/**
 * Podman, Buildah and Skopeo (containers/image) read Docker's config.json format from their own
 * auth.json, `credHelpers` included, so the entry is Docker's: the hosts go to
 * docker-credential-artikey. The file is the persistent one they read (see `containersAuthFile`).
 */
const helper = credentialHelperKind('podman', {
  tool: 'podman',
  file: 'auth.json',
  defaultPath: containersAuthFile,
});

export const podman: TargetKindDefinition<PodmanSpec, DockerAuthsCleanup> = {
  ...helper,
  fromRequest: (request) => {
    // Asked for the token in the file, the person would otherwise get the helper entry unawares.
    if (request.options.auths)
      throw invalidOption(
        'podman takes no --auths: Artikey writes only the credential helper entry, which keeps no token in auth.json. Leave --auths out.',
      );
    return helper.fromRequest(request);
  },
};
