import { posix, win32 } from 'node:path';
import type { Environment } from '../paths.js';
import { goEnvPath } from '../targets/go-env-file.js';
import type { ScanTool } from './credential.js';

export interface CredentialFile {
  tool: ScanTool;
  path: string;
}

/** jfrog-cli's files, newest first: it migrates the older ones but leaves them behind. */
export const JFROG_CLI_FILES = [
  'jfrog-cli.conf.v6',
  'jfrog-cli.conf.v5',
  'jfrog-cli.conf.v4',
  'jfrog-cli.conf',
];

const pathsFor = (platform: NodeJS.Platform): typeof posix =>
  platform === 'win32' ? win32 : posix;

/** An environment variable's value, or null when unset or empty (tools treat both the same). */
function variable(env: Record<string, string | undefined>, name: string): string | null {
  const value = env[name];
  return value === undefined || value.trim() === '' ? null : value;
}

/** JFrog CLI's home: `$JFROG_CLI_HOME_DIR` or `~/.jfrog`. */
export function jfrogCliHome({ platform, env, home }: Environment): string {
  const path = pathsFor(platform);
  const override = variable(env, 'JFROG_CLI_HOME_DIR');
  return override === null ? path.join(home, '.jfrog') : path.resolve(home, override);
}

/** Where JFrog CLI keeps the `masterKey` it encrypts its configuration with. */
export function jfrogSecurityFile(environment: Environment): string {
  return pathsFor(environment.platform).join(
    jfrogCliHome(environment),
    'security',
    'security.yaml',
  );
}

/**
 * The files one tool reads its user-level credentials from, per platform, honouring the tool's
 * own environment overrides, in the order it reads them.
 */
export type Locate = (environment: Environment) => string[];

/** An environment variable naming a file or folder, resolved against HOME as the tools do. */
function fromEnv({ platform, env, home }: Environment, name: string): string | null {
  const value = variable(env, name);
  return value === null ? null : pathsFor(platform).resolve(home, value);
}

export const dockerFiles: Locate = (environment) => {
  const path = pathsFor(environment.platform);
  return [
    path.join(
      fromEnv(environment, 'DOCKER_CONFIG') ?? path.join(environment.home, '.docker'),
      'config.json',
    ),
  ];
};

// npm reads its configuration variables case-insensitively.
export const npmFiles: Locate = (environment) => [
  fromEnv(environment, 'NPM_CONFIG_USERCONFIG') ??
    fromEnv(environment, 'npm_config_userconfig') ??
    pathsFor(environment.platform).join(environment.home, '.npmrc'),
];

export const mavenFiles: Locate = (environment) => {
  const path = pathsFor(environment.platform);
  const m2Home = fromEnv(environment, 'M2_HOME');
  return [
    path.join(environment.home, '.m2', 'settings.xml'),
    ...(m2Home === null ? [] : [path.join(m2Home, 'conf', 'settings.xml')]),
  ];
};

export const pipFiles: Locate = (environment) => {
  const { platform, env, home } = environment;
  const path = pathsFor(platform);
  const files: string[] = [];
  const pipFile = variable(env, 'PIP_CONFIG_FILE');
  if (pipFile !== null && !isDevNull(pipFile, platform)) files.push(path.resolve(home, pipFile));
  if (platform === 'win32') {
    files.push(
      path.join(
        fromEnv(environment, 'APPDATA') ?? path.join(home, 'AppData', 'Roaming'),
        'pip',
        'pip.ini',
      ),
      path.join(home, 'pip', 'pip.ini'),
    );
  } else if (platform === 'darwin') {
    files.push(
      path.join(home, 'Library', 'Application Support', 'pip', 'pip.conf'),
      path.join(home, '.config', 'pip', 'pip.conf'),
      path.join(home, '.pip', 'pip.conf'),
    );
  } else {
    // A relative XDG_CONFIG_HOME is invalid and ignored, as the XDG spec says.
    const xdg = variable(env, 'XDG_CONFIG_HOME');
    files.push(
      path.join(
        xdg !== null && path.isAbsolute(xdg) ? xdg : path.join(home, '.config'),
        'pip',
        'pip.conf',
      ),
      path.join(home, '.pip', 'pip.conf'),
    );
  }
  return files;
};

export const netrcFiles: Locate = (environment) => {
  const { platform, home } = environment;
  const path = pathsFor(platform);
  const netrc = fromEnv(environment, 'NETRC');
  if (netrc !== null) return [netrc];
  return platform === 'win32'
    ? [path.join(home, '.netrc'), path.join(home, '_netrc')]
    : [path.join(home, '.netrc')];
};

export const gradleFiles: Locate = (environment) => {
  const path = pathsFor(environment.platform);
  return [
    path.join(
      fromEnv(environment, 'GRADLE_USER_HOME') ?? path.join(environment.home, '.gradle'),
      'gradle.properties',
    ),
  ];
};

export const jfrogCliFiles: Locate = (environment) => {
  const jfrogHome = jfrogCliHome(environment);
  return JFROG_CLI_FILES.map((name) => pathsFor(environment.platform).join(jfrogHome, name));
};

/** twine's `--config-file` default; it expands `~` the same way on every platform. */
export const pypircFiles: Locate = (environment) => [
  pathsFor(environment.platform).join(environment.home, '.pypirc'),
];

/** Poetry's auth.toml, in its configuration folder (see poetryConfigDir). */
export const poetryFiles: Locate = (environment) => {
  const path = pathsFor(environment.platform);
  const { platform, home, env } = environment;
  const xdg = variable(env, 'XDG_CONFIG_HOME');
  const dir =
    fromEnv(environment, 'POETRY_CONFIG_DIR') ??
    (platform === 'win32'
      ? path.join(variable(env, 'APPDATA') ?? path.join(home, 'AppData', 'Roaming'), 'pypoetry')
      : platform === 'darwin'
        ? path.join(home, 'Library', 'Application Support', 'pypoetry')
        : path.join(xdg?.startsWith('/') ? xdg : path.join(home, '.config'), 'pypoetry'));
  return [path.join(dir, 'auth.toml')];
};

/**
 * Yarn Berry's home `.yarnrc.yml`, read by that name always; a `YARN_RC_FILENAME` in the home
 * folder too, which Yarn reads for the projects below it.
 */
export const yarnFiles: Locate = (environment) => {
  const path = pathsFor(environment.platform);
  const renamed = variable(environment.env, 'YARN_RC_FILENAME');
  return [
    path.join(environment.home, '.yarnrc.yml'),
    ...(renamed === null || renamed === '.yarnrc.yml'
      ? []
      : [path.join(environment.home, renamed)]),
  ];
};

/**
 * NuGet's user NuGet.Config: `%APPDATA%\\NuGet` on Windows; elsewhere `~/.nuget/NuGet` (dotnet,
 * NuGet 3+) and `~/.config/NuGet` (nuget.exe on Mono), "Common NuGet configurations".
 */
export const nugetFiles: Locate = (environment) => {
  const path = pathsFor(environment.platform);
  const { platform, env, home } = environment;
  if (platform === 'win32')
    return [
      path.join(
        variable(env, 'APPDATA') ?? path.join(home, 'AppData', 'Roaming'),
        'NuGet',
        'NuGet.Config',
      ),
    ];
  return [
    path.join(home, '.nuget', 'NuGet', 'NuGet.Config'),
    path.join(home, '.config', 'NuGet', 'NuGet.Config'),
  ];
};

/** `PIP_CONFIG_FILE=os.devnull` switches pip's own files off; there is nothing to read there. */
function isDevNull(file: string, platform: NodeJS.Platform): boolean {
  return file === '/dev/null' || (platform === 'win32' && file.toLowerCase() === 'nul');
}

/**
 * The containers auth.json Artikey writes for Podman, Buildah and Skopeo (containers-auth.json(5),
 * containers/image `getAuthFilePaths`). `REGISTRY_AUTH_FILE` replaces every other file when set.
 * Otherwise on Linux they write `${XDG_RUNTIME_DIR}/containers/auth.json`, which lives on a tmpfs
 * and is gone after a reboot, and read `${XDG_CONFIG_HOME:-~/.config}/containers/auth.json` next
 * when the first has no entry for the registry: that one survives, so Artikey writes it. On macOS
 * and Windows it is their only file; the podman client there looks credentials up on the host
 * (running docker-credential-artikey) and hands them to the machine's VM with the request.
 */
export function containersAuthFile(environment: Environment): string {
  const path = pathsFor(environment.platform);
  const override = fromEnv(environment, 'REGISTRY_AUTH_FILE');
  if (override !== null) return override;
  const xdg = variable(environment.env, 'XDG_CONFIG_HOME');
  const config =
    environment.platform === 'linux' && xdg !== null && path.isAbsolute(xdg)
      ? xdg
      : path.join(environment.home, '.config');
  return path.join(config, 'containers', 'auth.json');
}

/** Every containers auth.json they read before Docker's own config.json, in their order. */
export const podmanFiles: Locate = (environment) => {
  const persistent = containersAuthFile(environment);
  if (variable(environment.env, 'REGISTRY_AUTH_FILE') !== null) return [persistent];
  const runtime = variable(environment.env, 'XDG_RUNTIME_DIR');
  const path = pathsFor(environment.platform);
  return environment.platform === 'linux' && runtime !== null && path.isAbsolute(runtime)
    ? [path.join(runtime, 'containers', 'auth.json'), persistent]
    : [persistent];
};

/** Cargo's home (`$CARGO_HOME` or `~/.cargo`): its credentials, then its config, each in the old and the `.toml` spelling. */
export const cargoFiles: Locate = (environment) => {
  const path = pathsFor(environment.platform);
  const home = fromEnv(environment, 'CARGO_HOME') ?? path.join(environment.home, '.cargo');
  return ['credentials', 'credentials.toml', 'config', 'config.toml'].map((name) =>
    path.join(home, name),
  );
};

/**
 * Helm's `repositories.yaml`: `$HELM_REPOSITORY_CONFIG`, else in `$HELM_CONFIG_HOME`, else in
 * `helm` under `$XDG_CONFIG_HOME` (on every platform) or the platform's configuration folder
 * (helm.sh/helm/v3 `cli.New` and `helmpath`'s lazypath).
 */
export function helmRepositoriesFile(environment: Environment): string {
  const path = pathsFor(environment.platform);
  const file = fromEnv(environment, 'HELM_REPOSITORY_CONFIG');
  if (file !== null) return file;
  const { platform, env, home } = environment;
  const config =
    fromEnv(environment, 'HELM_CONFIG_HOME') ??
    path.join(
      fromEnv(environment, 'XDG_CONFIG_HOME') ??
        (platform === 'win32'
          ? (variable(env, 'APPDATA') ?? path.join(home, 'AppData', 'Roaming'))
          : platform === 'darwin'
            ? path.join(home, 'Library', 'Preferences')
            : path.join(home, '.config')),
      'helm',
    );
  return path.join(config, 'repositories.yaml');
}

export const helmFiles: Locate = (environment) => [helmRepositoriesFile(environment)];

/** The Go env file `go env GOENV` names; none with GOENV=off. */
export const goFiles: Locate = (environment) => {
  const found = goEnvPath(environment);
  return 'path' in found ? [found.path] : [];
};

/**
 * Bun's global `.bunfig.toml`: in `$XDG_CONFIG_HOME` when that is set (Bun then reads no other),
 * on every platform, else in the home folder (bun's `getHomeConfigPath`). A relative one is no
 * XDG folder (the spec says to ignore it).
 */
export function bunConfigFile(environment: Environment): string {
  const path = pathsFor(environment.platform);
  const xdg = variable(environment.env, 'XDG_CONFIG_HOME');
  return path.join(xdg !== null && path.isAbsolute(xdg) ? xdg : environment.home, '.bunfig.toml');
}

export const bunFiles: Locate = (environment) => [bunConfigFile(environment)];

/**
 * uv's user-level `uv.toml`: `%APPDATA%\uv\uv.toml` on Windows, else `$XDG_CONFIG_HOME/uv/uv.toml`
 * (an absolute one) or `~/.config/uv/uv.toml`, macOS included (uv's `user_config_dir`).
 */
export function uvConfigFile(environment: Environment): string {
  const path = pathsFor(environment.platform);
  const { platform, home, env } = environment;
  if (platform === 'win32')
    return path.join(
      variable(env, 'APPDATA') ?? path.join(home, 'AppData', 'Roaming'),
      'uv',
      'uv.toml',
    );
  const xdg = variable(env, 'XDG_CONFIG_HOME');
  const config = xdg !== null && path.isAbsolute(xdg) ? xdg : path.join(home, '.config');
  return path.join(config, 'uv', 'uv.toml');
}

export const uvFiles: Locate = (environment) => [uvConfigFile(environment)];

/** Conan 2's home: `$CONAN_HOME` or `~/.conan2`. */
export function conanHome(environment: Environment): string {
  return (
    fromEnv(environment, 'CONAN_HOME') ??
    pathsFor(environment.platform).join(environment.home, '.conan2')
  );
}

/** Conan 2's credentials.json, where it reads a remote's user and password. */
export const conanFiles: Locate = (environment) => [
  pathsFor(environment.platform).join(conanHome(environment), 'credentials.json'),
];

/**
 * Terraform's CLI configuration (`TF_CLI_CONFIG_FILE`, else `~/.terraformrc` or
 * `%APPDATA%\terraform.rc`), then the `credentials.tfrc.json` that `terraform login` writes in its
 * configuration directory (`~/.terraform.d`, `%APPDATA%\terraform.d`).
 */
export const terraformFiles: Locate = (environment) => {
  const path = pathsFor(environment.platform);
  const windows = environment.platform === 'win32';
  const appData =
    fromEnv(environment, 'APPDATA') ?? path.join(environment.home, 'AppData', 'Roaming');
  const main =
    fromEnv(environment, 'TF_CLI_CONFIG_FILE') ??
    fromEnv(environment, 'TERRAFORM_CONFIG') ??
    (windows ? path.join(appData, 'terraform.rc') : path.join(environment.home, '.terraformrc'));
  const directory = windows
    ? path.join(appData, 'terraform.d')
    : path.join(environment.home, '.terraform.d');
  return [main, path.join(directory, 'credentials.tfrc.json')];
};

/**
 * sbt's credentials files where sbt's documentation and Artifactory's put them: `~/.sbt/.credentials`,
 * and `~/.ivy2/.credentials` of older builds (the build names the file; these are the usual ones).
 */
export const sbtFiles: Locate = (environment) => {
  const path = pathsFor(environment.platform);
  return [
    path.join(environment.home, '.sbt', '.credentials'),
    path.join(environment.home, '.ivy2', '.credentials'),
  ];
};
