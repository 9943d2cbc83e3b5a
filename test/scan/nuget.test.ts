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

const ENCRYPTED = 'AQAAANCMnd8BFdERjHoAwE/Cl+sBAAAAxyz';

const config = `<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
    <add key="Acme Feed" value="https://acme.jfrog.io/artifactory/api/nuget/v3/nuget-virtual" protocolVersion="3" />
    <add key="corp" value="https://artifactory.corp.example:8443/artifactory/api/nuget/nuget-local" />
    <add key="github" value="https://nuget.pkg.github.com/acme/index.json" />
  </packageSources>
  <packageSourceCredentials>
    <Acme_x0020_Feed>
      <add key="Username" value="alice" />
      <add key="ClearTextPassword" value="${ACCESS_TOKEN}" />
    </Acme_x0020_Feed>
    <CORP>
      <add key="Username" value="bob" />
      <add key="ClearTextPassword" value="%CORP_TOKEN%" />
      <add key="Password" value="${ENCRYPTED}" />
    </CORP>
    <github>
      <add key="Username" value="me" />
      <add key="ClearTextPassword" value="${PASSWORD.replace('&', '&amp;')}" />
    </github>
  </packageSourceCredentials>
</configuration>
`;

describe('NuGet.Config', () => {
  let home: TempHome;
  beforeEach(() => void (home = tempHome()));
  afterEach(() => home.remove());

  it("finds each Artifactory source's ClearTextPassword with its line, user and URL; %VAR% apart, the encrypted Password reported unread", async () => {
    const file = home.write('.nuget/NuGet/NuGet.Config', config);
    const report = await scanHome(home);
    expect(foundRows(report, 'nuget')).toEqual([
      [
        file,
        'packageSourceCredentials/Acme Feed/ClearTextPassword',
        12,
        'https://acme.jfrog.io/artifactory/api/nuget/v3/nuget-virtual',
        'alice',
        'access-token',
        'acme',
        fingerprint(ACCESS_TOKEN),
      ],
      [
        file,
        'packageSourceCredentials/CORP/ClearTextPassword',
        16,
        'https://artifactory.corp.example:8443/artifactory/api/nuget/nuget-local',
        'bob',
        'env-reference',
        'corp',
        fingerprint('%CORP_TOKEN%'),
      ],
      [
        file,
        'packageSourceCredentials/CORP/Password',
        17,
        'https://artifactory.corp.example:8443/artifactory/api/nuget/nuget-local',
        'bob',
        'encrypted',
        'corp',
        fingerprint(ENCRYPTED),
      ],
    ]);
    for (const secret of ALL_SECRETS)
      expect(JSON.stringify(report.found.map((c) => ({ ...c, secret: '' })))).not.toContain(secret);
  });

  it("reads nuget.exe's file on Mono too, and reports one NuGet could not read either, without a secret", async () => {
    home.write('.config/NuGet/NuGet.Config', config);
    const broken = home.write(
      '.nuget/NuGet/NuGet.Config',
      `<configuration><add value="${PASSWORD}">\n`,
    );
    const report = await scanHome(home);
    expect(report.found.filter((c) => c.tool === 'nuget')).toHaveLength(3);
    expect(report.problems).toEqual([
      {
        file: broken,
        message: expect.stringMatching(/^NuGet.Config is not valid/) as unknown as string,
      },
    ]);
    expect(JSON.stringify(report.problems)).not.toContain(PASSWORD);
  });
});
