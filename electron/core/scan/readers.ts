import type { Environment } from '../paths.js';
import type { FindContext } from './classify.js';
import { findInCargoFile } from './cargo.js';
import { findInGoEnv } from './go.js';
import { findInBunfig } from './bun.js';
import { findInUvConfig } from './uv.js';
import { findInConanCredentials } from './conan.js';
import type { ScanTool } from './credential.js';
import { findInDockerConfig, type DockerFormatTool } from './docker.js';
import type { Findings } from './findings.js';
import { findInGradleProperties } from './gradle.js';
import { findInJfrogCliConfig } from './jfrog-cli.js';
import {
  cargoFiles,
  terraformFiles,
  sbtFiles,
  dockerFiles,
  gradleFiles,
  jfrogCliFiles,
  mavenFiles,
  netrcFiles,
  npmFiles,
  nugetFiles,
  pipFiles,
  podmanFiles,
  pypircFiles,
  poetryFiles,
  yarnFiles,
  helmFiles,
  goFiles,
  bunFiles,
  uvFiles,
  conanFiles,
  type CredentialFile,
  type Locate,
} from './locations.js';
import { findInMavenSettings } from './maven.js';
import { findInNetrc } from './netrc.js';
import { findInNpmrc } from './npm.js';
import { findInNuGetConfig } from './nuget.js';
import { findInPipConfig } from './pip.js';
import { findInPypirc } from './pypirc.js';
import { findInPoetryAuth } from './poetry.js';
import { findInYarnrc } from './yarn.js';
import { findInHelmRepositories } from './helm.js';
import { findInTerraformFile } from './terraform.js';
import { findInSbtCredentials } from './sbt.js';

/** How the scan reads one tool's files: where they are, and what credentials a file holds. */
export interface ScanReader {
  /** The format as a problem names it: "Docker's config.json is not valid". */
  format: string;
  files: Locate;
  /** `encryptionKey`: JFrog CLI's, for the one format that encrypts. Throws for text the tool could not read either. */
  find(context: FindContext, body: string, encryptionKey: string | null): Findings;
}

const PODMAN: DockerFormatTool = { name: 'Podman', format: 'The containers auth.json' };

/** One reader per scan tool, in the order the scan reports the tools' files. */
const READERS = {
  docker: {
    format: "Docker's config.json",
    files: dockerFiles,
    find: (context, body) => findInDockerConfig(context, body),
  },
  npm: {
    format: 'The npm configuration',
    files: npmFiles,
    find: (context, body) => findInNpmrc(context, body),
  },
  maven: {
    format: "Maven's settings.xml",
    files: mavenFiles,
    find: (context, body) => findInMavenSettings(context, body),
  },
  pip: {
    format: 'The pip configuration',
    files: pipFiles,
    find: (context, body) => findInPipConfig(context, body),
  },
  netrc: {
    format: 'The netrc file',
    files: netrcFiles,
    find: (context, body) => findInNetrc(context, body),
  },
  gradle: {
    format: 'gradle.properties',
    files: gradleFiles,
    find: (context, body) => findInGradleProperties(context, body),
  },
  'jfrog-cli': {
    format: 'The JFrog CLI configuration',
    files: jfrogCliFiles,
    find: findInJfrogCliConfig,
  },
  podman: {
    format: PODMAN.format,
    files: podmanFiles,
    find: (context, body) => findInDockerConfig(context, body, PODMAN),
  },
  pypirc: {
    format: '.pypirc',
    files: pypircFiles,
    find: (context, body) => findInPypirc(context, body),
  },
  poetry: {
    format: "Poetry's auth.toml",
    files: poetryFiles,
    find: (context, body) => findInPoetryAuth(context, body),
  },
  yarn: {
    format: "Yarn's .yarnrc.yml",
    files: yarnFiles,
    find: (context, body) => findInYarnrc(context, body),
  },
  cargo: {
    format: "Cargo's configuration",
    files: cargoFiles,
    find: (context, body) => findInCargoFile(context, body),
  },
  helm: {
    format: "Helm's repositories.yaml",
    files: helmFiles,
    find: (context, body) => findInHelmRepositories(context, body),
  },
  go: {
    format: 'The Go env file',
    files: goFiles,
    find: (context, body) => findInGoEnv(context, body),
  },
  bun: {
    format: "Bun's .bunfig.toml",
    files: bunFiles,
    find: (context, body) => findInBunfig(context, body),
  },
  uv: {
    format: "uv's uv.toml",
    files: uvFiles,
    find: (context, body) => findInUvConfig(context, body),
  },
  nuget: {
    format: 'NuGet.Config',
    files: nugetFiles,
    find: (context, body) => findInNuGetConfig(context, body),
  },
  conan: {
    format: "Conan's credentials.json",
    files: conanFiles,
    find: (context, body) => findInConanCredentials(context, body),
  },
  terraform: {
    format: "Terraform's CLI configuration",
    files: terraformFiles,
    find: (context, body) => findInTerraformFile(context, body),
  },
  sbt: {
    format: "sbt's credentials file",
    files: sbtFiles,
    find: (context, body) => findInSbtCredentials(context, body),
  },
} satisfies Record<ScanTool, ScanReader>;

export const readerOf = (tool: ScanTool): ScanReader => READERS[tool];

/**
 * The files each tool reads its user-level credentials from, per platform, honouring the
 * tools' own environment overrides; in tool order, each tool's files in the order it reads them.
 */
export function credentialFiles(environment: Environment): CredentialFile[] {
  // The keys are READERS' own, each a ScanTool (checked by `satisfies`).
  return (Object.keys(READERS) as ScanTool[]).flatMap((tool) =>
    READERS[tool].files(environment).map((path) => ({ tool, path })),
  );
}
