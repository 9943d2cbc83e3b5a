import { isString, type SpecFieldsCheck } from './spec-fields.js';

/**
 * sbt's credentials file (`~/.sbt/.credentials`, named in the build by
 * `credentials += Credentials(<file>)`): `realm`, `host`, `user` and `password`, one credential
 * per file, the token as the password. `contextUrl` is the instance's `<platform>/artifactory`,
 * from which the build's resolver is shown (not written: build.sbt names it).
 */
export interface SbtSpec {
  kind: 'sbt';
  path: string;
  host: string;
  contextUrl: string;
}

/** The spec read back from the state file (see SpecFieldsCheck: this module loads no writer). */
export const hasSbtFields: SpecFieldsCheck = (value) =>
  isString(value['host']) && isString(value['contextUrl']);
