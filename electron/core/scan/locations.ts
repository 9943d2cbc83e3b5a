import { posix, win32 } from 'node:path';
import type { Environment } from '../paths.js';
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
 * The files each tool reads its user-level credentials from, per platform, honouring the
 * tools' own environment overrides; in tool order, each tool's files in the order it reads them.
 */
export function credentialFiles(environment: Environment): CredentialFile[] {
  const { platform, env, home } = environment;
  const path = pathsFor(platform);
  const fromEnv = (name: string): string | null => {
    const value = variable(env, name);
    return value === null ? null : path.resolve(home, value);
  };
  const files: CredentialFile[] = [];
  const add = (tool: ScanTool, ...paths: string[]): void => {
    for (const file of paths) files.push({ tool, path: file });
  };

  add('docker', path.join(fromEnv('DOCKER_CONFIG') ?? path.join(home, '.docker'), 'config.json'));

  // npm reads its configuration variables case-insensitively.
  add(
    'npm',
    fromEnv('NPM_CONFIG_USERCONFIG') ??
      fromEnv('npm_config_userconfig') ??
      path.join(home, '.npmrc'),
  );

  add('maven', path.join(home, '.m2', 'settings.xml'));
  const m2Home = fromEnv('M2_HOME');
  if (m2Home !== null) add('maven', path.join(m2Home, 'conf', 'settings.xml'));

  const pipFile = variable(env, 'PIP_CONFIG_FILE');
  if (pipFile !== null && !isDevNull(pipFile, platform)) add('pip', path.resolve(home, pipFile));
  if (platform === 'win32') {
    add(
      'pip',
      path.join(fromEnv('APPDATA') ?? path.join(home, 'AppData', 'Roaming'), 'pip', 'pip.ini'),
    );
    add('pip', path.join(home, 'pip', 'pip.ini'));
  } else if (platform === 'darwin') {
    add('pip', path.join(home, 'Library', 'Application Support', 'pip', 'pip.conf'));
    add('pip', path.join(home, '.config', 'pip', 'pip.conf'));
    add('pip', path.join(home, '.pip', 'pip.conf'));
  } else {
    // A relative XDG_CONFIG_HOME is invalid and ignored, as the XDG spec says.
    const xdg = variable(env, 'XDG_CONFIG_HOME');
    add(
      'pip',
      path.join(
        xdg !== null && path.isAbsolute(xdg) ? xdg : path.join(home, '.config'),
        'pip',
        'pip.conf',
      ),
    );
    add('pip', path.join(home, '.pip', 'pip.conf'));
  }

  const netrc = fromEnv('NETRC');
  if (netrc !== null) add('netrc', netrc);
  else if (platform === 'win32') add('netrc', path.join(home, '.netrc'), path.join(home, '_netrc'));
  else add('netrc', path.join(home, '.netrc'));

  add(
    'gradle',
    path.join(fromEnv('GRADLE_USER_HOME') ?? path.join(home, '.gradle'), 'gradle.properties'),
  );

  const jfrogHome = jfrogCliHome(environment);
  add('jfrog-cli', ...JFROG_CLI_FILES.map((name) => path.join(jfrogHome, name)));
  return files;
}

/** `PIP_CONFIG_FILE=os.devnull` switches pip's own files off; there is nothing to read there. */
function isDevNull(file: string, platform: NodeJS.Platform): boolean {
  return file === '/dev/null' || (platform === 'win32' && file.toLowerCase() === 'nul');
}
