import { isString, type SpecFieldsCheck } from './spec-fields.js';

/** `<prefix>_user`, `_password` and `_contextUrl` in gradle.properties, as JFrog's Gradle setup names them. */
export interface GradleSpec {
  kind: 'gradle';
  path: string;
  prefix: string;
  contextUrl: string;
}

/** The spec read back from the state file (see SpecFieldsCheck: this module loads no writer). */
export const hasGradleFields: SpecFieldsCheck = (value) =>
  isString(value['prefix']) && isString(value['contextUrl']);
