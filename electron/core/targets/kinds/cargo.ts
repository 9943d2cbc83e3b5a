import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Environment } from '../../paths.js';
import { putBack, rememberPrevious } from '../restore-notes.js';
import { withoutCredentials } from '../../scan/classify.js';
import {
  editToml,
  HEADER_EXISTED,
  noteHeader,
  readToml,
  tomlString,
  type TomlEdit,
} from '../toml-file.js';
import type { CargoRegistrySpec, CargoSpec } from './cargo-spec.js';
import { invalidOption, type TargetKindDefinition } from './definition.js';

/**
 * Cargo with an Artifactory sparse registry: the registry in config.toml, its token in
 * credentials.toml, the two files Cargo itself keeps apart (`cargo login` writes only the second,
 * which holds the secret). A kind owns one file, so these are two kinds of the one tool `cargo`:
 * configuring writes the registry (the token's companion), then the token; unconfigure and logout
 * take out both; a refresh rewrites the token alone.
 */

/** JFrog's Set Me Up and docs name the registry `artifactory`, so Cargo.toml files copied from them resolve. */
const DEFAULT_REGISTRY_NAME = 'artifactory';

/**
 * Where Cargo reads `name`: `<name>` without extension, Cargo's older spelling, when it exists
 * (Cargo uses it, and only warns, when `<name>.toml` exists too), else `<name>.toml`.
 */
function cargoFile(home: string, name: 'config' | 'credentials'): string {
  const legacy = join(home, name);
  return existsSync(legacy) ? legacy : join(home, `${name}.toml`);
}

const cargoHome = ({ env, home }: Environment): string => env['CARGO_HOME'] ?? join(home, '.cargo');

/** Cargo's own rule for registry names (letters, digits, `-`, `_`; `crates-io` is taken). */
function registryName(given: string | undefined): string {
  const name = given?.trim() || DEFAULT_REGISTRY_NAME;
  if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(name) || name === 'crates-io')
    throw invalidOption(
      `--registry-name "${name}" is not a Cargo registry name: letters, digits, - and _ (not crates-io), such as ${DEFAULT_REGISTRY_NAME}`,
    );
  return name;
}

/**
 * What `key` held, as `rememberPrevious` notes it: its text as the file spells it (a list of
 * providers too), or an index with a password in it as that index without one, written as TOML.
 */
function previous(
  text: string,
  table: string[],
  key: string,
  file: string,
): { value: string; raw: string } | undefined {
  const found = readToml(text, table, key, file);
  if (found === undefined) return undefined;
  if (typeof found.value !== 'string') return { value: found.raw, raw: found.raw };
  const bare = withoutCredentials(found.value);
  return bare === found.value
    ? { value: found.value, raw: found.raw }
    : { value: bare, raw: tomlString(bare) };
}

/** Each key goes back to what the file held, or goes, and the table with it once it is empty. */
function restoreEdits(
  table: string[],
  restore: Record<string, string>,
  keys: string[],
): TomlEdit[] {
  const { putBack: given, remove } = putBack(restore, keys);
  return [
    ...Object.entries(given).map(([key, raw]): TomlEdit => ({ table, key, putBack: raw })),
    ...remove.map((key): TomlEdit => ({
      table,
      key,
      remove: true,
      dropEmptyTable: !(HEADER_EXISTED in restore),
    })),
  ];
}

/** A name from the state file is checked again: Cargo.toml could not name a registry with any other character. */
const REGISTRY_NAME_UNSAFE = /[^A-Za-z0-9_-]/u;

const tableOf = (spec: { registryName: string }): string[] => ['registries', spec.registryName];
const hostUrlOf = (indexUrl: string): string => indexUrl.replace(/^sparse\+/, '');

/** The token entry, in credentials.toml. Artifactory reads Cargo's token as an Authorization header value, so it carries `Bearer `. */
export const cargo: TargetKindDefinition<CargoSpec> = {
  kind: 'cargo',
  holdsToken: true,
  needsUsername: false,
  secretFormat: 'toml',
  scanTool: 'cargo',
  sameEntry: (a, b) => a.registryName === b.registryName,
  defaultPath: (environment) => cargoFile(cargoHome(environment), 'credentials'),
  fromRequest: ({ options, artifactoryUrl, path, repo }) => ({
    kind: 'cargo',
    path,
    registryName: registryName(options.registryName),
    indexUrl: `sparse+${artifactoryUrl}api/cargo/${repo('cargo')}/index/`,
    configPath: cargoFile(dirname(path), 'config'),
  }),
  describe: (spec) =>
    `cargo: registry ${spec.registryName} (${hostUrlOf(spec.indexUrl)}) in ${spec.configPath}, its token in ${spec.path}`,
  checkBelongs: (spec, instance) => instance.sameHost(hostUrlOf(spec.indexUrl)),
  fields: (spec, { token }) => [
    basename(spec.path),
    [
      ['registry name', spec.registryName, REGISTRY_NAME_UNSAFE],
      ['token', token],
    ],
  ],
  writer:
    (spec, { token }, restore) =>
    (text) => {
      const file = basename(spec.path);
      if (restore !== null && text !== null)
        rememberPrevious(restore, 'token', previous(text, tableOf(spec), 'token', file), true);
      noteHeader(restore, text, tableOf(spec), file);
      return editToml(text, [{ table: tableOf(spec), key: 'token', set: `Bearer ${token}` }], file);
    },
  remover: (record) => (text) =>
    editToml(text, restoreEdits(tableOf(record), record.restore, ['token']), basename(record.path)),
  ownsEntry: (spec, credential) => credential.location === `registries.${spec.registryName}.token`,
  adopt: (credential) => {
    const name = /^registries\.([A-Za-z0-9_-]+)\.token$/.exec(credential.location)?.[1];
    if (!name) return 'not a [registries.<name>] token; move it to a named registry first';
    if (credential.url === null || !credential.url.startsWith('sparse+'))
      return `registry ${name} has no sparse index in Cargo's config.toml; configure cargo with --repo instead`;
    return {
      target: {
        kind: 'cargo',
        path: credential.file,
        registryName: name,
        indexUrl: credential.url,
        configPath: cargoFile(dirname(credential.file), 'config'),
      },
      cleanup: null,
    };
  },
  companion: (spec) => ({
    kind: 'cargo-registry',
    path: spec.configPath,
    registryName: spec.registryName,
    indexUrl: spec.indexUrl,
  }),
};

/** Cargo then reads this registry's token from credentials.toml whatever its global providers are. */
const REGISTRY_KEYS = { index: 'index', provider: 'credential-provider' } as const;

/** The registry entry, in config.toml: no secret, so a refresh leaves it alone. */
export const cargoRegistry: TargetKindDefinition<CargoRegistrySpec> = {
  kind: 'cargo-registry',
  holdsToken: false,
  needsUsername: false,
  secretFormat: 'toml',
  scanTool: 'cargo',
  sameEntry: (a, b) => a.registryName === b.registryName,
  defaultPath: (environment) => cargoFile(cargoHome(environment), 'config'),
  fromRequest: ({ options, artifactoryUrl, path, repo }) => ({
    kind: 'cargo-registry',
    path,
    registryName: registryName(options.registryName),
    indexUrl: `sparse+${artifactoryUrl}api/cargo/${repo('cargo')}/index/`,
  }),
  describe: (spec) =>
    `cargo: registry ${spec.registryName} (${hostUrlOf(spec.indexUrl)}) in ${spec.path}`,
  checkBelongs: (spec, instance) => instance.sameHost(hostUrlOf(spec.indexUrl)),
  fields: (spec) => [
    basename(spec.path),
    [
      ['registry name', spec.registryName, REGISTRY_NAME_UNSAFE],
      ['index URL', spec.indexUrl],
    ],
  ],
  writer: (spec, _credentials, restore) => (text) => {
    const file = basename(spec.path);
    const set = { [REGISTRY_KEYS.index]: spec.indexUrl, [REGISTRY_KEYS.provider]: 'cargo:token' };
    if (restore !== null && text !== null)
      for (const key of Object.keys(set))
        rememberPrevious(restore, key, previous(text, tableOf(spec), key, file), false);
    noteHeader(restore, text, tableOf(spec), file);
    return editToml(
      text,
      Object.entries(set).map(([key, value]) => ({ table: tableOf(spec), key, set: value })),
      file,
    );
  },
  remover: (record) => (text) =>
    editToml(
      text,
      restoreEdits(tableOf(record), record.restore, Object.values(REGISTRY_KEYS)),
      basename(record.path),
    ),
  ownsEntry: () => false,
};
