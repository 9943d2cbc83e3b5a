import { isObject, isString, type SpecFieldsCheck } from './spec-fields.js';

/** `~/.m2/settings.xml`: a `<server>` with the token, and on request a `<mirror>` of the same id. */
export interface MavenSpec {
  kind: 'maven';
  path: string;
  serverId: string;
  mirror: { url: string; mirrorOf: string } | null;
}

/** The spec read back from the state file (see SpecFieldsCheck: this module loads no writer). */
export const hasMavenFields: SpecFieldsCheck = (value) => {
  const mirror = value['mirror'];
  return (
    isString(value['serverId']) &&
    (mirror === null ||
      (isObject(mirror) && isString(mirror['url']) && isString(mirror['mirrorOf'])))
  );
};
