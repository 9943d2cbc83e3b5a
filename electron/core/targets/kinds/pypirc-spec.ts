import { isString, type SpecFieldsCheck } from './spec-fields.js';

/**
 * `~/.pypirc`, twine's upload configuration: a `[<section>]` with the repository URL, the user
 * name and the token as the password, and the section's name in `[distutils] index-servers`
 * (twine reads no section that list leaves out).
 */
export interface PypircSpec {
  kind: 'pypirc';
  path: string;
  section: string;
  repositoryUrl: string;
}

/** The spec read back from the state file (see SpecFieldsCheck: this module loads no writer). */
export const hasPypircFields: SpecFieldsCheck = (value) =>
  isString(value['section']) && isString(value['repositoryUrl']);
