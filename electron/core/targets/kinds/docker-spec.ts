import { isString, type SpecFieldsCheck } from './spec-fields.js';

/**
 * Docker's config.json, in two modes: `credHelpers` sends Docker to Artikey's helper for the
 * instance's registry hosts (no token in the file), or `auths` holds the token itself.
 */
export interface DockerHelperSpec {
  kind: 'docker-helper';
  path: string;
  hosts: string[];
}
export interface DockerAuthsSpec {
  kind: 'docker-auths';
  path: string;
  hosts: string[];
}

/** The spec read back from the state file (see SpecFieldsCheck: this module loads no writer). */
export const hasDockerFields: SpecFieldsCheck = (value) =>
  Array.isArray(value['hosts']) && value['hosts'].every(isString);
