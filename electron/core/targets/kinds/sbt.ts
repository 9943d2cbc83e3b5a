import { basename, join } from 'node:path';
import { editProperties, readProperties } from '../java-properties.js';
import { putBack, rememberPrevious } from '../restore-notes.js';
import { BASIC_USER_UNSAFE } from '../safe-values.js';
import { ToolFileError } from '../tool-file.js';
import type { TargetKindDefinition } from './definition.js';
import type { SbtSpec } from './sbt-spec.js';

/**
 * The realm Artifactory challenges with (`WWW-Authenticate: Basic realm="Artifactory Realm"`):
 * Ivy, which sbt resolves with, answers a challenge with the credentials of its realm and host.
 */
const REALM = 'Artifactory Realm';
const KEYS = ['realm', 'host', 'user', 'password'];
/**
 * The names sbt's `Credentials.loadCredentials` takes for the host (sbt CredentialUtils; the
 * first present wins, as `user` and `password` win over their other names, which Artikey writes).
 */
const HOST_KEYS = ['host', 'hostname'];

/**
 * The host the file is for, as sbt reads it (its first host key present, trimmed; of a repeated
 * key the last, which Properties.load keeps), with its line.
 */
function hostIn(text: string): { host: string; line: number } | undefined {
  const entries = readProperties(text);
  for (const key of HOST_KEYS) {
    const entry = entries.findLast((e) => e.key === key);
    if (entry) return { host: entry.value.trim(), line: entry.line };
  }
  return undefined;
}

/** sbt reads one credential per file: a file for another host is not Artikey's to take over. */
function refuseAnotherCredential(spec: SbtSpec, text: string): void {
  const current = hostIn(text);
  if (current !== undefined && current.host.toLowerCase() !== spec.host.toLowerCase())
    throw new ToolFileError(
      'tool-file-conflict',
      `${spec.path} holds the credentials for ${current.host} (line ${String(current.line)}), and sbt reads one credential per file; Artikey left it alone. Configure sbt with --file ~/.sbt/${spec.host}.credentials and add credentials += Credentials(Path.userHome / ".sbt" / "${spec.host}.credentials") to the build.`,
    );
}

export const sbt: TargetKindDefinition<SbtSpec> = {
  kind: 'sbt',
  holdsToken: true,
  needsUsername: true,
  secretFormat: 'properties',
  scanTool: 'sbt',
  sameEntry: (a, b) => a.host.toLowerCase() === b.host.toLowerCase(),
  // Where sbt's own documentation and Artifactory's "Connect sbt" put it; the build names it.
  defaultPath: ({ home }) => join(home, '.sbt', '.credentials'),
  // Ivy looks credentials up by the URL's host name alone, without the port.
  fromRequest: ({ platformUrl, artifactoryUrl, path }) => ({
    kind: 'sbt',
    path,
    host: new URL(platformUrl).hostname,
    contextUrl: artifactoryUrl.replace(/\/$/, ''),
  }),
  describe: (spec) => `sbt: credentials for ${spec.host} in ${spec.path}`,
  checkBelongs: (spec, instance) => {
    instance.sameHost(spec.contextUrl);
    if (spec.host.toLowerCase() !== instance.platform.hostname.toLowerCase())
      instance.refuse(`host ${spec.host}`);
  },
  // The properties editor escapes separators and non-ASCII; only control characters are refused.
  fields: (spec, { username, token }) => [
    basename(spec.path),
    [
      ['host', spec.host, /[\s=:#!\\]/u],
      ['context URL', spec.contextUrl],
      ['user name', username, BASIC_USER_UNSAFE],
      ['token', token],
    ],
  ],
  writer:
    (spec, { username, token }, restore, replaceReferences) =>
    (text) => {
      const entries = text === null ? [] : readProperties(text);
      refuseAnotherCredential(spec, text ?? '');
      if (restore !== null)
        for (const key of KEYS)
          rememberPrevious(
            restore,
            key,
            entries.findLast((e) => e.key === key),
            key === 'password',
          );
      const set = { realm: REALM, host: spec.host, user: username, password: token };
      return editProperties(text, { set, replaceReferences });
    },
  remover: (record) => (text) => editProperties(text, putBack(record.restore, KEYS)),
  ownsEntry: (_spec, credential) => credential.location === 'password',
  adopt: (credential, instance) => {
    if (credential.location !== 'password')
      return `sbt reads the password under ${credential.location}; rename it to password first`;
    const platform = new URL(instance.platformUrl);
    return {
      target: {
        kind: 'sbt',
        path: credential.file,
        host: credential.host ?? platform.hostname,
        contextUrl: new URL('artifactory', instance.platformUrl).toString(),
      },
      cleanup: null,
    };
  },
};
