import { isString, type SpecFieldsCheck } from './spec-fields.js';

/**
 * Cargo's `credentials.toml`: `[registries.<name>] token = "Bearer <token>"`. The registry it
 * names is written beside it in `config.toml` (`CargoRegistrySpec`), with and never without it.
 */
export interface CargoSpec {
  kind: 'cargo';
  path: string;
  /** The name crates use (`registry = "artifactory"` in Cargo.toml) in both files. */
  registryName: string;
  /** `sparse+<artifactory>/api/cargo/<repo>/index/`. */
  indexUrl: string;
  /** The config file the registry goes into, in the same Cargo home. */
  configPath: string;
}

/**
 * Cargo's `config.toml`: `[registries.<name>]` with the sparse `index` and the registry's own
 * `credential-provider = "cargo:token"`, so cargo reads the token from credentials.toml whatever
 * `[registry] global-credential-providers` the person chose for their other registries. It holds
 * no secret; it is written and removed with the token's entry.
 */
export interface CargoRegistrySpec {
  kind: 'cargo-registry';
  path: string;
  registryName: string;
  indexUrl: string;
}

/** The spec read back from the state file (see SpecFieldsCheck: this module loads no writer). */
export const hasCargoFields: SpecFieldsCheck = (value) =>
  isString(value['registryName']) && isString(value['indexUrl']) && isString(value['configPath']);

export const hasCargoRegistryFields: SpecFieldsCheck = (value) =>
  isString(value['registryName']) && isString(value['indexUrl']);
