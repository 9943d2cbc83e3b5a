import { isString, type SpecFieldsCheck } from './spec-fields.js';

/**
 * Helm's `repositories.yaml`: a classic chart repository (`helm repo add <name> <url>`) with the
 * user name and the token as its password. OCI registries are no entry here: Helm reads Docker's
 * credential helpers for them.
 */
export interface HelmSpec {
  kind: 'helm';
  path: string;
  /** The name Helm commands use (`helm install <name>/<chart>`). */
  name: string;
  url: string;
}

/** The spec read back from the state file (see SpecFieldsCheck: this module loads no writer). */
export const hasHelmFields: SpecFieldsCheck = (value) =>
  isString(value['name']) && isString(value['url']);
