/**
 * Every kind of target Artikey writes, one definition each; the shared code (target-record.ts,
 * targets.ts, tool-request.ts, registry.ts, preview.ts, scan/, backups/, migrate.ts) asks the
 * kind's definition instead of switching on `kind`.
 *
 * Adding a target kind (say `cargo`):
 * 1. `kinds/cargo-spec.ts`: the spec (`interface CargoSpec { kind: 'cargo'; path: string; … }`)
 *    and `hasCargoFields`, its check when read back from the state file. It imports nothing but
 *    kinds/definition.ts: the Docker helper reads the state file on every pull, and must not load
 *    the writers with it (test/targets/target-kinds.test.ts holds that).
 * 2. `kinds/cargo.ts`: `export const cargo: TargetKindDefinition<CargoSpec>`; kinds/definition.ts
 *    says what each member is for. Build it from the shared pieces: the editors beside this file
 *    (ini-file, java-properties, maven-settings, json-members, netrc…), restore-notes.ts
 *    (`rememberPrevious`, `putBack`, `withCredentials`); `fields` goes through safe-values.ts.
 * 3. target-record.ts: `CargoSpec` in the `TargetSpec` union and `hasCargoFields` in
 *    `SPEC_FIELDS`; here: `cargo` in `DEFINITIONS`. These check each other: a spec in the union
 *    without its definition or check, or a definition of a kind not in the union, does not compile.
 * 4. tool-request.ts: the name people use in `TOOLS` and `TOOL_KINDS` (a kind no tool reaches does
 *    not compile; `docker` and `cargo` have two kinds each). Then electron/ipc (`TOOL_NAMES`,
 *    `ToolKind`), the renderer's labels and tools panel, electron/cli/commands.ts's help and the
 *    README; test/ipc/contract.test.ts fails until the contract matches the core.
 * 5. The scan: `ScanTool` in scan/credential.ts, a reader `scan/cargo.ts` (its files in
 *    scan/locations.ts) listed in scan/readers.ts; the definition's `scanTool` names it,
 *    `ownsEntry` says where the writer puts the token, and `adopt` (optional) lets migrate replace
 *    a plain-text credential found there.
 * 6. Tests: the writer and remover (test/targets/), restore-exact and injection
 *    (test/integrity/restore-exact.test.ts, test/security/tool-file-injection.security.test.ts),
 *    the scan reader (test/scan/), and the real client where one installs (test/clients/).
 */
import type { ScanTool } from '../scan/credential.js';
import { byteOrderMarkOf } from './byte-order-mark.js';
import type { ByteOrderMark } from './tool-file.js';
import type { Cleanup, TargetKindDefinition } from './kinds/definition.js';
import { dockerAuths, dockerHelper } from './kinds/docker.js';
import { gradle } from './kinds/gradle.js';
import { maven } from './kinds/maven.js';
import { netrc } from './kinds/netrc.js';
import { npm } from './kinds/npm.js';
import { pip } from './kinds/pip.js';
import { podman } from './kinds/podman.js';
import { poetryAuth, poetryRepository } from './kinds/poetry.js';
import { pypirc } from './kinds/pypirc.js';
import { yarn } from './kinds/yarn.js';
import { cargo, cargoRegistry } from './kinds/cargo.js';
import { helm } from './kinds/helm.js';
import { go } from './kinds/go.js';
import { bun } from './kinds/bun.js';
import { uv } from './kinds/uv.js';
import { nuget } from './kinds/nuget.js';
import { jfrogCli } from './kinds/jfrog-cli.js';
import { conan, conanRemote } from './kinds/conan.js';
import { terraform } from './kinds/terraform.js';
import { sbt } from './kinds/sbt.js';
import type { TargetKind, TargetSpec } from './target-record.js';

/** The spec of one kind, narrowed out of the union. */
export type SpecOf<K extends TargetKind> = Extract<TargetSpec, { kind: K }>;

const DEFINITIONS = {
  'docker-helper': dockerHelper,
  'docker-auths': dockerAuths,
  npm,
  maven,
  pip,
  netrc,
  gradle,
  podman,
  pypirc,
  'poetry-auth': poetryAuth,
  'poetry-repository': poetryRepository,
  yarn,
  cargo,
  'cargo-registry': cargoRegistry,
  helm,
  go,
  bun,
  uv,
  nuget,
  'jfrog-cli': jfrogCli,
  conan,
  'conan-remote': conanRemote,
  terraform,
  sbt,
} satisfies { [K in TargetKind]: TargetKindDefinition<SpecOf<K>, Cleanup> };

/**
 * The definition of a kind, seen from the shared code: its members take any spec, and the shared
 * code hands each only specs of its own kind (`definitionFor`), which the map above pairs with it.
 */
export const definitionOf = (kind: TargetKind): TargetKindDefinition<TargetSpec, Cleanup> =>
  DEFINITIONS[kind];

/** The definition of the spec's own kind. */
export const definitionFor = (spec: TargetSpec): TargetKindDefinition<TargetSpec, Cleanup> =>
  definitionOf(spec.kind);

/**
 * The kind migrate turns a scan tool's plain-text credentials into (Docker's `auths` become the
 * credential helper's entry): the first in `DEFINITIONS` that reads the tool's files and adopts.
 */
export const adopterOf = (tool: ScanTool): TargetKindDefinition<TargetSpec, Cleanup> | undefined =>
  Object.values(DEFINITIONS).find((d) => d.scanTool === tool && d.adopt !== undefined);

/** The kind whose `adopt` makes cleanups of this `kind`: its `cleanup` takes them out of its tool's files. */
export const cleaningKindOf = (
  kind: string,
): TargetKindDefinition<TargetSpec, Cleanup> | undefined =>
  Object.values(DEFINITIONS).find((d) => d.cleanup?.kind === kind);

export const cleanerOf = (
  kind: string,
): NonNullable<TargetKindDefinition<TargetSpec, Cleanup>['cleanup']> | undefined =>
  cleaningKindOf(kind)?.cleanup;

/** How the target's tool reads a byte-order mark, for every edit and preview of its file. */
export const byteOrderMarkFor = (target: TargetSpec): ByteOrderMark =>
  byteOrderMarkOf(definitionFor(target).scanTool);

/** Whether the file holds a copy of the token (and so must be rewritten on every refresh). */
export const holdsToken = (target: TargetSpec): boolean => definitionFor(target).holdsToken;

/** Two specs name the same entry of the same file. */
export const sameTarget = (a: TargetSpec, b: TargetSpec): boolean =>
  a.kind === b.kind && a.path === b.path && definitionFor(a).sameEntry(a, b);

/** Configuring the spec writes a copy of the token: in its own file, or in its companion's (Go's .netrc). */
export const writesToken = (target: TargetSpec): boolean => {
  const companion = definitionFor(target).companion?.(target);
  return holdsToken(target) || (companion !== undefined && holdsToken(companion));
};
