import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parse } from 'yaml';
import { jfrogCliHome } from '../../scan/locations.js';
import { editJfrogConfig, replacedBy } from '../jfrog-cli-config.js';
import { ToolFileError } from '../tool-file.js';
import { invalidOption, type TargetKindDefinition } from './definition.js';
import type { JfrogCliSpec } from './jfrog-cli-spec.js';

/**
 * The JFrog CLI (`jf`): a server entry in `<JFrog CLI home>/jfrog-cli.conf.v6` holding Artikey's
 * access token, rewritten on every refresh. Checked against jfrog-cli-core v2.60.0-101-g77deb9f
 * (utils/config/config.go `ServerDetails`, utils/config/encryption.go, common/commands/config.go).
 */

const FILE = 'jfrog-cli.conf.v6';

/** A server id people type after `--server-id`: no spaces or quotes for their shell. */
const SERVER_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** `--server-id`, else the instance's name when it is one, else its host. */
function serverIdOf(given: string | undefined, instanceName: string | null, url: string): string {
  const id = given?.trim();
  if (id) {
    if (!SERVER_ID.test(id))
      throw invalidOption(
        `--server-id "${id}" is not a JFrog CLI server id Artikey writes: up to 64 letters, digits, ., - and _, such as acme`,
      );
    return id;
  }
  if (instanceName !== null && SERVER_ID.test(instanceName)) return instanceName;
  return new URL(url).hostname;
}

/**
 * Where `jf` would take a key to encrypt the file with (encryption.go `getEncryptionKey`):
 * `JFROG_CLI_ENCRYPTION_KEY` when set at all (empty: no encryption, security.yaml unread), else
 * a non-empty `masterKey` in `<home>/security/security.yaml`. `jf` encrypts a plain file it reads
 * whenever there is a key (`updateEncryptionIfNeeded`), so Artikey's token would be sealed under
 * a key it never has, and no refresh or logout could touch it again.
 */
function encryptionSource(
  home: string,
  env: Record<string, string | undefined> | null,
): string | null {
  const fromEnv = env?.['JFROG_CLI_ENCRYPTION_KEY'];
  if (fromEnv !== undefined) return fromEnv === '' ? null : 'JFROG_CLI_ENCRYPTION_KEY';
  const security = join(home, 'security', 'security.yaml');
  let text: string;
  try {
    text = readFileSync(security, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    return security;
  }
  try {
    const key = (parse(text) as Record<string, unknown> | null)?.['masterKey'];
    return key === undefined || key === null || String(key) === '' ? null : security;
  } catch {
    return security;
  }
}

function refuseEncryption(home: string, env: Record<string, string | undefined> | null): void {
  const source = encryptionSource(home, env);
  if (source === null) return;
  throw new ToolFileError(
    'tool-file-protected',
    `jf encrypts its configuration with a master key (${source === 'JFROG_CLI_ENCRYPTION_KEY' ? 'JFROG_CLI_ENCRYPTION_KEY is set' : `masterKey in ${source}`}), and would seal the token Artikey writes under a key Artikey does not have, so no refresh or logout could replace or remove it; Artikey left ${FILE} untouched. Give jf the token per command instead (jf … --url <url> --access-token "$(artikey token <instance>)"), or remove the master key to keep the file in plain text.`,
  );
}

/** `servers[serverId=<id>] <field>`, as the scan names a credential of a server entry. */
const locationOf = (serverId: string, field: string): string =>
  `servers[serverId=${serverId}] ${field}`;

export const jfrogCli: TargetKindDefinition<JfrogCliSpec> = {
  kind: 'jfrog-cli',
  holdsToken: true,
  needsUsername: true,
  secretFormat: 'json',
  scanTool: 'jfrog-cli',
  sameEntry: (a, b) => a.serverId === b.serverId,
  defaultPath: (environment) => join(jfrogCliHome(environment), FILE),
  fromRequest: ({ options, platformUrl, instanceName, path, environment }) => {
    refuseEncryption(dirname(path), environment.env);
    return {
      kind: 'jfrog-cli',
      path,
      serverId: serverIdOf(options.serverId, instanceName, platformUrl),
      url: platformUrl,
      makeDefault: options.makeDefault === true,
    };
  },
  describe: (spec) =>
    `jfrog: server ${spec.serverId} (${spec.url})${spec.makeDefault ? ', the default,' : ''} in ${spec.path}`,
  checkBelongs: (spec, instance) => instance.sameHost(spec.url),
  fields: (spec, { username, token }) => [
    basename(spec.path),
    [
      ['server id', spec.serverId, /[^A-Za-z0-9._-]/u],
      ['URL', spec.url],
      ['user name', username],
      ['token', token],
    ],
  ],
  writer:
    (spec, { username, token }, restore) =>
    (text) => {
      refuseEncryption(dirname(spec.path), null);
      // Made the default once, at the first write: later the person's `jf config use` stands.
      const makeDefault = spec.makeDefault && restore !== null;
      if (restore !== null)
        for (const [key, value] of Object.entries(
          replacedBy(text, { serverId: spec.serverId, makeDefault }),
        ))
          restore[key] ??= value;
      return editJfrogConfig(text, {
        server: {
          serverId: spec.serverId,
          url: spec.url,
          artifactoryUrl: `${spec.url}artifactory/`,
          user: username,
          accessToken: token,
          makeDefault,
        },
      });
    },
  remover: (record) => (text) =>
    editJfrogConfig(text, { removeServer: record.serverId, putBack: record.restore }),
  ownsEntry: (spec, credential) => credential.location === locationOf(spec.serverId, 'accessToken'),
  adopt: (credential, instance) => {
    if (basename(credential.file) !== FILE)
      return `an old JFrog CLI file (${basename(credential.file)}); run any jf command to convert it to ${FILE} first`;
    const serverId = /^servers\[serverId=(.+)\] [A-Za-z]+$/.exec(credential.location)?.[1];
    if (serverId === undefined)
      return 'a server without a serverId; give it one with jf config edit first';
    if (!SERVER_ID.test(serverId))
      return `server id "${serverId}" has characters Artikey does not write; rename it with jf config edit first`;
    return {
      target: {
        kind: 'jfrog-cli',
        path: credential.file,
        serverId,
        url: new URL(instance.platformUrl).toString(),
        makeDefault: false,
      },
      cleanup: null,
    };
  },
};
