import { basename, dirname, join } from 'node:path';
import { conanLocation, remoteUrlsBeside } from '../../scan/conan.js';
import { conanHome } from '../../scan/locations.js';
import { CONAN_CREDENTIALS, CONAN_REMOTES } from '../conan-files.js';
import {
  editNamedList,
  entryNotes,
  leftAsCreated,
  listNotes,
  readNamedList,
} from '../json-named-list.js';
import type { ConanRemoteSpec, ConanSpec } from './conan-spec.js';
import { invalidOption, type TargetKindDefinition } from './definition.js';

/**
 * Conan 2 with an Artifactory Conan repository: the remote in remotes.json, its user and token
 * in credentials.json (checked against Conan 2's conan/api/subapi/remotes.py and
 * conans/client/rest/remote_credentials.py). Conan reads credentials.json only when a server asks
 * for credentials, before its environment variables and prompt and after an auth plugin; it then
 * keeps the token the server gave it in its own database until the server refuses it. A kind owns
 * one file, so these are two kinds of the one tool `conan`, like Cargo's.
 */

/** A remote name people type after `-r`: what `conan remote add` takes without quoting. */
const REMOTE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

function remoteNameOf(given: string | undefined, repo: string): string {
  const name = given?.trim() || repo;
  if (!REMOTE_NAME.test(name))
    throw invalidOption(
      `--name "${name}" is not a Conan remote name Artikey writes: letters, digits, ., - and _, such as ${repo}`,
    );
  return name;
}

/**
 * Conan renders credentials.json as a Jinja2 template before reading it as JSON, so a value
 * holding a Jinja delimiter (`{{`, `{%`, `{#`) would be run, not read: a `{` is refused (values
 * are checked a character at a time; neither tokens nor user names need one).
 */
const JINJA = /\{/u;
const NAME_UNSAFE = /[^A-Za-z0-9._-]/u;

const fromRequest = ({
  options,
  artifactoryUrl,
  repo,
}: {
  options: { remoteName?: string | undefined };
  artifactoryUrl: string;
  repo: (purpose: string) => string;
}): { remoteName: string; url: string } => {
  const key = repo('conan');
  return {
    remoteName: remoteNameOf(options.remoteName, key),
    url: `${artifactoryUrl}api/conan/${key}`,
  };
};

/** The user and token, in credentials.json: rewritten on every refresh. */
export const conan: TargetKindDefinition<ConanSpec> = {
  kind: 'conan',
  holdsToken: true,
  needsUsername: true,
  secretFormat: 'json',
  scanTool: 'conan',
  sameEntry: (a, b) => a.remoteName === b.remoteName,
  defaultPath: (environment) => join(conanHome(environment), 'credentials.json'),
  fromRequest: (request) => ({
    kind: 'conan',
    path: request.path,
    ...fromRequest(request),
    remotesPath: join(dirname(request.path), 'remotes.json'),
  }),
  describe: (spec) =>
    `conan: remote ${spec.remoteName} (${spec.url}) in ${spec.remotesPath}, its credentials in ${spec.path}`,
  checkBelongs: (spec, instance) => instance.sameHost(spec.url),
  fields: (spec, { username, token }) => [
    basename(spec.path),
    [
      ['remote name', spec.remoteName, NAME_UNSAFE],
      ['user name', username, JINJA],
      ['token', token, JINJA],
    ],
  ],
  // A person's own entry for the remote holds their password, which the state file never keeps:
  // removal takes the entry out (Conan refuses an entry without a password).
  writer:
    (spec, { username, token }, restore) =>
    (text) => {
      if (restore !== null)
        for (const [key, value] of Object.entries(listNotes(text, CONAN_CREDENTIALS)))
          restore[key] ??= value;
      return editNamedList(text, CONAN_CREDENTIALS, {
        set: spec.remoteName,
        fields: [
          ['user', username],
          ['password', token],
        ],
      });
    },
  remover: (record) => (text) =>
    leftAsCreated(
      editNamedList(text, CONAN_CREDENTIALS, {
        remove: record.remoteName,
        putBack: record.restore,
      }),
      CONAN_CREDENTIALS,
      record.createdFile,
    ),
  ownsEntry: (spec, credential) => credential.location === conanLocation(spec.remoteName),
  adopt: (credential) => {
    const name = /^credentials\[remote=(.+)\] password$/.exec(credential.location)?.[1];
    if (name === undefined || !REMOTE_NAME.test(name))
      return 'a remote name Artikey does not write; rename the remote with conan remote rename first';
    const url = remoteUrlsBeside(credential.file)[name];
    if (url === undefined)
      return `remote ${name} is not in Conan's remotes.json; configure conan with --repo instead`;
    return {
      target: {
        kind: 'conan',
        path: credential.file,
        remoteName: name,
        url,
        remotesPath: join(dirname(credential.file), 'remotes.json'),
      },
      cleanup: null,
    };
  },
  companion: (spec) => ({
    kind: 'conan-remote',
    path: spec.remotesPath,
    remoteName: spec.remoteName,
    url: spec.url,
  }),
};

/** The remote, in remotes.json: no secret, so a refresh leaves it alone. */
export const conanRemote: TargetKindDefinition<ConanRemoteSpec> = {
  kind: 'conan-remote',
  holdsToken: false,
  needsUsername: false,
  secretFormat: 'json',
  scanTool: 'conan',
  sameEntry: (a, b) => a.remoteName === b.remoteName,
  defaultPath: (environment) => join(conanHome(environment), 'remotes.json'),
  fromRequest: (request) => ({ kind: 'conan-remote', path: request.path, ...fromRequest(request) }),
  describe: (spec) => `conan: remote ${spec.remoteName} (${spec.url}) in ${spec.path}`,
  checkBelongs: (spec, instance) => instance.sameHost(spec.url),
  fields: (spec) => [
    basename(spec.path),
    [
      ['remote name', spec.remoteName, NAME_UNSAFE],
      ['remote URL', spec.url],
    ],
  ],
  writer: (spec, _credentials, restore) => (text) => {
    if (restore !== null)
      for (const [key, value] of Object.entries({
        ...listNotes(text, CONAN_REMOTES),
        ...entryNotes(text, CONAN_REMOTES, spec.remoteName),
      }))
        restore[key] ??= value;
    // A remote of that name the person disabled would leave Conan never asking it.
    const existing = readNamedList(text, CONAN_REMOTES).findLast(
      (r) => r['name'] === spec.remoteName,
    );
    return editNamedList(text, CONAN_REMOTES, {
      set: spec.remoteName,
      fields: [
        ['url', spec.url],
        ['verify_ssl', true],
        ...(existing?.['disabled'] === true ? [['disabled', false] as [string, boolean]] : []),
      ],
    });
  },
  remover: (record) => (text) =>
    leftAsCreated(
      editNamedList(text, CONAN_REMOTES, { remove: record.remoteName, putBack: record.restore }),
      CONAN_REMOTES,
      record.createdFile,
    ),
  ownsEntry: () => false,
};
