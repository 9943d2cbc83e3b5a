/**
 * The containers auth.json that Podman, Buildah and Skopeo read (containers-auth.json(5)):
 * `credHelpers` sends them to Artikey's Docker credential helper for the instance's registry
 * hosts, so the file holds no token. Its fields are the Docker helper's, and so is their check.
 */
export interface PodmanSpec {
  kind: 'podman';
  path: string;
  hosts: string[];
}

export { hasDockerFields as hasPodmanFields } from './docker-spec.js';
