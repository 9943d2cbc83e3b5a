import { describe, expect, it } from 'vitest';
import { credentialFiles } from '../../electron/core/scan/scan.js';

const files = (
  platform: NodeJS.Platform,
  home: string,
  env: Record<string, string> = {},
): string[] => credentialFiles({ platform, env, home }).map(({ tool, path }) => `${tool} ${path}`);

describe('credentialFiles', () => {
  it('lists the Linux defaults, each tool in the order it reads its files', () => {
    expect(files('linux', '/home/alice')).toEqual([
      'docker /home/alice/.docker/config.json',
      'npm /home/alice/.npmrc',
      'maven /home/alice/.m2/settings.xml',
      'pip /home/alice/.config/pip/pip.conf',
      'pip /home/alice/.pip/pip.conf',
      'netrc /home/alice/.netrc',
      'gradle /home/alice/.gradle/gradle.properties',
      'jfrog-cli /home/alice/.jfrog/jfrog-cli.conf.v6',
      'jfrog-cli /home/alice/.jfrog/jfrog-cli.conf.v5',
      'jfrog-cli /home/alice/.jfrog/jfrog-cli.conf.v4',
      'jfrog-cli /home/alice/.jfrog/jfrog-cli.conf',
      'podman /home/alice/.config/containers/auth.json',
      'pypirc /home/alice/.pypirc',
      'poetry /home/alice/.config/pypoetry/auth.toml',
      'yarn /home/alice/.yarnrc.yml',
      'cargo /home/alice/.cargo/credentials',
      'cargo /home/alice/.cargo/credentials.toml',
      'cargo /home/alice/.cargo/config',
      'cargo /home/alice/.cargo/config.toml',
      'helm /home/alice/.config/helm/repositories.yaml',
      'go /home/alice/.config/go/env',
      'bun /home/alice/.bunfig.toml',
      'uv /home/alice/.config/uv/uv.toml',
      'nuget /home/alice/.nuget/NuGet/NuGet.Config',
      'nuget /home/alice/.config/NuGet/NuGet.Config',
      'conan /home/alice/.conan2/credentials.json',
      'terraform /home/alice/.terraformrc',
      'terraform /home/alice/.terraform.d/credentials.tfrc.json',
      'sbt /home/alice/.sbt/.credentials',
      'sbt /home/alice/.ivy2/.credentials',
    ]);
  });

  it('honours every tool’s environment override on Linux', () => {
    const env = {
      DOCKER_CONFIG: '/etc/docker-alice',
      NPM_CONFIG_USERCONFIG: '/work/ci.npmrc',
      M2_HOME: '/opt/maven',
      PIP_CONFIG_FILE: '/work/pip.conf',
      XDG_CONFIG_HOME: '/home/alice/.xdg',
      NETRC: '/work/netrc',
      GRADLE_USER_HOME: '/cache/gradle',
      JFROG_CLI_HOME_DIR: '/work/jfrog',
      YARN_RC_FILENAME: '.yarnrc.ci.yml',
      CARGO_HOME: '/work/cargo',
      GOENV: '/work/go.env',
      CONAN_HOME: '/work/conan',
      TF_CLI_CONFIG_FILE: '/work/tf.rc',
    };
    expect(files('linux', '/home/alice', env)).toEqual([
      'docker /etc/docker-alice/config.json',
      'npm /work/ci.npmrc',
      'maven /home/alice/.m2/settings.xml',
      'maven /opt/maven/conf/settings.xml',
      'pip /work/pip.conf',
      'pip /home/alice/.xdg/pip/pip.conf',
      'pip /home/alice/.pip/pip.conf',
      'netrc /work/netrc',
      'gradle /cache/gradle/gradle.properties',
      'jfrog-cli /work/jfrog/jfrog-cli.conf.v6',
      'jfrog-cli /work/jfrog/jfrog-cli.conf.v5',
      'jfrog-cli /work/jfrog/jfrog-cli.conf.v4',
      'jfrog-cli /work/jfrog/jfrog-cli.conf',
      'podman /home/alice/.xdg/containers/auth.json',
      'pypirc /home/alice/.pypirc',
      'poetry /home/alice/.xdg/pypoetry/auth.toml',
      'yarn /home/alice/.yarnrc.yml',
      'yarn /home/alice/.yarnrc.ci.yml',
      'cargo /work/cargo/credentials',
      'cargo /work/cargo/credentials.toml',
      'cargo /work/cargo/config',
      'cargo /work/cargo/config.toml',
      'helm /home/alice/.xdg/helm/repositories.yaml',
      'go /work/go.env',
      'bun /home/alice/.xdg/.bunfig.toml',
      'uv /home/alice/.xdg/uv/uv.toml',
      'nuget /home/alice/.nuget/NuGet/NuGet.Config',
      'nuget /home/alice/.config/NuGet/NuGet.Config',
      'conan /work/conan/credentials.json',
      'terraform /work/tf.rc',
      'terraform /home/alice/.terraform.d/credentials.tfrc.json',
      'sbt /home/alice/.sbt/.credentials',
      'sbt /home/alice/.ivy2/.credentials',
    ]);
  });

  it('skips PIP_CONFIG_FILE=/dev/null, ignores a relative XDG_CONFIG_HOME and empty overrides, resolves relative paths against home', () => {
    const listed = files('linux', '/home/alice', {
      PIP_CONFIG_FILE: '/dev/null',
      XDG_CONFIG_HOME: 'relative/config',
      DOCKER_CONFIG: '',
      npm_config_userconfig: 'ci/npmrc',
    });
    expect(listed.filter((f) => f.startsWith('pip '))).toEqual([
      'pip /home/alice/.config/pip/pip.conf',
      'pip /home/alice/.pip/pip.conf',
    ]);
    expect(listed).toContain('docker /home/alice/.docker/config.json');
    expect(listed).toContain('npm /home/alice/ci/npmrc');
    // The go command reads no env file then (and none with GOENV=off).
    expect(listed.filter((f) => f.startsWith('go '))).toEqual([]);
    expect(files('linux', '/home/alice', { GOENV: 'off' }).filter((f) => f.startsWith('go '))).toEqual([]);
    expect(listed).toContain('bun /home/alice/.bunfig.toml');
  });

  it('lists the macOS places: pip under Application Support and ~/.config, XDG not consulted', () => {
    expect(files('darwin', '/Users/alice', { XDG_CONFIG_HOME: '/Users/alice/.xdg' })).toEqual([
      'docker /Users/alice/.docker/config.json',
      'npm /Users/alice/.npmrc',
      'maven /Users/alice/.m2/settings.xml',
      'pip /Users/alice/Library/Application Support/pip/pip.conf',
      'pip /Users/alice/.config/pip/pip.conf',
      'pip /Users/alice/.pip/pip.conf',
      'netrc /Users/alice/.netrc',
      'gradle /Users/alice/.gradle/gradle.properties',
      'jfrog-cli /Users/alice/.jfrog/jfrog-cli.conf.v6',
      'jfrog-cli /Users/alice/.jfrog/jfrog-cli.conf.v5',
      'jfrog-cli /Users/alice/.jfrog/jfrog-cli.conf.v4',
      'jfrog-cli /Users/alice/.jfrog/jfrog-cli.conf',
      'podman /Users/alice/.config/containers/auth.json',
      'pypirc /Users/alice/.pypirc',
      'poetry /Users/alice/Library/Application Support/pypoetry/auth.toml',
      'yarn /Users/alice/.yarnrc.yml',
      'cargo /Users/alice/.cargo/credentials',
      'cargo /Users/alice/.cargo/credentials.toml',
      'cargo /Users/alice/.cargo/config',
      'cargo /Users/alice/.cargo/config.toml',
      // Helm reads XDG_CONFIG_HOME on every platform (helmpath's lazypath).
      'helm /Users/alice/.xdg/helm/repositories.yaml',
      'go /Users/alice/Library/Application Support/go/env',
      'bun /Users/alice/.xdg/.bunfig.toml',
      'uv /Users/alice/.xdg/uv/uv.toml',
      'nuget /Users/alice/.nuget/NuGet/NuGet.Config',
      'nuget /Users/alice/.config/NuGet/NuGet.Config',
      'conan /Users/alice/.conan2/credentials.json',
      'terraform /Users/alice/.terraformrc',
      'terraform /Users/alice/.terraform.d/credentials.tfrc.json',
      'sbt /Users/alice/.sbt/.credentials',
      'sbt /Users/alice/.ivy2/.credentials',
    ]);
  });

  it('lists the Windows places with Windows paths: %APPDATA%\\pip\\pip.ini, ~\\pip\\pip.ini, .netrc and _netrc', () => {
    expect(files('win32', 'C:\\Users\\alice', { APPDATA: 'D:\\Roaming' })).toEqual([
      'docker C:\\Users\\alice\\.docker\\config.json',
      'npm C:\\Users\\alice\\.npmrc',
      'maven C:\\Users\\alice\\.m2\\settings.xml',
      'pip D:\\Roaming\\pip\\pip.ini',
      'pip C:\\Users\\alice\\pip\\pip.ini',
      'netrc C:\\Users\\alice\\.netrc',
      'netrc C:\\Users\\alice\\_netrc',
      'gradle C:\\Users\\alice\\.gradle\\gradle.properties',
      'jfrog-cli C:\\Users\\alice\\.jfrog\\jfrog-cli.conf.v6',
      'jfrog-cli C:\\Users\\alice\\.jfrog\\jfrog-cli.conf.v5',
      'jfrog-cli C:\\Users\\alice\\.jfrog\\jfrog-cli.conf.v4',
      'jfrog-cli C:\\Users\\alice\\.jfrog\\jfrog-cli.conf',
      'podman C:\\Users\\alice\\.config\\containers\\auth.json',
      'pypirc C:\\Users\\alice\\.pypirc',
      'poetry D:\\Roaming\\pypoetry\\auth.toml',
      'yarn C:\\Users\\alice\\.yarnrc.yml',
      'cargo C:\\Users\\alice\\.cargo\\credentials',
      'cargo C:\\Users\\alice\\.cargo\\credentials.toml',
      'cargo C:\\Users\\alice\\.cargo\\config',
      'cargo C:\\Users\\alice\\.cargo\\config.toml',
      'helm D:\\Roaming\\helm\\repositories.yaml',
      'go D:\\Roaming\\go\\env',
      'bun C:\\Users\\alice\\.bunfig.toml',
      'uv D:\\Roaming\\uv\\uv.toml',
      'nuget D:\\Roaming\\NuGet\\NuGet.Config',
      'conan C:\\Users\\alice\\.conan2\\credentials.json',
      'terraform D:\\Roaming\\terraform.rc',
      'terraform D:\\Roaming\\terraform.d\\credentials.tfrc.json',
      'sbt C:\\Users\\alice\\.sbt\\.credentials',
      'sbt C:\\Users\\alice\\.ivy2\\.credentials',
    ]);
  });

  it('on Windows falls back to AppData\\Roaming, skips PIP_CONFIG_FILE=nul and honours overrides', () => {
    const env = {
      PIP_CONFIG_FILE: 'nul',
      NETRC: 'C:\\ci\\netrc',
      JFROG_CLI_HOME_DIR: 'C:\\ci\\jfrog',
      GRADLE_USER_HOME: 'C:\\ci\\gradle',
    };
    const listed = files('win32', 'C:\\Users\\alice', env);
    expect(listed.filter((f) => /^(pip|netrc|gradle) /.test(f))).toEqual([
      'pip C:\\Users\\alice\\AppData\\Roaming\\pip\\pip.ini',
      'pip C:\\Users\\alice\\pip\\pip.ini',
      'netrc C:\\ci\\netrc',
      'gradle C:\\ci\\gradle\\gradle.properties',
    ]);
    expect(listed).toContain('jfrog-cli C:\\ci\\jfrog\\jfrog-cli.conf.v6');
  });
});
