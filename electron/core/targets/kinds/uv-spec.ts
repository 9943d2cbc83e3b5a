import { isString, type SpecFieldsCheck } from './spec-fields.js';

/**
 * uv's user-level `uv.toml`: an `[[index]]` with `name` and `url` (and `default = true` on
 * request). It holds no secret: uv finds the credentials in `.netrc`, the `netrc` entry written
 * beside it as its companion, with it and never without it.
 */
export interface UvSpec {
  kind: 'uv';
  path: string;
  /** The index's name (`uv add --index <name>`, `[tool.uv.sources]`). */
  name: string;
  /** `<artifactory>/api/pypi/<repo>/simple`. */
  url: string;
  /** `default = true`: the index replaces PyPI instead of coming before it. */
  setDefault: boolean;
  /** The netrc file the credentials go to. */
  netrcPath: string;
}

/** The spec read back from the state file (see SpecFieldsCheck: this module loads no writer). */
export const hasUvFields: SpecFieldsCheck = (value) =>
  isString(value['name']) &&
  isString(value['url']) &&
  typeof value['setDefault'] === 'boolean' &&
  isString(value['netrcPath']);
