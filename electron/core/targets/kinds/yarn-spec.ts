import { isString, type SpecFieldsCheck } from './spec-fields.js';

/**
 * `~/.yarnrc.yml` (Yarn Berry): the registry's `npmAuthToken` with `npmAlwaysAuth` under
 * `npmRegistries[registryKey]`, and on request `npmRegistryServer`, for every package or for one
 * scope (`npmScopes.<scope>`).
 */
export interface YarnSpec {
  kind: 'yarn';
  path: string;
  /** The registry's URL, with the trailing slash, as `npmRegistryServer` would hold it. */
  registryUrl: string;
  /** The `npmRegistries` key the entry goes under: `//host/path/`, or the key migrate adopted. */
  registryKey: string;
  /** Yarn's scope name, without the `@` (`npmScopes.acme`). */
  scope: string | null;
  setRegistry: boolean;
}

/** The spec read back from the state file (see SpecFieldsCheck: this module loads no writer). */
export const hasYarnFields: SpecFieldsCheck = (value) =>
  isString(value['registryUrl']) &&
  isString(value['registryKey']) &&
  (value['scope'] === null || isString(value['scope'])) &&
  typeof value['setRegistry'] === 'boolean';
