import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findInText, scanCredentials } from '../../electron/core/scan/scan.js';
import {
  ALL_SECRETS,
  API_KEY,
  EXPIRES,
  fingerprint,
  GITHUB_TOKEN,
  INSTANCES,
  PASSWORD,
  REFERENCE_WITH_EXPIRY,
  tempHome,
  type TempHome,
} from './fixtures.js';

const settings = `<?xml version="1.0" encoding="UTF-8"?>
<settings xmlns="http://maven.apache.org/SETTINGS/1.2.0"
          xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
          xsi:schemaLocation="http://maven.apache.org/SETTINGS/1.2.0 https://maven.apache.org/xsd/settings-1.2.0.xsd">
  <servers>
    <server>
      <id>central</id>
      <username>alice</username>
      <password>${API_KEY}</password>
    </server>
    <server>
      <id>corp-releases</id>
      <username>carol</username>
      <password>{COQLCE6DU6GtcS5P=}</password>
    </server>
    <server>
      <id>snapshots</id>
      <username>\${env.CI_USER}</username>
      <password>\${env.ARTIFACTORY_PASSWORD}</password>
    </server>
    <server>
      <id>bearer</id>
      <configuration>
        <httpHeaders>
          <property>
            <name>Authorization</name>
            <value>Bearer ${REFERENCE_WITH_EXPIRY}</value>
          </property>
        </httpHeaders>
      </configuration>
    </server>
    <server>
      <id>github</id>
      <username>erin</username>
      <password>${GITHUB_TOKEN}</password>
    </server>
    <server>
      <id>artifactory</id>
      <username>frank</username>
      <password>${PASSWORD.replace('&', '&amp;')}</password>
    </server>
  </servers>
  <mirrors>
    <mirror>
      <id>central</id>
      <mirrorOf>*</mirrorOf>
      <url>https://acme.jfrog.io/artifactory/maven-virtual/</url>
    </mirror>
    <mirror>
      <id>corp-releases</id>
      <mirrorOf>external:*</mirrorOf>
      <url>https://artifactory.corp.example:8443/artifactory/libs-release</url>
    </mirror>
    <mirror>
      <id>snapshots</id>
      <mirrorOf>snapshots</mirrorOf>
      <url>https://repo.internal.example/artifactory/libs-snapshot</url>
    </mirror>
    <mirror>
      <id>github</id>
      <mirrorOf>github</mirrorOf>
      <url>https://maven.pkg.github.com/acme/packages</url>
    </mirror>
  </mirrors>
</settings>
`;

describe('Maven settings.xml', () => {
  let home: TempHome;
  beforeEach(() => void (home = tempHome()));
  afterEach(() => home.remove());

  it('finds server passwords and bearer headers, on the line of the secret, with the URL of the mirror of the same id', async () => {
    const file = home.write('.m2/settings.xml', settings);
    const report = await scanCredentials({ environment: home.environment(), instances: INSTANCES });
    const common = { tool: 'maven', file, expiresAt: null };
    expect(report.found).toEqual([
      {
        ...common,
        location: 'servers/server[id=central]/password',
        line: 9,
        url: 'https://acme.jfrog.io/artifactory/maven-virtual/',
        host: 'acme.jfrog.io',
        username: 'alice',
        kind: 'api-key',
        fingerprint: fingerprint(API_KEY),
        instanceId: 'acme',
        secret: API_KEY,
      },
      {
        ...common,
        location: 'servers/server[id=corp-releases]/password',
        line: 14,
        url: 'https://artifactory.corp.example:8443/artifactory/libs-release',
        host: 'artifactory.corp.example:8443',
        username: 'carol',
        kind: 'encrypted',
        fingerprint: fingerprint('{COQLCE6DU6GtcS5P=}'),
        instanceId: 'corp',
        secret: '{COQLCE6DU6GtcS5P=}',
      },
      {
        ...common,
        location: 'servers/server[id=snapshots]/password',
        line: 19,
        url: 'https://repo.internal.example/artifactory/libs-snapshot',
        host: 'repo.internal.example',
        username: '${env.CI_USER}',
        kind: 'env-reference',
        fingerprint: fingerprint('${env.ARTIFACTORY_PASSWORD}'),
        instanceId: null,
        secret: '${env.ARTIFACTORY_PASSWORD}',
      },
      {
        ...common,
        location: 'servers/server[id=bearer]/configuration/httpHeaders/Authorization',
        line: 27,
        url: null,
        host: null,
        username: null,
        kind: 'reference-token',
        expiresAt: EXPIRES,
        fingerprint: fingerprint(REFERENCE_WITH_EXPIRY),
        instanceId: null,
        secret: REFERENCE_WITH_EXPIRY,
      },
      {
        ...common,
        location: 'servers/server[id=artifactory]/password',
        line: 40,
        url: null,
        host: null,
        username: 'frank',
        kind: 'password',
        fingerprint: fingerprint(PASSWORD),
        instanceId: null,
        secret: PASSWORD,
      },
    ]);
    expect(report.problems).toEqual([]);
  });

  it('ties a server to the URL of the profile <repository> or <pluginRepository> of its id', () => {
    // No <mirror>: the build resolves through repositories a profile declares, as JFrog's own
    // "Set Me Up" settings.xml does; a plain password there is a plain password all the same.
    const text = `<?xml version="1.0" encoding="UTF-8"?>
<settings xmlns="http://maven.apache.org/SETTINGS/1.2.0">
  <servers>
    <server>
      <id>x</id>
      <username>carol</username>
      <password>${PASSWORD.replace('&', '&amp;')}</password>
    </server>
    <server>
      <id>plugins</id>
      <username>carol</username>
      <password>${API_KEY}</password>
    </server>
  </servers>
  <profiles>
    <profile>
      <id>artifactory</id>
      <repositories>
        <repository>
          <snapshots><enabled>false</enabled></snapshots>
          <id>x</id>
          <name>libs-release</name>
          <url>https://artifactory.corp.example:8443/artifactory/libs-release</url>
        </repository>
      </repositories>
      <pluginRepositories>
        <pluginRepository>
          <id>plugins</id>
          <url>https://acme.jfrog.io/artifactory/plugins-release</url>
        </pluginRepository>
      </pluginRepositories>
    </profile>
  </profiles>
  <activeProfiles><activeProfile>artifactory</activeProfile></activeProfiles>
</settings>
`;
    expect(
      findInText('maven', '/h/.m2/settings.xml', text, INSTANCES).map(
        ({ location, line, url, host, kind, instanceId }) => ({
          location,
          line,
          url,
          host,
          kind,
          instanceId,
        }),
      ),
    ).toEqual([
      {
        location: 'servers/server[id=x]/password',
        line: 7,
        url: 'https://artifactory.corp.example:8443/artifactory/libs-release',
        host: 'artifactory.corp.example:8443',
        kind: 'password',
        instanceId: 'corp',
      },
      {
        location: 'servers/server[id=plugins]/password',
        line: 12,
        url: 'https://acme.jfrog.io/artifactory/plugins-release',
        host: 'acme.jfrog.io',
        kind: 'api-key',
        instanceId: 'acme',
      },
    ]);
  });

  it('points at the line of the <password> or header value, not at its <server>', () => {
    const text = `<settings>
  <servers>
    <server>
      <id>corp</id>

      <username>gina</username>
      <!-- rotated monthly -->
      <password>${API_KEY}</password>
      <configuration>
        <httpHeaders>
          <property>
            <name>X-JFrog-Art-Api</name>
            <value>${API_KEY}</value>
          </property>
        </httpHeaders>
      </configuration>
    </server>
  </servers>
</settings>
`;
    expect(
      findInText('maven', '/h/.m2/settings.xml', text, INSTANCES).map((c) => [c.location, c.line]),
    ).toEqual([
      ['servers/server[id=corp]/password', 8],
      ['servers/server[id=corp]/configuration/httpHeaders/X-JFrog-Art-Api', 13],
    ]);
  });

  it('reads $M2_HOME/conf/settings.xml after the user file, and reports invalid XML as a problem', async () => {
    const broken = home.write(
      '.m2/settings.xml',
      `<settings><servers><server><id>x</id><password>${PASSWORD}</password></server></servers>\n`,
    );
    const global = home.write('maven/conf/settings.xml', settings);
    const report = await scanCredentials({
      environment: home.environment({ M2_HOME: home.path('maven') }),
      instances: INSTANCES,
    });
    expect(report.problems).toEqual([
      {
        file: broken,
        message: expect.stringMatching(
          /^Maven's settings\.xml is not valid( \(line \d+\))?; not scanned\.$/,
        ),
      },
    ]);
    expect(report.found.map((c) => [c.file, c.location])).toEqual([
      [global, 'servers/server[id=central]/password'],
      [global, 'servers/server[id=corp-releases]/password'],
      [global, 'servers/server[id=snapshots]/password'],
      [global, 'servers/server[id=bearer]/configuration/httpHeaders/Authorization'],
      [global, 'servers/server[id=artifactory]/password'],
    ]);
    const problems = JSON.stringify(report.problems);
    for (const secret of ALL_SECRETS) expect(problems).not.toContain(secret);
  });

  it('reads Basic and X-JFrog-Art-Api headers', () => {
    const text = `<settings><servers><server><id>corp</id><configuration><httpHeaders>
<property><name>Authorization</name><value>Basic ${Buffer.from(`gina:${PASSWORD}`).toString('base64')}</value></property>
<property><name>X-JFrog-Art-Api</name><value>${API_KEY}</value></property>
</httpHeaders></configuration></server></servers>
<mirrors><mirror><id>corp</id><url>https://artifactory.corp.example:8443/artifactory/maven/</url><mirrorOf>*</mirrorOf></mirror></mirrors></settings>`;
    expect(
      findInText('maven', '/h/.m2/settings.xml', text, INSTANCES).map(
        ({ location, username, kind, instanceId }) => ({ location, username, kind, instanceId }),
      ),
    ).toEqual([
      {
        location: 'servers/server[id=corp]/configuration/httpHeaders/Authorization',
        username: 'gina',
        kind: 'password',
        instanceId: 'corp',
      },
      {
        location: 'servers/server[id=corp]/configuration/httpHeaders/X-JFrog-Art-Api',
        username: null,
        kind: 'api-key',
        instanceId: 'corp',
      },
    ]);
  });
});
