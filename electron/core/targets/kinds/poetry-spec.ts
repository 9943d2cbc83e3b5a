import { isString, type SpecFieldsCheck } from './spec-fields.js';

/**
 * Poetry's two user files, one kind each (a kind writes one file): `auth.toml`'s
 * `[http-basic.<name>]` with the user name and the token as password (the copy of the token), and
 * `config.toml`'s `[repositories.<name>] url`, which `poetry publish -r <name>` uploads to.
 * `configure poetry` writes both; a `[[tool.poetry.source]]` of the same name reads with the
 * credentials alone.
 */
export interface PoetryAuthSpec {
  kind: 'poetry-auth';
  path: string;
  name: string;
  /** The repository the credentials are for, written by its companion into `configPath`. */
  url: string;
  configPath: string;
}

export interface PoetryRepositorySpec {
  kind: 'poetry-repository';
  path: string;
  name: string;
  url: string;
}

/** The specs read back from the state file (see SpecFieldsCheck: this module loads no writer). */
export const hasPoetryAuthFields: SpecFieldsCheck = (value) =>
  isString(value['name']) && isString(value['url']) && isString(value['configPath']);
export const hasPoetryRepositoryFields: SpecFieldsCheck = (value) =>
  isString(value['name']) && isString(value['url']);
