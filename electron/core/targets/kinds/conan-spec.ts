import { isString, type SpecFieldsCheck } from './spec-fields.js';

/**
 * Conan 2's `credentials.json`: `{"remote": <name>, "user", "password": <token>}`. The remote it
 * names is written beside it in `remotes.json` (`ConanRemoteSpec`), with and never without it.
 */
export interface ConanSpec {
  kind: 'conan';
  path: string;
  /** The remote's name in both files (`conan install -r <name>`). */
  remoteName: string;
  /** `<artifactory>/api/conan/<repo>`. */
  url: string;
  /** The remotes.json of the same Conan home. */
  remotesPath: string;
}

/** Conan 2's `remotes.json` entry `{"name", "url", "verify_ssl"}`: no secret. */
export interface ConanRemoteSpec {
  kind: 'conan-remote';
  path: string;
  remoteName: string;
  url: string;
}

/** The spec read back from the state file (see SpecFieldsCheck: this module loads no writer). */
export const hasConanFields: SpecFieldsCheck = (value) =>
  isString(value['remoteName']) && isString(value['url']) && isString(value['remotesPath']);

export const hasConanRemoteFields: SpecFieldsCheck = (value) =>
  isString(value['remoteName']) && isString(value['url']);
