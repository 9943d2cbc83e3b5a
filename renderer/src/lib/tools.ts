import type { ToolKind } from '../../../electron/ipc/contract.js';

const LABELS: Record<ToolKind, string> = {
  'docker-helper': 'Docker',
  'docker-auths': 'Docker',
  npm: 'npm',
  maven: 'Maven',
  pip: 'pip',
  netrc: 'netrc',
  gradle: 'Gradle',
  podman: 'Podman',
  pypirc: 'twine',
  'poetry-auth': 'Poetry',
  'poetry-repository': 'Poetry',
  yarn: 'Yarn',
  cargo: 'Cargo',
  'cargo-registry': 'Cargo',
  helm: 'Helm',
  go: 'Go',
  bun: 'Bun',
  uv: 'uv',
  nuget: 'NuGet',
  'jfrog-cli': 'JFrog CLI',
  conan: 'Conan',
  'conan-remote': 'Conan',
  terraform: 'Terraform',
  sbt: 'sbt',
};

export const toolLabel = (kind: ToolKind): string => LABELS[kind];
