import { isString, type SpecFieldsCheck } from './spec-fields.js';

/**
 * A `credentials "<host>" { token = "…" }` block in Terraform's CLI configuration file: Terraform
 * sends the token as Bearer to every registry call for that host (the Artifactory host, with its
 * port when not 443). The file names no repository: a module's source does.
 */
export interface TerraformSpec {
  kind: 'terraform';
  path: string;
  host: string;
}

/** The spec read back from the state file (see SpecFieldsCheck: this module loads no writer). */
export const hasTerraformFields: SpecFieldsCheck = (value) => isString(value['host']);
