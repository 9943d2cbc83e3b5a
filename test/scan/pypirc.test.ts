import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ACCESS_TOKEN,
  ALL_SECRETS,
  fingerprint,
  foundRows,
  PASSWORD,
  scanHome,
  tempHome,
  type TempHome,
} from './fixtures.js';

const pypirc = `[distutils]
index-servers =
    pypi
    acme
    corp

[server-login]
username = shared

[pypi]
username = __token__
password = pypi-AgEIcHlwaS5vcmc

[acme]
repository = https://acme.jfrog.io/artifactory/api/pypi/pypi-local
username = alice
password = ${ACCESS_TOKEN}

[corp]
repository: https://artifactory.corp.example:8443/artifactory/api/pypi/pypi-local
password = \${CORP_TOKEN}

[unlisted]
repository = https://acme.jfrog.io/artifactory/api/pypi/pypi-old
password = ${PASSWORD}
`;

describe('.pypirc', () => {
  let home: TempHome;
  beforeEach(() => void (home = tempHome()));
  afterEach(() => home.remove());

  it("finds the password of every Artifactory section, listed or not, with its line, user and repository; ${VAR} apart, PyPI's own left out", async () => {
    const file = home.write('.pypirc', pypirc);
    const report = await scanHome(home);
    expect(foundRows(report, 'pypirc')).toEqual([
      [
        file,
        '[acme] password',
        17,
        'https://acme.jfrog.io/artifactory/api/pypi/pypi-local',
        'alice',
        'access-token',
        'acme',
        fingerprint(ACCESS_TOKEN),
      ],
      [
        file,
        '[corp] password',
        21,
        'https://artifactory.corp.example:8443/artifactory/api/pypi/pypi-local',
        'shared',
        'env-reference',
        'corp',
        fingerprint('${CORP_TOKEN}'),
      ],
      [
        file,
        '[unlisted] password',
        25,
        'https://acme.jfrog.io/artifactory/api/pypi/pypi-old',
        'shared',
        'password',
        'acme',
        fingerprint(PASSWORD),
      ],
    ]);
  });

  it('reports a .pypirc twine could not read either, without a secret', async () => {
    const file = home.write('.pypirc', `password = ${PASSWORD}\n`);
    const report = await scanHome(home);
    expect(report.problems).toEqual([
      { file, message: '.pypirc is not valid (line 1); not scanned.' },
    ]);
    for (const secret of ALL_SECRETS) expect(JSON.stringify(report)).not.toContain(secret);
  });
});
