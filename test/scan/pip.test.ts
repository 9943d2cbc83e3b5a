import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scanCredentials } from '../../electron/core/scan/scan.js';
import {
  ACCESS_TOKEN,
  ALL_SECRETS,
  API_KEY,
  EXPIRES,
  fingerprint,
  INSTANCES,
  PASSWORD,
  tempHome,
  type TempHome,
} from './fixtures.js';

const pipConf = `[global]
index-url = https://alice:${encodeURIComponent(PASSWORD)}@acme.jfrog.io/artifactory/api/pypi/pypi-virtual/simple
extra-index-url =
    https://pypi.org/simple
    https://bob:\${PIP_CORP_TOKEN}@artifactory.corp.example:8443/artifactory/api/pypi/pypi-local/simple
    https://carol:hunter2@pypi.other.example/simple
timeout = 60

[install]
extra_index_url = https://${ACCESS_TOKEN}@pypi.internal.example/simple
trusted-host = pypi.internal.example
`;

describe('pip configuration', () => {
  let home: TempHome;
  beforeEach(() => void (home = tempHome()));
  afterEach(() => home.remove());

  it('finds user:password in index URLs, also in multi-line extra-index-url lists, percent-decoded', async () => {
    const file = home.write('.config/pip/pip.conf', pipConf);
    const report = await scanCredentials({ environment: home.environment(), instances: INSTANCES });
    const common = { tool: 'pip', file, expiresAt: null };
    expect(report.found).toEqual([
      {
        ...common,
        location: '[global] index-url',
        line: 2,
        url: 'https://acme.jfrog.io/artifactory/api/pypi/pypi-virtual/simple',
        host: 'acme.jfrog.io',
        username: 'alice',
        kind: 'password',
        fingerprint: fingerprint(PASSWORD),
        instanceId: 'acme',
        secret: PASSWORD,
      },
      {
        ...common,
        location: '[global] extra-index-url',
        line: 5,
        url: 'https://artifactory.corp.example:8443/artifactory/api/pypi/pypi-local/simple',
        host: 'artifactory.corp.example:8443',
        username: 'bob',
        kind: 'env-reference',
        fingerprint: fingerprint('${PIP_CORP_TOKEN}'),
        instanceId: 'corp',
        secret: '${PIP_CORP_TOKEN}',
      },
      {
        ...common,
        location: '[install] extra-index-url',
        line: 10,
        url: 'https://pypi.internal.example/simple',
        host: 'pypi.internal.example',
        // The file names no user; the token's subject does.
        username: 'alice',
        kind: 'access-token',
        expiresAt: EXPIRES,
        fingerprint: fingerprint(ACCESS_TOKEN),
        instanceId: null,
        secret: ACCESS_TOKEN,
      },
    ]);
    expect(JSON.stringify(report.found.map((c) => c.url))).not.toContain('hunter2');
  });

  it('reads $PIP_CONFIG_FILE and the macOS places; reports a file pip could not read either', async () => {
    const env = home.write(
      'ci/pip.conf',
      `[global]\nindex-url = https://ci:${API_KEY}@acme.jfrog.io/artifactory/api/pypi/pypi/simple\n`,
    );
    const mac = home.write(
      'Library/Application Support/pip/pip.conf',
      `[global]\nindex-url = https://dana:${encodeURIComponent(PASSWORD)}@artifactory.corp.example:8443/artifactory/api/pypi/pypi/simple\n`,
    );
    const broken = home.write(
      '.config/pip/pip.conf',
      `index-url = https://eve:${encodeURIComponent(PASSWORD)}@acme.jfrog.io/artifactory/api/pypi/x/simple\n`,
    );
    const report = await scanCredentials({
      environment: home.environment({ PIP_CONFIG_FILE: env }, 'darwin'),
      instances: INSTANCES,
    });
    expect(report.found.map((c) => [c.file, c.username, c.kind, c.instanceId])).toEqual([
      [env, 'ci', 'api-key', 'acme'],
      [mac, 'dana', 'password', 'corp'],
    ]);
    expect(report.problems).toEqual([
      { file: broken, message: 'The pip configuration is not valid (line 1); not scanned.' },
    ]);
    const problems = JSON.stringify(report.problems);
    for (const secret of [...ALL_SECRETS, encodeURIComponent(PASSWORD)])
      expect(problems).not.toContain(secret);
  });
});
