import { isString, type SpecFieldsCheck } from './spec-fields.js';

/**
 * `~/.npmrc`: the registry's `_authToken` (npm, pnpm and yarn 1 send it as a Bearer token), and
 * on request the registry itself, for every package or for one scope.
 */
export interface NpmSpec {
  kind: 'npm';
  path: string;
  registryUrl: string;
  scope: string | null;
  setRegistry: boolean;
}

/** The spec read back from the state file (see SpecFieldsCheck: this module loads no writer). */
export const hasNpmFields: SpecFieldsCheck = (value) =>
  isString(value['registryUrl']) &&
  (value['scope'] === null || isString(value['scope'])) &&
  typeof value['setRegistry'] === 'boolean';
