import { isString, type SpecFieldsCheck } from './spec-fields.js';

/** pip.conf's `[global] index-url`, with the credentials in the URL (one index per file). */
export interface PipSpec {
  kind: 'pip';
  path: string;
  indexUrl: string;
}

/** The spec read back from the state file (see SpecFieldsCheck: this module loads no writer). */
export const hasPipFields: SpecFieldsCheck = (value) => isString(value['indexUrl']);
