import { registryHostOf } from '../docker-hosts.js';
import { ArtikeyError } from '../errors.js';
import type { Environment } from '../paths.js';
import type { TargetKind, TargetSpec } from './target-record.js';
import { defaultTargetPath } from './targets.js';

/** The tools Artikey configures, as people name them (the CLI's and the app's choices). */
export const TOOLS = ['docker', 'npm', 'maven', 'pip', 'netrc', 'gradle'] as const;
export type Tool = (typeof TOOLS)[number];

/** What a person says about the entry: the CLI's options, the app's form. */
export interface ConfigureOptions {
  repo?: string | undefined;
  file?: string | undefined;
  hosts?: string[] | undefined;
  auths?: boolean | undefined;
  scope?: string | undefined;
  setRegistry?: boolean | undefined;
  serverId?: string | undefined;
  mirror?: string | undefined;
  prefix?: string | undefined;
}

const invalid = (message: string): ArtikeyError => new ArtikeyError('invalid-option', message);

/** A `--host` as Docker will name it; user info, spaces and the like make it no host at all. */
function registryHost(given: string): string {
  const host = registryHostOf(given);
  if (host === '') throw invalid(`"${given}" is not a registry host such as acme.jfrog.io`);
  return host;
}

export function parseTool(name: string): Tool {
  const tool = TOOLS.find((t) => t === name.toLowerCase());
  if (!tool)
    throw invalid(`"${name}" is not a tool Artikey configures; choose one of ${TOOLS.join(', ')}`);
  return tool;
}

/** The target kinds a tool name covers (`unconfigure docker` removes both Docker modes). */
export const kindsOf = (tool: Tool): TargetKind[] =>
  tool === 'docker' ? ['docker-helper', 'docker-auths'] : [tool];

/** Turns a request into what Artikey writes, with the defaults JFrog's own setup uses. */
export function targetSpec(
  tool: Tool,
  instance: { platformUrl: string },
  options: ConfigureOptions,
  environment: Environment,
): TargetSpec {
  const artifactoryUrl = new URL('artifactory/', instance.platformUrl).toString();
  const repo = (purpose: string): string => {
    const name = options.repo?.trim();
    if (!name)
      throw invalid(`${tool} needs --repo <${purpose} repository>, e.g. --repo ${purpose}-virtual`);
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name))
      throw invalid(`"${name}" is not a repository key`);
    return name;
  };
  const path = (kind: TargetKind): string => options.file ?? defaultTargetPath(kind, environment);
  switch (tool) {
    case 'docker': {
      const kind = options.auths ? 'docker-auths' : 'docker-helper';
      const hosts = options.hosts?.length
        ? options.hosts.map((h) => registryHost(h))
        : [registryHostOf(instance.platformUrl)];
      return { kind, path: path(kind), hosts: [...new Set(hosts)] };
    }
    case 'npm': {
      const scope = options.scope?.trim() || null;
      if (scope !== null && !/^@[a-z0-9][a-z0-9._~-]*$/.test(scope))
        throw invalid(`--scope "${scope}" is not an npm scope such as @acme`);
      return {
        kind: 'npm',
        path: path('npm'),
        registryUrl: `${artifactoryUrl}api/npm/${repo('npm')}/`,
        scope,
        setRegistry: options.setRegistry === true || scope !== null,
      };
    }
    case 'maven': {
      const serverId = options.serverId?.trim() || 'artifactory-mirror';
      if (!/^[A-Za-z0-9._-]+$/.test(serverId))
        throw invalid(
          `--server-id "${serverId}" should be letters, digits, dots, dashes or underscores`,
        );
      // `--repo` names Maven's mirror as it names npm's and pip's repository; `--mirror` says it too.
      const mirror = options.mirror?.trim() || (options.repo?.trim() ? repo('maven') : undefined);
      return {
        kind: 'maven',
        path: path('maven'),
        serverId,
        mirror: mirror ? { url: `${artifactoryUrl}${mirror}/`, mirrorOf: '*' } : null,
      };
    }
    case 'pip':
      return {
        kind: 'pip',
        path: path('pip'),
        indexUrl: `${artifactoryUrl}api/pypi/${repo('pypi')}/simple/`,
      };
    case 'netrc':
      return {
        kind: 'netrc',
        path: path('netrc'),
        machine: new URL(instance.platformUrl).hostname,
      };
    case 'gradle': {
      const prefix = options.prefix?.trim() || 'artifactory';
      if (!/^[A-Za-z][A-Za-z0-9_.]*$/.test(prefix))
        throw invalid(`--prefix "${prefix}" should be a property name such as artifactory`);
      return {
        kind: 'gradle',
        path: path('gradle'),
        prefix,
        contextUrl: artifactoryUrl.replace(/\/$/, ''),
      };
    }
  }
}

/** One line per target, for people. */
export function describeTarget(target: TargetSpec): string {
  const where = target.path;
  switch (target.kind) {
    case 'docker-helper':
      return `docker: credHelpers for ${target.hosts.join(', ')} in ${where} (no token in the file)`;
    case 'docker-auths':
      return `docker: auths for ${target.hosts.join(', ')} in ${where}`;
    case 'npm':
      return `npm: ${target.registryUrl}${target.scope ? ` for ${target.scope}` : ''} in ${where}`;
    case 'maven':
      return `maven: server ${target.serverId}${target.mirror ? ` with mirror ${target.mirror.url}` : ''} in ${where}`;
    case 'pip':
      return `pip: index-url ${target.indexUrl} in ${where}`;
    case 'netrc':
      return `netrc: machine ${target.machine} in ${where}`;
    case 'gradle':
      return `gradle: ${target.prefix}_user/_password/_contextUrl in ${where}`;
  }
}
