import { isString, type SpecFieldsCheck } from './spec-fields.js';

/** A `machine` entry in `~/.netrc`, which curl, git, pip and others read. */
export interface NetrcSpec {
  kind: 'netrc';
  path: string;
  machine: string;
}

/** The spec read back from the state file (see SpecFieldsCheck: this module loads no writer). */
export const hasNetrcFields: SpecFieldsCheck = (value) => isString(value['machine']);
