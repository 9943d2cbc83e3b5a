import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findInText, scanCredentials } from '../../electron/core/scan/scan.js';
import {
  ACCESS_TOKEN,
  ALL_SECRETS,
  API_KEY,
  EXPIRES,
  fingerprint,
  INSTANCES,
  jfrogEncrypt,
  PASSWORD,
  REFERENCE_WITH_EXPIRY,
  tempHome,
  type TempHome,
} from './fixtures.js';

const KEY = 'f84hc22dQfhe9f8ydFwfsdn48!wejh8A';
const REFRESH = '4c3f1b2a-9d8e-4f7a-b6c5-1e2d3f4a5b6c';

/** A config as `jf c add` writes it: ServerDetails field order, serverId last. */
function config(encrypt: ((value: string) => string) | null): string {
  const seal = encrypt ?? ((value: string) => value);
  return JSON.stringify(
    {
      servers: [
        {
          url: 'https://acme.jfrog.io/',
          artifactoryUrl: 'https://acme.jfrog.io/artifactory/',
          distributionUrl: 'https://acme.jfrog.io/distribution/',
          xrayUrl: 'https://acme.jfrog.io/xray/',
          user: 'alice',
          accessToken: seal(ACCESS_TOKEN),
          refreshToken: seal(REFRESH),
          tokenRefreshInterval: 60,
          serverId: 'acme',
          isDefault: true,
        },
        {
          url: 'https://artifactory.corp.example:8443/',
          artifactoryUrl: 'https://artifactory.corp.example:8443/artifactory/',
          user: 'carol',
          password: seal(PASSWORD),
          serverId: 'corp',
        },
        {
          artifactoryUrl: 'https://onprem.example.com/artifactory/',
          user: 'dave',
          accessToken: seal(REFERENCE_WITH_EXPIRY),
          serverId: 'legacy',
          webLogin: true,
        },
      ],
      version: '6',
      ...(encrypt ? { enc: true } : {}),
    },
    null,
    '  ',
  );
}

describe('JFrog CLI configuration', () => {
  let home: TempHome;
  beforeEach(() => void (home = tempHome()));
  afterEach(() => home.remove());

  it('finds every server’s secrets in jfrog-cli.conf.v6, the refresh token by its field', async () => {
    const file = home.write('.jfrog/jfrog-cli.conf.v6', config(null));
    const report = await scanCredentials({ environment: home.environment(), instances: INSTANCES });
    const common = { tool: 'jfrog-cli', file };
    expect(report.found).toEqual([
      {
        ...common,
        location: 'servers[serverId=acme] accessToken',
        line: 9,
        url: 'https://acme.jfrog.io/',
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
        location: 'servers[serverId=acme] refreshToken',
        line: 10,
        url: 'https://acme.jfrog.io/',
        host: 'acme.jfrog.io',
        username: 'alice',
        kind: 'refresh-token',
        expiresAt: null,
        fingerprint: fingerprint(REFRESH),
        instanceId: 'acme',
        secret: REFRESH,
      },
      {
        ...common,
        location: 'servers[serverId=corp] password',
        line: 19,
        url: 'https://artifactory.corp.example:8443/',
        host: 'artifactory.corp.example:8443',
        username: 'carol',
        kind: 'password',
        expiresAt: null,
        fingerprint: fingerprint(PASSWORD),
        instanceId: 'corp',
        secret: PASSWORD,
      },
      {
        ...common,
        location: 'servers[serverId=legacy] accessToken',
        line: 25,
        url: 'https://onprem.example.com/artifactory/',
        host: 'onprem.example.com',
        username: 'dave',
        kind: 'reference-token',
        expiresAt: EXPIRES,
        fingerprint: fingerprint(REFERENCE_WITH_EXPIRY),
        instanceId: null,
        secret: REFERENCE_WITH_EXPIRY,
      },
    ]);
    expect(report.problems).toEqual([]);
  });

  it('opens an encrypted file with JFROG_CLI_ENCRYPTION_KEY, and finds the same as in plain text', async () => {
    const file = home.write(
      '.jfrog/jfrog-cli.conf.v6',
      config((value) => jfrogEncrypt(value, KEY)),
    );
    const plain = home.write('plain.json', config(null));
    const report = await scanCredentials({
      environment: home.environment({ JFROG_CLI_ENCRYPTION_KEY: KEY }),
      instances: INSTANCES,
    });
    const expected = await scanCredentials({
      environment: home.environment(),
      instances: INSTANCES,
      extraFiles: [{ tool: 'jfrog-cli', path: plain }],
    });
    expect(report.found).toEqual(
      expected.found.filter((c) => c.file === plain).map((c) => ({ ...c, file })),
    );
    expect(report.found).toHaveLength(4);
    expect(report.problems).toEqual([]);
  });

  it('reads the key from a .key file or from security.yaml’s masterKey', async () => {
    home.write(
      '.jfrog/jfrog-cli.conf.v6',
      config((value) => jfrogEncrypt(value, KEY)),
    );
    const keyFile = home.write('ci/encryption/jfrog.key', `${KEY}\n`);
    const viaFile = await scanCredentials({
      environment: home.environment({ JFROG_CLI_ENCRYPTION_KEY: keyFile }),
      instances: INSTANCES,
    });
    expect(viaFile.found.map((c) => c.kind)).toEqual([
      'access-token',
      'refresh-token',
      'password',
      'reference-token',
    ]);
    expect(viaFile.found[0]?.secret).toBe(ACCESS_TOKEN);

    home.write('.jfrog/security/security.yaml', `version: 1\nmasterKey: "${KEY}"\n`);
    const viaYaml = await scanCredentials({
      environment: home.environment(),
      instances: INSTANCES,
    });
    expect(viaYaml.found.map((c) => c.secret)).toEqual([
      ACCESS_TOKEN,
      REFRESH,
      PASSWORD,
      REFERENCE_WITH_EXPIRY,
    ]);
  });

  it('reports encrypted values as encrypted without a key, or with a wrong one, and says so', async () => {
    const file = home.write(
      '.jfrog/jfrog-cli.conf.v6',
      config((value) => jfrogEncrypt(value, KEY)),
    );
    const none = await scanCredentials({ environment: home.environment(), instances: INSTANCES });
    expect(
      none.found.map(({ location, kind, username, instanceId, expiresAt }) => ({
        location,
        kind,
        username,
        instanceId,
        expiresAt,
      })),
    ).toEqual([
      {
        location: 'servers[serverId=acme] accessToken',
        kind: 'encrypted',
        username: 'alice',
        instanceId: 'acme',
        expiresAt: null,
      },
      {
        location: 'servers[serverId=acme] refreshToken',
        kind: 'encrypted',
        username: 'alice',
        instanceId: 'acme',
        expiresAt: null,
      },
      {
        location: 'servers[serverId=corp] password',
        kind: 'encrypted',
        username: 'carol',
        instanceId: 'corp',
        expiresAt: null,
      },
      {
        location: 'servers[serverId=legacy] accessToken',
        kind: 'encrypted',
        username: 'dave',
        instanceId: null,
        expiresAt: null,
      },
    ]);
    expect(none.problems).toEqual([]);

    const wrong = await scanCredentials({
      environment: home.environment({ JFROG_CLI_ENCRYPTION_KEY: 'x'.repeat(32) }),
      instances: INSTANCES,
    });
    expect(wrong.found.every((c) => c.kind === 'encrypted')).toBe(true);
    expect(wrong.problems).toEqual([
      {
        file,
        message:
          '4 encrypted value(s) did not open with the JFrog CLI encryption key; they are reported as encrypted.',
      },
    ]);

    const short = await scanCredentials({
      environment: home.environment({ JFROG_CLI_ENCRYPTION_KEY: 'too-short' }),
      instances: INSTANCES,
    });
    expect(short.problems).toEqual([
      {
        file,
        message:
          'The JFrog CLI encryption key is not 32 bytes long; encrypted values are reported as encrypted.',
      },
    ]);

    const missing = home.path('ci/missing.key');
    const noFile = await scanCredentials({
      environment: home.environment({ JFROG_CLI_ENCRYPTION_KEY: missing }),
      instances: INSTANCES,
    });
    expect(noFile.problems).toEqual([
      {
        file: missing,
        message:
          'JFROG_CLI_ENCRYPTION_KEY names a key file that could not be read; encrypted JFrog CLI values are reported as encrypted.',
      },
    ]);
    for (const report of [none, wrong, short, noFile]) {
      const text = JSON.stringify(report.problems);
      for (const secret of [...ALL_SECRETS, KEY]) expect(text).not.toContain(secret);
    }
  });

  it('reads the old files jfrog-cli leaves behind ($JFROG_CLI_HOME_DIR), API keys included, and reports invalid JSON', async () => {
    const jfrogHome = home.path('ci-jfrog');
    const v5 = home.write(
      'ci-jfrog/jfrog-cli.conf.v5',
      JSON.stringify({
        artifactory: null,
        servers: [
          { url: 'https://acme.jfrog.io/', user: 'alice', apiKey: API_KEY, serverId: 'old' },
        ],
        version: '5',
      }),
    );
    const broken = home.write(
      'ci-jfrog/jfrog-cli.conf',
      `{"artifactory": [{"url": "https://acme.jfrog.io/artifactory/", "password": "${PASSWORD}"`,
    );
    home.write('.jfrog/jfrog-cli.conf.v6', config(null));
    const report = await scanCredentials({
      environment: home.environment({ JFROG_CLI_HOME_DIR: jfrogHome }),
      instances: INSTANCES,
    });
    expect(
      report.found.map(({ file, location, line, kind, instanceId }) => ({
        file,
        location,
        line,
        kind,
        instanceId,
      })),
    ).toEqual([
      {
        file: v5,
        location: 'servers[serverId=old] apiKey',
        line: 1,
        kind: 'api-key',
        instanceId: 'acme',
      },
    ]);
    expect(report.problems).toEqual([
      {
        file: broken,
        message: expect.stringMatching(
          /^The JFrog CLI configuration is not valid( \(line \d+\))?; not scanned\.$/,
        ),
      },
    ]);
    expect(JSON.stringify(report.problems)).not.toContain(PASSWORD);
  });

  it('findInText takes the key from env, and names servers without an id by index', () => {
    const text = JSON.stringify({
      servers: [{ url: 'https://acme.jfrog.io/', password: jfrogEncrypt(PASSWORD, KEY) }],
      enc: true,
    });
    expect(
      findInText('jfrog-cli', '/h/.jfrog/jfrog-cli.conf.v6', text, INSTANCES, {
        JFROG_CLI_ENCRYPTION_KEY: KEY,
      }).map((c) => [c.location, c.kind, c.secret]),
    ).toEqual([['servers[0] password', 'password', PASSWORD]]);
    expect(
      findInText('jfrog-cli', '/h/.jfrog/jfrog-cli.conf.v6', text, INSTANCES).map((c) => c.kind),
    ).toEqual(['encrypted']);
  });
});
