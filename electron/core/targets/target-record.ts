import { isObject, isString, type SpecFieldsCheck } from './kinds/spec-fields.js';
import {
  hasDockerFields,
  type DockerAuthsSpec,
  type DockerHelperSpec,
} from './kinds/docker-spec.js';
import { hasGradleFields, type GradleSpec } from './kinds/gradle-spec.js';
import { hasMavenFields, type MavenSpec } from './kinds/maven-spec.js';
import { hasNetrcFields, type NetrcSpec } from './kinds/netrc-spec.js';
import { hasNpmFields, type NpmSpec } from './kinds/npm-spec.js';
import { hasPipFields, type PipSpec } from './kinds/pip-spec.js';
import { hasPodmanFields, type PodmanSpec } from './kinds/podman-spec.js';
import {
  hasPoetryAuthFields,
  hasPoetryRepositoryFields,
  type PoetryAuthSpec,
  type PoetryRepositorySpec,
} from './kinds/poetry-spec.js';
import { hasPypircFields, type PypircSpec } from './kinds/pypirc-spec.js';
import { hasYarnFields, type YarnSpec } from './kinds/yarn-spec.js';
import {
  hasCargoFields,
  hasCargoRegistryFields,
  type CargoRegistrySpec,
  type CargoSpec,
} from './kinds/cargo-spec.js';
import { hasHelmFields, type HelmSpec } from './kinds/helm-spec.js';
import { hasGoFields, type GoSpec } from './kinds/go-spec.js';
import { hasBunFields, type BunSpec } from './kinds/bun-spec.js';
import { hasUvFields, type UvSpec } from './kinds/uv-spec.js';
import { hasNuGetFields, type NuGetSpec } from './kinds/nuget-spec.js';
import { hasJfrogCliFields, type JfrogCliSpec } from './kinds/jfrog-cli-spec.js';
import {
  hasConanFields,
  hasConanRemoteFields,
  type ConanRemoteSpec,
  type ConanSpec,
} from './kinds/conan-spec.js';
import { hasTerraformFields, type TerraformSpec } from './kinds/terraform-spec.js';
import { hasSbtFields, type SbtSpec } from './kinds/sbt-spec.js';

/**
 * The places an instance's credentials were written to, kept in the state file (never with the
 * secret) so that a refresh rewrites every copy and a logout takes every one out again. Each
 * kind's spec lives in kinds/<kind>-spec.ts, its behaviour in kinds/<kind>.ts (see target-kinds.ts).
 */
export type TargetSpec =
  | DockerHelperSpec
  | DockerAuthsSpec
  | NpmSpec
  | MavenSpec
  | PipSpec
  | NetrcSpec
  | GradleSpec
  | PodmanSpec
  | PypircSpec
  | PoetryAuthSpec
  | PoetryRepositorySpec
  | YarnSpec
  | CargoSpec
  | CargoRegistrySpec
  | HelmSpec
  | GoSpec
  | BunSpec
  | UvSpec
  | NuGetSpec
  | JfrogCliSpec
  | ConanSpec
  | ConanRemoteSpec
  | TerraformSpec
  | SbtSpec;

export type TargetKind = TargetSpec['kind'];

/** What the state file records about a target's writes, beside its spec. */
export interface TargetNotes {
  /** Artikey created the file, so removing its last entry removes the file. */
  createdFile: boolean;
  /**
   * What Artikey's first write replaced, as the file spelt it (quotes, escapes, spacing), put back
   * byte for byte on removal: non-secret settings (npm `registry=`, pip `index-url`), `${VAR}`
   * references, another Docker credential helper, a Maven server or mirror the user wrote. Never a
   * secret (see restore-notes.ts `rememberPrevious`).
   */
  restore: Record<string, string>;
  /** Seconds since the epoch of the last successful write. */
  writtenAt: number | null;
  /** The last write that failed (a refresh could not update this copy). */
  error: { code: string; message: string; at: number } | null;
}

export type TargetRecord = TargetSpec & TargetNotes;

export interface TargetCredentials {
  username: string;
  token: string;
}

/**
 * Each kind's check of its own fields in a record read back from the state file. The Docker
 * helper reads that file on every pull: this module and the `*-spec.ts` modules it imports load
 * no writer (kinds/<kind>.ts and target-kinds.ts do).
 */
const SPEC_FIELDS = {
  'docker-helper': hasDockerFields,
  'docker-auths': hasDockerFields,
  npm: hasNpmFields,
  maven: hasMavenFields,
  pip: hasPipFields,
  netrc: hasNetrcFields,
  gradle: hasGradleFields,
  podman: hasPodmanFields,
  pypirc: hasPypircFields,
  'poetry-auth': hasPoetryAuthFields,
  'poetry-repository': hasPoetryRepositoryFields,
  yarn: hasYarnFields,
  cargo: hasCargoFields,
  'cargo-registry': hasCargoRegistryFields,
  helm: hasHelmFields,
  go: hasGoFields,
  bun: hasBunFields,
  uv: hasUvFields,
  nuget: hasNuGetFields,
  'jfrog-cli': hasJfrogCliFields,
  conan: hasConanFields,
  'conan-remote': hasConanRemoteFields,
  terraform: hasTerraformFields,
  sbt: hasSbtFields,
} satisfies Record<TargetKind, SpecFieldsCheck>;

const isKind = (kind: unknown): kind is TargetKind =>
  typeof kind === 'string' && Object.hasOwn(SPEC_FIELDS, kind);

/** A target as read back from the state file: checked field by field, never trusted. */
export function isTargetRecord(value: unknown): value is TargetRecord {
  if (!isObject(value) || !isString(value['path']) || typeof value['createdFile'] !== 'boolean')
    return false;
  if (!isObject(value['restore']) || !Object.values(value['restore']).every(isString)) return false;
  if (!(value['writtenAt'] === null || typeof value['writtenAt'] === 'number')) return false;
  if (!(value['error'] === null || isObject(value['error']))) return false;
  return isKind(value['kind']) && SPEC_FIELDS[value['kind']](value);
}
