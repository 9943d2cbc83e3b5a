import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scanCredentials } from '../../electron/core/scan/scan.js';
import {
  API_KEY,
  fingerprint,
  GITHUB_TOKEN,
  INSTANCES,
  PASSWORD,
  REFERENCE_TOKEN,
  tempHome,
  type TempHome,
} from './fixtures.js';

const netrc = `# curl, pip and git read this
machine acme.jfrog.io
  login alice
  password ${API_KEY}

machine artifactory.corp.example login carol password ${PASSWORD}
machine github.com login erin password ${GITHUB_TOKEN}
machine mirror.example.com login frank password hunter2

macdef init
  echo machine acme.jfrog.io password not-a-credential

default login anonymous password ${REFERENCE_TOKEN}
`;

describe('netrc', () => {
  let home: TempHome;
  beforeEach(() => void (home = tempHome()));
  afterEach(() => home.remove());

  it('finds machine passwords for instances (any port), JFrog-shaped ones elsewhere and in default, skipping macros', async () => {
    const file = home.write('.netrc', netrc);
    const report = await scanCredentials({ environment: home.environment(), instances: INSTANCES });
    const common = { tool: 'netrc', file, expiresAt: null };
    expect(report.found).toEqual([
      {
        ...common,
        location: 'machine acme.jfrog.io',
        line: 2,
        url: 'acme.jfrog.io',
        host: 'acme.jfrog.io',
        username: 'alice',
        kind: 'api-key',
        fingerprint: fingerprint(API_KEY),
        instanceId: 'acme',
        secret: API_KEY,
      },
      {
        ...common,
        location: 'machine artifactory.corp.example',
        line: 6,
        url: 'artifactory.corp.example',
        host: 'artifactory.corp.example',
        username: 'carol',
        kind: 'password',
        fingerprint: fingerprint(PASSWORD),
        instanceId: 'corp',
        secret: PASSWORD,
      },
      {
        ...common,
        location: 'default',
        line: 13,
        url: null,
        host: null,
        username: 'anonymous',
        kind: 'reference-token',
        fingerprint: fingerprint(REFERENCE_TOKEN),
        instanceId: null,
        secret: REFERENCE_TOKEN,
      },
    ]);
  });

  it('reads $NETRC instead of ~/.netrc', async () => {
    home.write('.netrc', `machine acme.jfrog.io login alice password ${API_KEY}\n`);
    const custom = home.write('ci/netrc', `machine acme.jfrog.io login ci password ${PASSWORD}\n`);
    const report = await scanCredentials({
      environment: home.environment({ NETRC: custom }),
      instances: INSTANCES,
    });
    expect(report.found.map((c) => [c.file, c.username, c.kind])).toEqual([
      [custom, 'ci', 'password'],
    ]);
    expect(report.searched.filter((p) => p.includes('netrc'))).toEqual([custom]);
  });
});
