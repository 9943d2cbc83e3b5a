import { join } from 'node:path';
import {
  isInstanceRegistryHost,
  looksLikeSaasSubdomain,
  registryHostOf,
} from '../../docker-hosts.js';
import { ArtikeyError } from '../../errors.js';
import type { Environment } from '../../paths.js';
import type { ScanTool } from '../../scan/credential.js';
import {
  editDockerConfig,
  HELPER_NAME,
  removeLogins,
  replacedBy,
  type DockerConfigChange,
} from '../docker-config.js';
import { BASIC_USER_UNSAFE, type Field } from '../safe-values.js';
import {
  invalidOption,
  type Belonging,
  type Cleanup,
  type Edit,
  type TargetKindDefinition,
  type TargetRequest,
} from './definition.js';
import type { DockerHelperSpec, DockerAuthsSpec } from './docker-spec.js';

/** The `auths` entries a migrated credential lay in, which the helper's entry replaces. */
export interface DockerAuthsCleanup extends Cleanup {
  kind: 'docker-auths';
  hosts: string[];
}

/** What both modes share: one entry set per file, named by its hosts. */
const common = {
  secretFormat: 'json',
  scanTool: 'docker',
  needsUsername: true,
  sameEntry: (): boolean => true,
  defaultPath: ({ env, home }: Environment): string =>
    join(env['DOCKER_CONFIG'] ?? join(home, '.docker'), 'config.json'),
  // Docker may also use `<repo>.<host>` or another port of the instance (see docker-hosts.ts).
  checkBelongs: (spec: { hosts: string[] }, instance: Belonging): void => {
    const own = instance.platform.host;
    for (const host of spec.hosts) {
      if (looksLikeSaasSubdomain(own, host))
        throw new ArtikeyError(
          'invalid-target',
          `Docker host ${host} is not on ${instance.instanceName} (${own}) for certain: another JFrog tenant may be named ${registryHostOf(host).split('.')[0]}, so Artikey does not send this token there. Pull through ${own}/<repo>/<image> instead.`,
        );
      if (!isInstanceRegistryHost(own, host)) instance.refuse(`Docker host ${host}`);
    }
  },
} as const;

/** The `--host`s as Docker will name them, or the instance's own registry host. */
function requestedHosts({ options, platformUrl }: TargetRequest): string[] {
  const hosts = options.hosts?.length
    ? options.hosts.map((given) => {
        // User info, spaces and the like make it no host at all.
        const host = registryHostOf(given);
        if (host === '')
          throw invalidOption(`"${given}" is not a registry host such as acme.jfrog.io`);
        return host;
      })
    : [registryHostOf(platformUrl)];
  return [...new Set(hosts)];
}

const hostFields = (spec: { hosts: string[] }): Field[] =>
  spec.hosts.map((host): Field => ['registry host', host]);

/** The edit, noting on a first write what it replaces (another helper, the person's auths). */
const dockerEdit =
  (change: DockerConfigChange, restore: Record<string, string> | null): Edit =>
  (text) => {
    if (restore !== null) Object.assign(restore, replacedBy(text, change));
    return editDockerConfig(text, change);
  };

/**
 * The credential-helper entry of a file in Docker's config.json format: the tool asks Artikey's
 * helper for the hosts, so the file holds no token. Docker's own config.json, and the containers
 * auth.json Podman, Buildah and Skopeo read (kinds/podman.ts), which is the same format's subset.
 */
export function credentialHelperKind<K extends string>(
  kind: K,
  {
    tool,
    file,
    defaultPath,
  }: { tool: ScanTool; file: string; defaultPath: (environment: Environment) => string },
): TargetKindDefinition<{ kind: K; path: string; hosts: string[] }, DockerAuthsCleanup> {
  return {
    ...common,
    kind,
    scanTool: tool,
    defaultPath,
    holdsToken: false,
    fromRequest: (request) => ({ kind, path: request.path, hosts: requestedHosts(request) }),
    describe: (spec) =>
      `${tool}: credHelpers for ${spec.hosts.join(', ')} in ${spec.path} (no token in the file)`,
    fields: (spec) => [file, hostFields(spec)],
    writer: (spec, _credentials, restore) =>
      dockerEdit({ helper: { hosts: spec.hosts, name: HELPER_NAME } }, restore),
    remover: (record) => (text) => {
      const edited = editDockerConfig(text, {
        helper: { hosts: record.hosts, name: null, putBack: record.restore },
      });
      // `{}` is what the first write started from: a file Artikey created then holds nothing.
      return record.createdFile && edited.trim() === '{}' ? '' : edited;
    },
    ownsEntry: () => false, // The tool asks Artikey; no copy lies in the file.
    adopt: (credential) => {
      const host = credential.host;
      if (!host) return 'no registry host';
      return {
        target: { kind, path: credential.file, hosts: [host] },
        cleanup: { kind: 'docker-auths', path: credential.file, hosts: [host] },
      };
    },
    cleanup: {
      kind: 'docker-auths',
      secret: false,
      edit: (text, { hosts }) => removeLogins(text, hosts),
    },
  };
}

export const dockerHelper: TargetKindDefinition<DockerHelperSpec, DockerAuthsCleanup> =
  credentialHelperKind('docker-helper', {
    tool: 'docker',
    file: 'config.json',
    defaultPath: common.defaultPath,
  });

export const dockerAuths: TargetKindDefinition<DockerAuthsSpec> = {
  ...common,
  kind: 'docker-auths',
  holdsToken: true,
  fromRequest: (request) => ({
    kind: 'docker-auths',
    path: request.path,
    hosts: requestedHosts(request),
  }),
  describe: (spec) => `docker: auths for ${spec.hosts.join(', ')} in ${spec.path}`,
  fields: (spec, { username, token }) => [
    'config.json',
    [...hostFields(spec), ['user name', username, BASIC_USER_UNSAFE], ['token', token]],
  ],
  writer: (spec, { username, token }, restore) =>
    dockerEdit({ auths: { hosts: spec.hosts, username, secret: token } }, restore),
  remover: (record) => (text) => {
    const edited = editDockerConfig(text, {
      auths: { hosts: record.hosts, remove: true, putBack: record.restore },
    });
    // `{}` is what the first write started from: a file Artikey created then holds nothing.
    return record.createdFile && edited.trim() === '{}' ? '' : edited;
  },
  ownsEntry: (spec, credential) =>
    spec.hosts.some((h) => credential.location === `auths[${JSON.stringify(h)}]`),
};
