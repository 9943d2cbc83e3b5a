import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ACCESS_TOKEN,
  fingerprint,
  foundRows,
  PASSWORD,
  scanHome,
  tempHome,
  type TempHome,
} from './fixtures.js';

describe("Poetry's auth.toml", () => {
  let home: TempHome;
  beforeEach(() => void (home = tempHome()));
  afterEach(() => home.remove());

  it('finds each http-basic password with its line and user, for the repository config.toml names', async () => {
    home.write(
      '.config/pypoetry/config.toml',
      '[repositories.acme]\nurl = "https://acme.jfrog.io/artifactory/api/pypi/pypi-local"\n',
    );
    const file = home.write(
      '.config/pypoetry/auth.toml',
      `# creds\n[http-basic.acme]\nusername = "alice"\npassword = "${PASSWORD}"\n\n[http-basic.other]\nusername = "bob"\npassword = '${ACCESS_TOKEN}'\n\n[http-basic.keyring]\nusername = "carol"\n`,
    );
    const report = await scanHome(home);
    expect(foundRows(report, 'poetry')).toEqual([
      [
        file,
        'http-basic.acme.password',
        4,
        'https://acme.jfrog.io/artifactory/api/pypi/pypi-local',
        'alice',
        'password',
        'acme',
        fingerprint(PASSWORD),
      ],
      [
        file,
        'http-basic.other.password',
        8,
        null,
        'bob',
        'access-token',
        null,
        fingerprint(ACCESS_TOKEN),
      ],
    ]);
  });
});
