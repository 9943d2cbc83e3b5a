import { isString, type SpecFieldsCheck } from './spec-fields.js';

/**
 * Bun's global `.bunfig.toml`: `[install] registry = { url, token }` (every package), or with a
 * scope `[install.scopes] "@scope" = { url, token }`; Bun sends the token as a Bearer token.
 */
export interface BunSpec {
  kind: 'bun';
  path: string;
  registryUrl: string;
  /** `@acme`, or null for Bun's default registry. */
  scope: string | null;
}

/** The spec read back from the state file (see SpecFieldsCheck: this module loads no writer). */
export const hasBunFields: SpecFieldsCheck = (value) =>
  isString(value['registryUrl']) && (value['scope'] === null || isString(value['scope']));
