import { join } from 'node:path';
import {
  NEW_NUGET_CONFIG,
  originalOf,
  removeNuGetEntry,
  setNuGetEntry,
  sourceNameProblem,
  type NuGetOriginal,
} from '../nuget-config.js';
import { BASIC_USER_UNSAFE } from '../safe-values.js';
import { invalidOption, type TargetKindDefinition } from './definition.js';
import type { NuGetSpec } from './nuget-spec.js';

/** JFrog's Set Me Up names the NuGet source `Artifactory`. */
const DEFAULT_SOURCE_NAME = 'Artifactory';
/** NuGet reads `%NAME%` in a value from the environment: a `%` in a value Artikey writes could be read so. */
const NUGET_VALUE_UNSAFE = /%/u;
const LOCATION = /^packageSourceCredentials\/(.+)\/ClearTextPassword$/;

/** Restore keys: the `NuGetOriginal` of the first write, one entry each (restore-notes' shape). */
const SOURCE_KEY = 'source';
const CREDENTIALS_KEY = 'credentials';
const EMPTY_CREDENTIALS_KEY = 'credentials.element';
const CREDENTIAL_KEY = (key: string): string => `credentials.${key}`;
const CONTAINER_KEY = (name: string): string => `container.${name}`;
const PASSWORD_DROPPED_KEY = 'credentials.password-dropped';

function noteOriginal(restore: Record<string, string>, original: NuGetOriginal): void {
  if (original.source !== null) restore[SOURCE_KEY] = original.source;
  if (original.credentials !== null) {
    restore[CREDENTIALS_KEY] = '';
    for (const [key, raw] of Object.entries(original.credentials))
      restore[CREDENTIAL_KEY(key)] = raw;
  }
  if (original.emptyCredentials !== null)
    restore[EMPTY_CREDENTIALS_KEY] = original.emptyCredentials;
  for (const [name, raw] of Object.entries(original.emptyContainers))
    restore[CONTAINER_KEY(name)] = raw;
  if (original.passwordDropped) restore[PASSWORD_DROPPED_KEY] = '';
}

function originalFrom(restore: Record<string, string>): NuGetOriginal {
  const credentials: NonNullable<NuGetOriginal['credentials']> = {};
  for (const key of ['Username', 'ClearTextPassword'] as const) {
    const raw = restore[CREDENTIAL_KEY(key)];
    if (raw !== undefined) credentials[key] = raw;
  }
  const emptyContainers: NuGetOriginal['emptyContainers'] = {};
  for (const name of ['packageSources', 'packageSourceCredentials'] as const) {
    const raw = restore[CONTAINER_KEY(name)];
    if (raw !== undefined) emptyContainers[name] = raw;
  }
  return {
    source: restore[SOURCE_KEY] ?? null,
    credentials: CREDENTIALS_KEY in restore ? credentials : null,
    emptyCredentials: restore[EMPTY_CREDENTIALS_KEY] ?? null,
    emptyContainers,
    passwordDropped: PASSWORD_DROPPED_KEY in restore,
  };
}

function sourceName(given: string | undefined): string {
  const name = given?.trim() || DEFAULT_SOURCE_NAME;
  const problem = sourceNameProblem(name);
  if (problem !== null)
    throw invalidOption(`--name "${name}" is not a NuGet source name Artikey writes: ${problem}`);
  return name;
}

function protocolOf(given: string | undefined): NuGetSpec['protocol'] {
  const protocol = given?.trim().toLowerCase() || 'v3';
  if (protocol !== 'v3' && protocol !== 'v2')
    throw invalidOption(`--protocol "${given}" is not a NuGet feed protocol: choose v3 or v2`);
  return protocol;
}

export const nuget: TargetKindDefinition<NuGetSpec> = {
  kind: 'nuget',
  holdsToken: true,
  needsUsername: true,
  secretFormat: 'xml',
  scanTool: 'nuget',
  sameEntry: (a, b) => a.name.toLowerCase() === b.name.toLowerCase(),
  // The user file `dotnet` and NuGet 3+ read ("Common NuGet configurations"); nuget.exe on Mono reads ~/.config/NuGet/NuGet.Config (use --file).
  defaultPath: ({ platform, env, home }) =>
    platform === 'win32'
      ? join(env['APPDATA'] ?? join(home, 'AppData', 'Roaming'), 'NuGet', 'NuGet.Config')
      : join(home, '.nuget', 'NuGet', 'NuGet.Config'),
  // Artifactory's NuGet feeds (artifactory-api.md §7): v3's service index, `index.json` under the
  // repository as JFrog CLI's own NuGet setup writes it, or the v2 feed.
  fromRequest: ({ options, artifactoryUrl, path, repo }) => {
    const protocol = protocolOf(options.protocol);
    const key = repo('nuget');
    return {
      kind: 'nuget',
      path,
      name: sourceName(options.sourceName),
      url:
        protocol === 'v3'
          ? `${artifactoryUrl}api/nuget/v3/${key}/index.json`
          : `${artifactoryUrl}api/nuget/${key}`,
      protocol,
    };
  },
  describe: (spec) => `nuget: source ${spec.name} ${spec.url} (${spec.protocol}) in ${spec.path}`,
  checkBelongs: (spec, instance) => instance.sameHost(spec.url),
  fields: (spec, { username, token }) => [
    'NuGet.Config',
    [
      ['source name', spec.name, NUGET_VALUE_UNSAFE],
      ['source URL', spec.url, NUGET_VALUE_UNSAFE],
      ['user name', username, new RegExp(`${BASIC_USER_UNSAFE.source}|%`, 'u')],
      ['token', token, NUGET_VALUE_UNSAFE],
    ],
  ],
  writer:
    (spec, { username, token }, restore, replaceReferences) =>
    (text) => {
      if (restore !== null && text !== null) noteOriginal(restore, originalOf(text, spec.name));
      return setNuGetEntry(
        text,
        {
          name: spec.name,
          url: spec.url,
          protocolVersion: spec.protocol === 'v3' ? '3' : null,
          username,
          password: token,
        },
        replaceReferences,
      );
    },
  remover: (record) => (text) => {
    const removed = removeNuGetEntry(text, record.name, originalFrom(record.restore));
    // A file Artikey made goes once it is NuGet's own first file again.
    return record.createdFile && removed === NEW_NUGET_CONFIG ? '' : removed;
  },
  ownsEntry: (spec, credential) =>
    LOCATION.exec(credential.location)?.[1]?.toLowerCase() === spec.name.toLowerCase(),
  adopt: (credential) => {
    const name = LOCATION.exec(credential.location)?.[1];
    if (name === undefined)
      return "NuGet's encrypted Password cannot be read; remove it and configure the source again";
    if (sourceNameProblem(name) !== null)
      return `the source name "${name}" is not one Artikey writes`;
    if (credential.url === null)
      return `no package source "${name}" names its URL; add it to <packageSources> first`;
    return {
      target: {
        kind: 'nuget',
        path: credential.file,
        name,
        url: credential.url,
        protocol: /\/api\/nuget\/v3\//.test(credential.url) ? 'v3' : 'v2',
      },
      cleanup: null,
    };
  },
};
