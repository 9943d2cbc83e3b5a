import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { credentialFiles, publicView, scanCredentials } from '../../electron/core/scan/scan.js';
import {
  ACCESS_TOKEN,
  ALL_SECRETS,
  API_KEY,
  basicAuth,
  INSTANCES,
  PASSWORD,
  REFERENCE_TOKEN,
  tempHome,
  type TempHome,
} from './fixtures.js';

describe('scanCredentials', () => {
  let home: TempHome;
  beforeEach(() => void (home = tempHome()));
  afterEach(() => home.remove());

  const everyTool = (): void => {
    home.write(
      '.jfrog/jfrog-cli.conf.v6',
      JSON.stringify({
        servers: [
          {
            url: 'https://acme.jfrog.io/',
            user: 'alice',
            accessToken: ACCESS_TOKEN,
            serverId: 'acme',
          },
        ],
        version: '6',
      }),
    );
    home.write(
      '.gradle/gradle.properties',
      `artifactory_user=alice\nartifactory_password=${API_KEY}\nartifactory_contextUrl=https://acme.jfrog.io/artifactory\n`,
    );
    home.write('.netrc', `machine artifactory.corp.example login carol password ${PASSWORD}\n`);
    home.write(
      '.pip/pip.conf',
      `[global]\nindex-url = https://alice:${API_KEY}@acme.jfrog.io/artifactory/api/pypi/pypi/simple\n`,
    );
    home.write(
      '.m2/settings.xml',
      `<settings><servers><server><id>artifactory</id><username>alice</username><password>${REFERENCE_TOKEN}</password></server></servers></settings>\n`,
    );
    // A byte-order mark, as Windows editors write it.
    home.write(
      '.npmrc',
      `\uFEFF//acme.jfrog.io/artifactory/api/npm/npm/:_authToken=${ACCESS_TOKEN}\n`,
    );
    home.write(
      '.docker/config.json',
      JSON.stringify({ auths: { 'acme.jfrog.io': { auth: basicAuth('alice', API_KEY) } } }),
    );
  };

  it('reads every tool’s file in file-list order, lists every place it looked, and is silent about missing ones', async () => {
    everyTool();
    const environment = home.environment();
    const report = await scanCredentials({ environment, instances: INSTANCES });
    expect(report.found.map((c) => [c.tool, c.kind, c.instanceId])).toEqual([
      ['docker', 'api-key', 'acme'],
      ['npm', 'access-token', 'acme'],
      ['maven', 'reference-token', null],
      ['pip', 'api-key', 'acme'],
      ['netrc', 'password', 'corp'],
      ['gradle', 'api-key', 'acme'],
      ['jfrog-cli', 'access-token', 'acme'],
    ]);
    expect(report.problems).toEqual([]);
    expect(report.searched).toEqual(credentialFiles(environment).map((f) => f.path));
  });

  it('without instances reports only what looks like Artifactory: a plain password on an unknown host is not', async () => {
    everyTool();
    const report = await scanCredentials({ environment: home.environment(), instances: [] });
    expect(report.found.map((c) => [c.tool, c.instanceId])).toEqual([
      ['docker', null],
      ['npm', null],
      ['maven', null],
      ['pip', null],
      ['gradle', null],
      ['jfrog-cli', null],
    ]);
  });

  it('turns unreadable, oversized and non-regular files into problems and goes on', async () => {
    const big = home.write(
      '.npmrc',
      `# padding\n${'x'.repeat(4 * 1024 * 1024 + 1)}\n//acme.jfrog.io/artifactory/api/npm/npm/:_authToken=${ACCESS_TOKEN}\n`,
    );
    const directory = home.path('.netrc');
    mkdirSync(directory);
    const locked = home.write('.gradle/gradle.properties', `artifactory_password=${API_KEY}\n`);
    chmodSync(locked, 0o000);
    home.write(
      '.docker/config.json',
      JSON.stringify({ auths: { 'acme.jfrog.io': { auth: basicAuth('alice', API_KEY) } } }),
    );
    // A folder on the way that is a file: stat fails with ENOTDIR, even for root.
    const notADirectory = home.write('jfrog-home', 'not a folder');
    const report = await scanCredentials({
      environment: home.environment({ JFROG_CLI_HOME_DIR: notADirectory }),
      instances: INSTANCES,
    });
    const root = process.getuid?.() === 0;
    expect(report.problems).toEqual([
      { file: big, message: 'Too large for a configuration file; not scanned.' },
      { file: directory, message: 'Not a regular file; not scanned.' },
      ...(root ? [] : [{ file: locked, message: 'Could not be read (EACCES); not scanned.' }]),
      ...['jfrog-cli.conf.v6', 'jfrog-cli.conf.v5', 'jfrog-cli.conf.v4', 'jfrog-cli.conf'].map(
        (name) => ({
          file: `${notADirectory}/${name}`,
          message: 'Could not be read (ENOTDIR); not scanned.',
        }),
      ),
    ]);
    expect(report.found.map((c) => c.tool)).toEqual(root ? ['docker', 'gradle'] : ['docker']);
    chmodSync(locked, 0o600);
  });

  it('scans extra files after the usual ones, once each', async () => {
    everyTool();
    const extra = home.write(
      'project/.npmrc',
      `//artifactory.corp.example:8443/artifactory/api/npm/npm/:_authToken=${REFERENCE_TOKEN}\n`,
    );
    const environment = home.environment();
    const report = await scanCredentials({
      environment,
      instances: INSTANCES,
      extraFiles: [
        { tool: 'npm', path: extra },
        { tool: 'npm', path: home.path('.npmrc') },
      ],
    });
    expect(report.found.at(-1)).toMatchObject({
      tool: 'npm',
      file: extra,
      kind: 'reference-token',
      instanceId: 'corp',
    });
    expect(report.found.filter((c) => c.tool === 'npm')).toHaveLength(2);
    expect(report.searched).toEqual([...credentialFiles(environment).map((f) => f.path), extra]);
  });

  it('publicView drops the secret and nothing public carries one', async () => {
    everyTool();
    writeFileSync(
      home.path('.docker/config.json'),
      `{"auths": {"acme.jfrog.io": {"auth": "${basicAuth('alice', API_KEY)}"}`,
    );
    const report = await scanCredentials({ environment: home.environment(), instances: INSTANCES });
    expect(report.problems).toHaveLength(1);
    const shown = report.found.map(publicView);
    expect(shown.length).toBeGreaterThan(0);
    for (const [index, credential] of shown.entries()) {
      expect(Object.keys(credential)).not.toContain('secret');
      expect({ ...credential, secret: report.found[index]?.secret }).toEqual(report.found[index]);
    }
    const text = JSON.stringify({
      found: shown,
      problems: report.problems,
      searched: report.searched,
    });
    for (const secret of [...ALL_SECRETS, basicAuth('alice', API_KEY)])
      expect(text).not.toContain(secret);
  });
});
