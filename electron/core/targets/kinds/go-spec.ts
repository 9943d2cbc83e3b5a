import { isString, type SpecFieldsCheck } from './spec-fields.js';

/**
 * The Go env file (`go env GOENV`): `GOPROXY` pointing at the instance's Go repository, and on
 * request `GONOSUMDB` and `GOPRIVATE`. It holds no secret: the go command sends the `.netrc`
 * entry for the proxy's host, written beside it as the `netrc` kind's entry (its companion), so a
 * refresh rewrites that entry alone and logout takes out both.
 */
export interface GoSpec {
  kind: 'go';
  path: string;
  /** `<artifactory>/api/go/<repo>`, never with credentials in it. */
  proxyUrl: string;
  /** `GONOSUMDB` patterns, or null to leave it alone. */
  noSumDb: string | null;
  /** `GOPRIVATE` patterns, or null to leave it alone. */
  private: string | null;
  /** The .netrc the go command reads (`$NETRC`, else `~/.netrc`; `_netrc` on Windows). */
  netrcPath: string;
}

const isPatterns = (value: unknown): boolean => value === null || isString(value);

/** The spec read back from the state file (see SpecFieldsCheck: this module loads no writer). */
export const hasGoFields: SpecFieldsCheck = (value) =>
  isString(value['proxyUrl']) &&
  isString(value['netrcPath']) &&
  isPatterns(value['noSumDb']) &&
  isPatterns(value['private']);
