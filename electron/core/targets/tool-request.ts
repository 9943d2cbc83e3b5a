import type { Environment } from '../paths.js';
import { invalidOption, type ConfigureOptions } from './kinds/definition.js';
import { definitionFor, definitionOf } from './target-kinds.js';
import type { TargetKind, TargetSpec } from './target-record.js';

export type { ConfigureOptions } from './kinds/definition.js';

/** The tools Artikey configures, as people name them (the CLI's and the app's choices). */
export const TOOLS = [
  'docker',
  'npm',
  'maven',
  'pip',
  'netrc',
  'gradle',
  'pypirc',
  'poetry',
  'podman',
  'yarn',
  'cargo',
  'helm',
  'go',
  'bun',
  'uv',
  'nuget',
  'jfrog',
  'conan',
  'terraform',
  'sbt',
] as const;
export type Tool = (typeof TOOLS)[number];

/**
 * The target kinds each tool name covers: `configure` writes the one `kindFor` picks,
 * `unconfigure docker` removes both Docker modes.
 */
const TOOL_KINDS = {
  docker: ['docker-helper', 'docker-auths'],
  npm: ['npm'],
  maven: ['maven'],
  pip: ['pip'],
  netrc: ['netrc'],
  gradle: ['gradle'],
  podman: ['podman'],
  pypirc: ['pypirc'],
  poetry: ['poetry-auth', 'poetry-repository'],
  yarn: ['yarn'],
  cargo: ['cargo', 'cargo-registry'],
  helm: ['helm'],
  // The .netrc entry Go's credentials go in is the netrc tool's kind, written as go's companion.
  go: ['go'],
  bun: ['bun'],
  uv: ['uv'],
  nuget: ['nuget'],
  jfrog: ['jfrog-cli'],
  conan: ['conan', 'conan-remote'],
  terraform: ['terraform'],
  sbt: ['sbt'],
} as const satisfies Record<Tool, readonly [TargetKind, ...TargetKind[]]>;

/** A kind no tool name reaches could be neither configured nor removed: that does not compile. */
type None<T extends never> = T;
export type KindsWithoutATool = None<Exclude<TargetKind, (typeof TOOL_KINDS)[Tool][number]>>;

/** Other names people type for a tool: `jf` is the JFrog CLI's command. */
const ALIASES: Partial<Record<string, Tool>> = { jf: 'jfrog' };

export function parseTool(name: string): Tool {
  const wanted = name.toLowerCase();
  const tool = TOOLS.find((t) => t === (ALIASES[wanted] ?? wanted));
  if (!tool)
    throw invalidOption(
      `"${name}" is not a tool Artikey configures; choose one of ${TOOLS.join(', ')}`,
    );
  return tool;
}

/** The target kinds a tool name covers. */
export const kindsOf = (tool: Tool): TargetKind[] => [...TOOL_KINDS[tool]];

/** The tool a target kind belongs to (every kind has one; see `KindsWithoutATool`). */
export function toolOf(kind: TargetKind): Tool {
  const tool = TOOLS.find((t) => (TOOL_KINDS[t] as readonly TargetKind[]).includes(kind));
  if (tool === undefined) throw new Error(`No tool covers the target kind ${kind}`);
  return tool;
}

/** The kind `configure` writes for a tool: Docker's `--auths` asks for the token in the file. */
const kindFor = (tool: Tool, options: ConfigureOptions): TargetKind =>
  tool === 'docker' && options.auths ? 'docker-auths' : TOOL_KINDS[tool][0];

/** Turns a request into what Artikey writes, with the defaults JFrog's own setup uses. */
export function targetSpec(
  tool: Tool,
  instance: { platformUrl: string; name?: string },
  options: ConfigureOptions,
  environment: Environment,
): TargetSpec {
  return specOf(kindFor(tool, options), tool, instance, options, environment);
}

function specOf(
  kindName: TargetKind,
  tool: Tool,
  instance: { platformUrl: string; name?: string },
  options: ConfigureOptions,
  environment: Environment,
): TargetSpec {
  const kind = definitionOf(kindName);
  return kind.fromRequest({
    options,
    platformUrl: instance.platformUrl,
    instanceName: instance.name ?? null,
    artifactoryUrl: new URL('artifactory/', instance.platformUrl).toString(),
    path: options.file ?? kind.defaultPath(environment),
    environment,
    repo: (purpose) => {
      const name = options.repo?.trim();
      if (!name)
        throw invalidOption(
          `${tool} needs --repo <${purpose} repository>, e.g. --repo ${purpose}-virtual`,
        );
      if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name))
        throw invalidOption(`"${name}" is not a repository key`);
      return name;
    },
  });
}

/** One line per target, for people. */
export const describeTarget = (target: TargetSpec): string =>
  definitionFor(target).describe(target);
