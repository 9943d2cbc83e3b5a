import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scanCredentials } from '../../electron/core/scan/scan.js';
import { ACCESS_TOKEN, fingerprint, INSTANCES, PASSWORD, tempHome, type TempHome } from './fixtures.js';

describe('sbt', () => {
  let home: TempHome;
  beforeEach(() => void (home = tempHome()));
  afterEach(() => home.remove());

  it("finds the password in ~/.sbt/.credentials and ~/.ivy2/.credentials under any of sbt's names, with its line, host and user", async () => {
    const sbt = home.write('.sbt/.credentials', `# Artifactory\nrealm=Artifactory Realm\nhost=acme.jfrog.io\nuser=alice\npassword=${ACCESS_TOKEN}\n`);
    const ivy = home.write('.ivy2/.credentials', `realm: Artifactory Realm\nhostname: artifactory.corp.example\nuser.name: bob\npwd: ${PASSWORD}\n`);
    const report = await scanCredentials({ environment: home.environment(), instances: INSTANCES });
    expect(
      report.found
        .filter((c) => c.tool === 'sbt')
        .map((c) => [c.file, c.location, c.line, c.host, c.username, c.kind, c.fingerprint]),
    ).toEqual([
      [sbt, 'password', 5, 'acme.jfrog.io', 'alice', 'access-token', fingerprint(ACCESS_TOKEN)],
      [ivy, 'pwd', 4, 'artifactory.corp.example', 'bob', 'password', fingerprint(PASSWORD)],
    ]);
  });
});
