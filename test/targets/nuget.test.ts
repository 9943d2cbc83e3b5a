import { describe, expect, it } from 'vitest';
import { nuget } from '../../electron/core/targets/kinds/nuget.js';
import type { NuGetSpec } from '../../electron/core/targets/kinds/nuget-spec.js';
import {
  decodeSourceName,
  encodeSourceName,
  NEW_NUGET_CONFIG,
  readNuGetConfig,
} from '../../electron/core/targets/nuget-config.js';
import { targetSpec } from '../../electron/core/targets/tool-request.js';

const URL = 'https://acme.jfrog.io/artifactory/api/nuget/v3/nuget-virtual/index.json';
const spec: NuGetSpec = {
  kind: 'nuget',
  path: '/home/ada/.nuget/NuGet/NuGet.Config',
  name: 'Artifactory',
  url: URL,
  protocol: 'v3',
};
const credentials = { username: 'ada', token: 'eyJ2ZXIiOiIyIn0.e30.c2ln' };
const environment = { platform: 'linux' as const, env: {}, home: '/home/ada' };

/** Configure, then remove, as a target drives the two: the first write notes what it replaced. */
function writeThenRemove(
  before: string | null,
  target: NuGetSpec = spec,
  replaceReferences = false,
): { written: string; removed: string; restore: Record<string, string> } {
  const restore: Record<string, string> = {};
  const written = nuget.writer(target, credentials, restore, replaceReferences)(before);
  const record = { ...target, restore, createdFile: before === null, writtenAt: null, error: null };
  return { written, removed: nuget.remover(record)(written), restore };
}

describe('nuget: NuGet.Config package source and packageSourceCredentials', () => {
  it('asks for a nuget repository; v3 service index by default, the v2 feed with --protocol v2; --name names the source', () => {
    const instance = { platformUrl: 'https://acme.jfrog.io/' };
    expect(targetSpec('nuget', instance, { repo: 'nuget-virtual' }, environment)).toEqual(spec);
    expect(
      targetSpec(
        'nuget',
        instance,
        { repo: 'nuget-local', protocol: 'v2', sourceName: 'Acme Feed' },
        environment,
      ),
    ).toMatchObject({
      name: 'Acme Feed',
      url: 'https://acme.jfrog.io/artifactory/api/nuget/nuget-local',
      protocol: 'v2',
    });
    expect(() => targetSpec('nuget', instance, {}, environment)).toThrow(
      /--repo <nuget repository>/,
    );
    expect(() => targetSpec('nuget', instance, { repo: 'x', protocol: 'v4' }, environment)).toThrow(
      /--protocol "v4" .* v3 or v2/,
    );
    expect(() =>
      targetSpec('nuget', instance, { repo: 'x', sourceName: 'Café' }, environment),
    ).toThrow(/--name "Café" .* printable ASCII/);
  });

  it('writes to the user file dotnet reads: ~/.nuget/NuGet/NuGet.Config, %AppData%\\NuGet\\NuGet.Config on Windows', () => {
    expect(nuget.defaultPath(environment)).toBe('/home/ada/.nuget/NuGet/NuGet.Config');
    expect(
      nuget.defaultPath({
        platform: 'win32',
        env: { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' },
        home: 'C:\\Users\\ada',
      }),
    ).toMatch(/AppData[\\/]Roaming[\\/]NuGet[\\/]NuGet\.Config$/);
  });

  it("encodes the source's element name as XmlConvert.EncodeLocalName does, and reads it back", () => {
    const cases: [string, string][] = [
      ['Artifactory', 'Artifactory'],
      ['Test Source', 'Test_x0020_Source'],
      ['acme.jfrog.io', 'acme.jfrog.io'],
      ['1st-feed', '_x0031_st-feed'],
      ['-feed', '_x002D_feed'],
      ['a:b', 'a_x003A_b'],
      ['my_feed', 'my_feed'],
      ['odd_x0041_name', 'odd_x005F_x0041_name'],
      ['a/b&c', 'a_x002F_b_x0026_c'],
    ];
    for (const [name, element] of cases) {
      expect(encodeSourceName(name)).toBe(element);
      expect(decodeSourceName(element)).toBe(name);
    }
  });

  it('creates what NuGet itself would: its first file with nuget.org, then the source and its credentials; logout removes the file', () => {
    const { written, removed } = writeThenRemove(null, { ...spec, name: 'Acme Feed' });
    expect(written).toBe(
      NEW_NUGET_CONFIG.replace(
        '  </packageSources>\n',
        `    <add key="Acme Feed" value="${URL}" protocolVersion="3" />\n  </packageSources>\n` +
          '  <packageSourceCredentials>\n    <Acme_x0020_Feed>\n' +
          `      <add key="Username" value="ada" />\n      <add key="ClearTextPassword" value="${credentials.token}" />\n` +
          '    </Acme_x0020_Feed>\n  </packageSourceCredentials>\n',
      ),
    );
    expect(readNuGetConfig(written).credentials).toEqual([
      {
        name: 'Acme Feed',
        line: 8,
        username: 'ada',
        clearTextPassword: { value: credentials.token, line: 10 },
        password: null,
      },
    ]);
    expect(removed).toBe('');
  });

  it("keeps the person's comments, attribute order, tabs and CRLF, and gives the file back byte for byte", () => {
    const before =
      '<?xml version="1.0" encoding="utf-8"?>\r\n<!-- mine -->\r\n<configuration>\r\n' +
      '\t<packageSources>\r\n\t\t<clear />\r\n\t\t<add value="https://api.nuget.org/v3/index.json" key="nuget.org" protocolVersion="3"/>\r\n\t</packageSources>\r\n' +
      "\t<config>\r\n\t\t<add key='globalPackagesFolder' value='/data/pkgs' />\r\n\t</config>\r\n</configuration>\r\n";
    const { written, removed } = writeThenRemove(before);
    expect(written).toBe(
      before
        .replace(
          '\r\n\t</packageSources>',
          `\r\n\t\t<add key="Artifactory" value="${URL}" protocolVersion="3" />\r\n\t</packageSources>`,
        )
        .replace(
          '</config>\r\n',
          '</config>\r\n\t<packageSourceCredentials>\r\n\t\t<Artifactory>\r\n' +
            `\t\t\t<add key="Username" value="ada" />\r\n\t\t\t<add key="ClearTextPassword" value="${credentials.token}" />\r\n` +
            '\t\t</Artifactory>\r\n\t</packageSourceCredentials>\r\n',
        ),
    );
    expect(removed).toBe(before);
  });

  it("takes over the person's source of the same name (any case) and its credentials, and puts them back", () => {
    const before =
      '<configuration>\n  <packageSources>\n    <add key="artifactory" value="https://old.example/nuget" />\n  </packageSources>\n' +
      '  <packageSourceCredentials>\n    <artifactory>\n      <add key="Username" value="old" />\n' +
      '      <add key="ValidAuthenticationTypes" value="basic" />\n      <add key="ClearTextPassword" value="hunter2" />\n' +
      '    </artifactory>\n  </packageSourceCredentials>\n  <packageSourceMapping />\n</configuration>\n';
    const { written, removed, restore } = writeThenRemove(before);
    expect(written).toBe(
      before
        .replace('value="https://old.example/nuget"', `value="${URL}" protocolVersion="3"`)
        .replace('value="old"', 'value="ada"')
        .replace('value="hunter2"', `value="${credentials.token}"`),
    );
    // The plain password is what the person moves away from: never kept, not put back.
    expect(JSON.stringify(restore)).not.toContain('hunter2');
    // Found by fuzzing: giving back the Username without a password left a credentials element
    // NuGet refuses (CredentialsItem needs both), so no source at all could be read; the
    // person's credentials of the source go whole, their password being gone for good.
    expect(removed).toBe(
      before.replace(/  <packageSourceCredentials>[^]*<\/packageSourceCredentials>\n/, ''),
    );
  });

  it('drops an encrypted Password beside the ClearTextPassword it writes, and keeps no trace of it', () => {
    const before =
      '<configuration>\n  <packageSourceCredentials>\n    <Artifactory>\n      <add key="Username" value="ada" />\n' +
      '      <add key="Password" value="AQAAANCMnd8BFdERjHoAwE/Cl+sBAAAA" />\n    </Artifactory>\n  </packageSourceCredentials>\n</configuration>\n';
    const { written, removed, restore } = writeThenRemove(before);
    expect(written).not.toContain('AQAAANCM');
    expect(readNuGetConfig(written).credentials[0]).toMatchObject({
      username: 'ada',
      clearTextPassword: { value: credentials.token },
      password: null,
    });
    expect(JSON.stringify(restore)).not.toContain('AQAAANCM');
    // A Username alone is a credentials element NuGet refuses: the element goes whole.
    expect(removed).toBe('<configuration>\n</configuration>\n');
  });

  it('refuses a %VAR% password unless asked to replace it; replaced, the reference comes back', () => {
    const before =
      '<configuration>\n  <packageSourceCredentials>\n    <Artifactory>\n      <add key="Username" value="%NUGET_USER%" />\n' +
      '      <add key="ClearTextPassword" value="%NUGET_TOKEN%" />\n    </Artifactory>\n  </packageSourceCredentials>\n</configuration>\n';
    expect(() => writeThenRemove(before)).toThrow(
      /reads %…% from the environment.*--replace-references/,
    );
    const { written, removed } = writeThenRemove(before, spec, true);
    expect(written).toContain(`<add key="ClearTextPassword" value="${credentials.token}" />`);
    expect(removed).toBe(before);
  });

  it('v2: no protocolVersion="3", and a source that had one loses it until removal', () => {
    const v2 = {
      ...spec,
      url: 'https://acme.jfrog.io/artifactory/api/nuget/nuget-virtual',
      protocol: 'v2' as const,
    };
    const before =
      '<configuration>\n  <packageSources>\n    <add key="Artifactory" value="https://old.example/v3/index.json" protocolVersion="3" />\n  </packageSources>\n</configuration>\n';
    const { written, removed } = writeThenRemove(before, v2);
    expect(written).toContain(`<add key="Artifactory" value="${v2.url}" />`);
    expect(removed).toBe(before);
    expect(writeThenRemove(null, v2).written).toContain(
      `<add key="Artifactory" value="${v2.url}" />\n`,
    );
  });

  it('a refresh rewrites only the token; empty containers and an empty credentials element the person wrote come back as written', () => {
    const emptyEntry =
      '<configuration>\n  <packageSourceCredentials>\n    <Artifactory />\n  </packageSourceCredentials>\n</configuration>\n';
    expect(writeThenRemove(emptyEntry).removed).toBe(emptyEntry);
    const before =
      '<configuration>\n  <packageSources />\n  <packageSourceCredentials></packageSourceCredentials>\n</configuration>\n';
    const { written, removed, restore } = writeThenRemove(before);
    const refreshed = nuget.writer(
      spec,
      { ...credentials, token: 'eyJ2ZXIiOiIyIn0.e30.bmV3' },
      null,
      false,
    )(written);
    expect(refreshed).toBe(written.replace(credentials.token, 'eyJ2ZXIiOiIyIn0.e30.bmV3'));
    expect(removed).toBe(before);
    const record = { ...spec, restore, createdFile: false, writtenAt: null, error: null };
    expect(nuget.remover(record)(refreshed)).toBe(before);
  });

  it('refuses a file that is not a NuGet configuration, naming the line', () => {
    expect(() => writeThenRemove('<settings/>\n')).toThrow(
      /<settings> at line 1, column 1 where <configuration> should be/,
    );
    expect(() =>
      writeThenRemove('<configuration>\n  <packageSources>\n</configuration>\n'),
    ).toThrow(/NuGet.Config is not well-formed XML at line 3/);
  });

  // Found by fuzzing: a container left holding only the person's processing instruction was
  // taken out as if empty (a comment kept it); Artikey writes no PIs, so one is the person's.
  it("keeps a container holding the person's processing instruction", () => {
    const before =
      '<configuration>\n  <packageSourceCredentials>\n    <?keep this?>\n    <Artifactory>\n' +
      '      <add key="Username" value="ada" />\n      <add key="ClearTextPassword" value="hunter2" />\n' +
      '    </Artifactory>\n  </packageSourceCredentials>\n</configuration>\n';
    expect(writeThenRemove(before).removed).toBe(
      '<configuration>\n  <packageSourceCredentials>\n    <?keep this?>\n  </packageSourceCredentials>\n</configuration>\n',
    );
  });

  // Found by fuzzing: the person's source of the name stood before a <clear />, which drops it
  // for NuGet; Artikey updated it there, and NuGet read no source of that name at all.
  it('writes its own source after a <clear /> that drops the one before it, and takes only its own out', () => {
    const before =
      '<configuration>\n  <packageSources>\n    <add key="Artifactory" value="https://old/" />\n' +
      '    <clear />\n    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />\n' +
      '  </packageSources>\n  <packageSourceCredentials>\n    <Other>\n      <add key="Username" value="old" />\n' +
      '      <add key="ClearTextPassword" value="%OLD%" />\n    </Other>\n    <clear />\n  </packageSourceCredentials>\n</configuration>\n';
    const { written, removed } = writeThenRemove(before);
    expect(written).toContain('<add key="Artifactory" value="https://old/" />');
    expect(written).toContain('<add key="ClearTextPassword" value="%OLD%" />');
    expect(readNuGetConfig(written).sources.at(-1)).toMatchObject({
      name: 'Artifactory',
      url: URL,
    });
    expect(readNuGetConfig(written).credentials.at(-1)).toMatchObject({
      name: 'Artifactory',
      clearTextPassword: { value: credentials.token },
    });
    expect(removed).toBe(before);
  });

  // Found by fuzzing: NuGet counts credentials of one name once (the first), so with the
  // person's before a <clear /> no credentials of that source are read at all, whatever comes
  // after; Artikey's write looked done while NuGet would not log in.
  it('refuses a source whose credentials stand before a <clear />, saying why', () => {
    const before =
      '<configuration>\n  <packageSourceCredentials>\n    <Artifactory>\n      <add key="Username" value="old" />\n' +
      '      <add key="ClearTextPassword" value="%OLD%" />\n    </Artifactory>\n    <clear />\n  </packageSourceCredentials>\n</configuration>\n';
    expect(() => writeThenRemove(before)).toThrow(
      expect.objectContaining({
        code: 'tool-file-conflict',
        message: expect.stringMatching(/before a <clear \/> \(line 3\)/),
      }),
    );
  });
});
