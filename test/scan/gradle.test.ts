import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scanCredentials } from '../../electron/core/scan/scan.js';
import {
  ACCESS_TOKEN,
  API_KEY,
  EXPIRES,
  fingerprint,
  INSTANCES,
  PASSWORD,
  tempHome,
  type TempHome,
} from './fixtures.js';

const properties = `# JFrog's Gradle setup
org.gradle.jvmargs=-Xmx2g
artifactory_user=alice
artifactory_password=${ACCESS_TOKEN}
artifactory_contextUrl=https://acme.jfrog.io/artifactory

artifactoryUser = bob
artifactoryPassword = ${PASSWORD.replace('&', '\\u0026')}
artifactoryDeployUser = dan
artifactoryDeployPassword = hunter2

corpRepoUser: carol
corpRepoUrl: https://artifactory.corp.example:8443/artifactory/libs-release
corpRepoApiKey: ${API_KEY}

systemProp.http.proxyUser=proxy
systemProp.http.proxyPassword=${PASSWORD}
signing.password=${PASSWORD}
sonar.token=squ_0123456789abcdef0123456789abcdef01234567
ossrhToken=\${OSSRH_TOKEN}
`;

describe('gradle.properties', () => {
  let home: TempHome;
  beforeEach(() => void (home = tempHome()));
  afterEach(() => home.remove());

  it('pairs password/token/API key properties with the user and URL of the same prefix', async () => {
    const file = home.write('.gradle/gradle.properties', properties);
    const report = await scanCredentials({ environment: home.environment(), instances: INSTANCES });
    const common = { tool: 'gradle', file };
    expect(report.found).toEqual([
      {
        ...common,
        location: 'artifactory_password',
        line: 4,
        url: 'https://acme.jfrog.io/artifactory',
        host: 'acme.jfrog.io',
        username: 'alice',
        kind: 'access-token',
        expiresAt: EXPIRES,
        fingerprint: fingerprint(ACCESS_TOKEN),
        instanceId: 'acme',
        secret: ACCESS_TOKEN,
      },
      {
        ...common,
        location: 'artifactoryPassword',
        line: 8,
        // Same prefix `artifactory`: the context URL above.
        url: 'https://acme.jfrog.io/artifactory',
        host: 'acme.jfrog.io',
        username: 'bob',
        kind: 'password',
        expiresAt: null,
        fingerprint: fingerprint(PASSWORD),
        instanceId: 'acme',
        secret: PASSWORD,
      },
      {
        ...common,
        location: 'artifactoryDeployPassword',
        line: 10,
        // No URL of its prefix, but the name says Artifactory.
        url: null,
        host: null,
        username: 'dan',
        kind: 'password',
        expiresAt: null,
        fingerprint: fingerprint('hunter2'),
        instanceId: null,
        secret: 'hunter2',
      },
      {
        ...common,
        location: 'corpRepoApiKey',
        line: 14,
        url: 'https://artifactory.corp.example:8443/artifactory/libs-release',
        host: 'artifactory.corp.example:8443',
        username: 'carol',
        kind: 'api-key',
        expiresAt: null,
        fingerprint: fingerprint(API_KEY),
        instanceId: 'corp',
        secret: API_KEY,
      },
    ]);
  });

  it('reads $GRADLE_USER_HOME/gradle.properties instead of ~/.gradle', async () => {
    home.write('.gradle/gradle.properties', properties);
    const file = home.write(
      'ci-gradle/gradle.properties',
      `artifactory_user=ci\nartifactory_password=${API_KEY}\nartifactory_contextUrl=https://acme.jfrog.io/artifactory/\n`,
    );
    const report = await scanCredentials({
      environment: home.environment({ GRADLE_USER_HOME: home.path('ci-gradle') }),
      instances: INSTANCES,
    });
    expect(report.found.map((c) => [c.file, c.location, c.username, c.kind, c.instanceId])).toEqual(
      [[file, 'artifactory_password', 'ci', 'api-key', 'acme']],
    );
  });
});
