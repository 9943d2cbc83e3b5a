import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scanCredentials } from '../../electron/core/scan/scan.js';
import {
  ACCESS_TOKEN,
  API_KEY,
  basicAuth,
  EXPIRES,
  fingerprint,
  INSTANCES,
  NPMJS_TOKEN,
  PASSWORD,
  REFERENCE_WITH_EXPIRY,
  tempHome,
  type TempHome,
} from './fixtures.js';

describe('npm .npmrc', () => {
  let home: TempHome;
  beforeEach(() => void (home = tempHome()));
  afterEach(() => home.remove());

  const npmrc = [
    '; written by jf npm-config and by hand',
    '@acme:registry=https://acme.jfrog.io/artifactory/api/npm/npm-virtual/',
    `//acme.jfrog.io/artifactory/api/npm/npm-virtual/:_authToken=${ACCESS_TOKEN}`,
    `//registry.npmjs.org/:_authToken=${NPMJS_TOKEN}`,
    `//artifactory.corp.example:8443/artifactory/api/npm/npm-local/:_auth="${basicAuth('carol', PASSWORD)}"`,
    '//npm.internal.example/api/npm/npm-remote/:username=dave',
    `//npm.internal.example/api/npm/npm-remote/:_password=${Buffer.from(API_KEY).toString('base64')}`,
    '//npm.internal.example/api/npm/npm-remote/:email=dave@example.com',
    '//acme.jfrog.io/artifactory/api/npm/ci/:_authToken=${NPM_TOKEN}',
    `//npm.pkg.github.com/:_authToken=${REFERENCE_WITH_EXPIRY}`,
    '//registry.yarnpkg.com/:_authToken=${YARN_TOKEN}',
    '',
  ].join('\n');

  it('finds registry-scoped tokens, _auth and _password+username, env references, and leaves npmjs.org alone', async () => {
    const file = home.write('.npmrc', npmrc);
    const report = await scanCredentials({ environment: home.environment(), instances: INSTANCES });
    const common = { tool: 'npm', file };
    expect(report.found).toEqual([
      {
        ...common,
        location: '//acme.jfrog.io/artifactory/api/npm/npm-virtual/:_authToken',
        line: 3,
        url: '//acme.jfrog.io/artifactory/api/npm/npm-virtual/',
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
        location: '//artifactory.corp.example:8443/artifactory/api/npm/npm-local/:_auth',
        line: 5,
        url: '//artifactory.corp.example:8443/artifactory/api/npm/npm-local/',
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
        location: '//npm.internal.example/api/npm/npm-remote/:_password',
        line: 7,
        url: '//npm.internal.example/api/npm/npm-remote/',
        host: 'npm.internal.example',
        username: 'dave',
        kind: 'api-key',
        expiresAt: null,
        fingerprint: fingerprint(API_KEY),
        instanceId: null,
        secret: API_KEY,
      },
      {
        ...common,
        location: '//acme.jfrog.io/artifactory/api/npm/ci/:_authToken',
        line: 9,
        url: '//acme.jfrog.io/artifactory/api/npm/ci/',
        host: 'acme.jfrog.io',
        username: null,
        kind: 'env-reference',
        expiresAt: null,
        fingerprint: fingerprint('${NPM_TOKEN}'),
        instanceId: 'acme',
        secret: '${NPM_TOKEN}',
      },
      {
        ...common,
        location: '//npm.pkg.github.com/:_authToken',
        line: 10,
        url: '//npm.pkg.github.com/',
        host: 'npm.pkg.github.com',
        username: null,
        kind: 'reference-token',
        expiresAt: EXPIRES,
        fingerprint: fingerprint(REFERENCE_WITH_EXPIRY),
        instanceId: null,
        secret: REFERENCE_WITH_EXPIRY,
      },
    ]);
    expect(report.problems).toEqual([]);
    expect(JSON.stringify(report.found.map((c) => c.host))).not.toContain('registry.npmjs.org');
  });

  it('reads the unscoped _auth and _authToken of registry=, from $NPM_CONFIG_USERCONFIG', async () => {
    const file = home.write(
      'ci/npmrc',
      [
        'registry=https://artifactory.corp.example:8443/artifactory/api/npm/npm/',
        `_auth=${basicAuth('ci-bot', API_KEY)}`,
        'always-auth=true',
        '',
      ].join('\n'),
    );
    home.write('.npmrc', `//acme.jfrog.io/artifactory/api/npm/npm/:_authToken=${ACCESS_TOKEN}\n`);
    const report = await scanCredentials({
      environment: home.environment({ NPM_CONFIG_USERCONFIG: file }),
      instances: INSTANCES,
    });
    expect(
      report.found.map(({ location, line, url, host, username, kind, instanceId }) => ({
        location,
        line,
        url,
        host,
        username,
        kind,
        instanceId,
      })),
    ).toEqual([
      {
        location: '_auth',
        line: 2,
        url: 'https://artifactory.corp.example:8443/artifactory/api/npm/npm/',
        host: 'artifactory.corp.example:8443',
        username: 'ci-bot',
        kind: 'api-key',
        instanceId: 'corp',
      },
    ]);
    expect(report.found[0]?.file).toBe(file);

    // Without registry= the unscoped token is for npmjs.org: reported only if it is a JFrog shape.
    const npmjs = home.write('ci/npmjs', `_authToken=${NPMJS_TOKEN}\n_authToken=${API_KEY}\n`);
    const second = await scanCredentials({
      environment: home.environment({ NPM_CONFIG_USERCONFIG: npmjs }),
      instances: INSTANCES,
    });
    expect(
      second.found.map(({ location, line, url, host, kind, instanceId }) => ({
        location,
        line,
        url,
        host,
        kind,
        instanceId,
      })),
    ).toEqual([
      { location: '_authToken', line: 2, url: null, host: null, kind: 'api-key', instanceId: null },
    ]);
  });
});
