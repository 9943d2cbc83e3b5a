import { isString, type SpecFieldsCheck } from './spec-fields.js';

/**
 * A server entry of the JFrog CLI's `jfrog-cli.conf.v6`: the instance's URLs, the user and
 * Artikey's current access token, never a refresh token or password (`jf` would spend or keep them).
 */
export interface JfrogCliSpec {
  kind: 'jfrog-cli';
  path: string;
  /** The entry's `serverId`, which `jf … --server-id` names. */
  serverId: string;
  /** The platform URL with its trailing slash, as `jf config add --url` stores it. */
  url: string;
  /** Made the default server (`--default`); the previous default is noted in `restore`. */
  makeDefault: boolean;
}

/** The spec read back from the state file (see SpecFieldsCheck: this module loads no writer). */
export const hasJfrogCliFields: SpecFieldsCheck = (value) =>
  isString(value['serverId']) &&
  isString(value['url']) &&
  typeof value['makeDefault'] === 'boolean';
