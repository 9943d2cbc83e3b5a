import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  editJfrogConfig,
  readJfrogConfig,
  replacedBy,
  type JfrogServer,
} from '../../electron/core/targets/jfrog-cli-config.js';

const server = (accessToken: string): JfrogServer => ({
  serverId: 'artikey-acme',
  url: 'https://acme.jfrog.io/',
  artifactoryUrl: 'https://acme.jfrog.io/artifactory/',
  user: 'alice',
  accessToken,
});

/** What a JSON reader outside Node (Python's, strict like Go's encoding/json) makes of the text. */
function python(text: string): unknown {
  const run = spawnSync(
    'python3',
    ['-c', 'import sys, json; print(json.dumps(json.load(sys.stdin)))'],
    {
      input: text,
      encoding: 'utf8',
    },
  );
  expect(run.stderr).toBe('');
  return JSON.parse(run.stdout) as unknown;
}

/** As `jf config add` writes it (json.Indent with two spaces, no final line break). */
const JF_WRITTEN = `{
  "servers": [
    {
      "url": "https://other.example/",
      "artifactoryUrl": "https://other.example/artifactory/",
      "distributionUrl": "https://other.example/distribution/",
      "xrayUrl": "https://other.example/xray/",
      "user": "bob",
      "accessToken": "eyJ2ZXIiOiIyIn0.b.c",
      "refreshToken": "r-123",
      "tokenRefreshInterval": 60,
      "serverId": "corp",
      "isDefault": true
    }
  ],
  "version": "6"
}`;

function configureThenRemove(original: string | null): void {
  const putBack = replacedBy(original);
  const added = editJfrogConfig(original, { server: server('OLD-TOKEN') });
  const servers = readJfrogConfig(added);
  expect(servers.find((s) => s['serverId'] === 'artikey-acme')).toMatchObject({
    url: 'https://acme.jfrog.io/',
    artifactoryUrl: 'https://acme.jfrog.io/artifactory/',
    user: 'alice',
    accessToken: 'OLD-TOKEN',
  });
  expect(python(added)).toEqual(JSON.parse(added));
  expect(editJfrogConfig(added, { server: server('OLD-TOKEN') })).toBe(added);
  const updated = editJfrogConfig(added, { server: server('NEW-TOKEN') });
  expect(updated).toBe(added.replace('OLD-TOKEN', 'NEW-TOKEN'));
  expect(editJfrogConfig(updated, { removeServer: 'artikey-acme', putBack })).toBe(original ?? '');
}

describe('the JFrog CLI configuration', () => {
  it('creates the file as jf writes it, as the default server, and removes it to nothing', () => {
    const created = editJfrogConfig(null, { server: server('T') });
    expect(created).toBe(`{
  "servers": [
    {
      "url": "https://acme.jfrog.io/",
      "artifactoryUrl": "https://acme.jfrog.io/artifactory/",
      "distributionUrl": "https://acme.jfrog.io/distribution/",
      "xrayUrl": "https://acme.jfrog.io/xray/",
      "missionControlUrl": "https://acme.jfrog.io/mc/",
      "pipelinesUrl": "https://acme.jfrog.io/pipelines/",
      "user": "alice",
      "accessToken": "T",
      "serverId": "artikey-acme",
      "isDefault": true
    }
  ],
  "version": "6"
}`);
    configureThenRemove(null);
  });

  it.each([
    ['as jf writes it', JF_WRITTEN],
    [
      'with CRLF, tabs and a final line break',
      `${JF_WRITTEN.replace(/\n/g, '\r\n').replace(/ {2}/g, '\t')}\r\n`,
    ],
    [
      'on one line, with an unknown field',
      '{"servers":[{"serverId":"x","isDefault":true}],"version":"6","future":[1,{"a":null}]}',
    ],
    ['with servers null (jf marshals no servers so)', '{\n  "servers": null,\n  "version": "6"\n}'],
    ['with no servers at all', '{\n  "version": "6"\n}\n'],
    ['with an empty list', '{"servers": [ ], "version": "6"}'],
  ])(
    '%s: adds its server after the others, updates it, and removes it back to the original bytes',
    (_, original) => {
      configureThenRemove(original);
    },
  );

  it('keeps every other server byte for byte and adds its own as a non-default one', () => {
    const added = editJfrogConfig(JF_WRITTEN, { server: server('T') });
    const lastBrace = JF_WRITTEN.lastIndexOf('}\n  ]');
    expect(added.slice(0, lastBrace + 1)).toBe(JF_WRITTEN.slice(0, lastBrace + 1));
    expect(readJfrogConfig(added)[1]).not.toHaveProperty('isDefault');
  });

  it('takes its server over from a jf-made entry without the fields jf would refresh with', () => {
    const mine = JF_WRITTEN.replace('"corp"', '"artikey-acme"');
    const written = editJfrogConfig(mine, { server: server('T') });
    expect(readJfrogConfig(written)).toEqual([
      {
        url: 'https://acme.jfrog.io/',
        artifactoryUrl: 'https://acme.jfrog.io/artifactory/',
        distributionUrl: 'https://acme.jfrog.io/distribution/',
        xrayUrl: 'https://acme.jfrog.io/xray/',
        user: 'alice',
        accessToken: 'T',
        serverId: 'artikey-acme',
        isDefault: true,
        missionControlUrl: 'https://acme.jfrog.io/mc/',
        pipelinesUrl: 'https://acme.jfrog.io/pipelines/',
      },
    ]);
    expect(written).not.toContain('r-123');
  });

  it.each([
    ['quotes and backslashes', 'a"b\\c'],
    ['unicode', 'jéton-🔑'],
    ['a hash', 'to#ken'],
  ])('writes a token with %s that JSON readers read back exactly', (_, token) => {
    const written = editJfrogConfig(JF_WRITTEN, { server: server(token) });
    expect(readJfrogConfig(written)[1]?.['accessToken']).toBe(token);
    expect(
      (python(written) as { servers: { accessToken: string }[] }).servers[1]!.accessToken,
    ).toBe(token);
  });

  it('refuses an encrypted file, saying why and what to do', () => {
    const encrypted = JF_WRITTEN.replace('"version": "6"', '"version": "6",\n  "enc": true');
    expect(() => editJfrogConfig(encrypted, { server: server('SECRET-VALUE') })).toThrow(
      /encrypted \("enc": true.*left the file untouched\. Add the server with `jf config add` instead/,
    );
    expect(() => editJfrogConfig(encrypted, { removeServer: 'corp' })).toThrow(/encrypted/);
  });

  it('refuses invalid JSON with its line and column, an old version, and unsafe values', () => {
    expect(() => editJfrogConfig('{\n  "servers": [],\n  }', { server: server('T') })).toThrow(
      /not valid JSON at line 3, column 3 \(a double-quoted property name expected after a comma\); Artikey left it untouched/,
    );
    // V8's message for this one quotes the text around the error, token included.
    let message = '';
    try {
      editJfrogConfig('{"servers": [{"accessToken": SECRET-VALUE}]}', { server: server('T') });
    } catch (error) {
      message = String(error);
    }
    expect(message).toMatch(
      /not valid JSON at line 1, column 30 \(a value expected\); Artikey left it untouched/,
    );
    expect(message).not.toContain('SECRET');
    expect(() =>
      editJfrogConfig('{"artifactory": [], "version": "4"}', { server: server('T') }),
    ).toThrow(/version "4", not 6/);
    expect(() => editJfrogConfig(JF_WRITTEN, { server: { ...server('T'), user: 'a\nb' } })).toThrow(
      /user name .*a line break/,
    );
    expect(() =>
      editJfrogConfig(JF_WRITTEN, { removeServer: 'corp', putBack: { servers: '[' } }),
    ).toThrow(/put back for servers is not JSON/);
  });

  it('made the default, demotes the person’s default and gives it back on removal, byte for byte', () => {
    const ours = { ...server('T'), makeDefault: true };
    const putBack = replacedBy(JF_WRITTEN, ours);
    expect(putBack).toEqual({ 'previous default server': 'corp' });
    const added = editJfrogConfig(JF_WRITTEN, { server: ours });
    expect(readJfrogConfig(added).map((s) => [s['serverId'], s['isDefault']])).toEqual([
      ['corp', false],
      ['artikey-acme', true],
    ]);
    // A refresh leaves whichever server the person made the default since alone.
    const chosen = added
      .replace('"isDefault": false', '"isDefault": true')
      .replace(/"isDefault": true(\s*\}\s*\]\s*,\s*"version")/, '"isDefault": false$1');
    expect(editJfrogConfig(chosen, { server: server('NEW') })).toBe(chosen.replace('"T"', '"NEW"'));
    expect(editJfrogConfig(added, { removeServer: 'artikey-acme', putBack })).toBe(JF_WRITTEN);
    // jf rewrote the file meanwhile and dropped `"isDefault": false` (omitempty): the default comes back.
    const rewritten = added.replace(
      '"serverId": "corp",\n      "isDefault": false',
      '"serverId": "corp"',
    );
    expect(rewritten).not.toBe(added);
    expect(
      JSON.parse(editJfrogConfig(rewritten, { removeServer: 'artikey-acme', putBack })),
    ).toEqual(JSON.parse(JF_WRITTEN));
    // Another default chosen meanwhile stays the default.
    expect(
      readJfrogConfig(editJfrogConfig(chosen, { removeServer: 'artikey-acme', putBack }))[0],
    ).toMatchObject({ serverId: 'corp', isDefault: true });
  });

  it('takes out every field jf would sign in or refresh with when it takes an entry over', () => {
    const mine = JF_WRITTEN.replace('"corp"', '"artikey-acme"').replace(
      '"refreshToken": "r-123",',
      '"refreshToken": "r-123",\n      "artifactoryRefreshToken": "ar-1",\n      "apiKey": "AKC-1",\n      "password": "pw-1",',
    );
    const written = editJfrogConfig(mine, { server: server('T') });
    for (const gone of ['r-123', 'ar-1', 'AKC-1', 'pw-1', 'tokenRefreshInterval'])
      expect(written).not.toContain(gone);
  });
});

/** Counterexamples the fuzzing found (test/fuzz/jfrog-cli.suite.ts), shrunk. */
describe('fuzzing regressions', () => {
  const configureDefault = (text: string): { written: string; putBack: Record<string, string> } => {
    const putBack = replacedBy(text, { serverId: 'art', makeDefault: true });
    const written = editJfrogConfig(text, {
      server: { ...server('T'), serverId: 'art', makeDefault: true },
    });
    return { written, putBack };
  };
  const refusal = (text: string): string => {
    try {
      editJfrogConfig(text, { server: server('T') });
    } catch (error) {
      return String(error);
    }
    return 'accepted';
  };

  it('--default then removal gives back every server that was marked default', () => {
    // Broke: with two servers marked default, only the first was made the default again; the
    // second kept "isDefault": false.
    const text =
      '{"servers":[{"serverId":"other","isDefault":true},{"serverId":"b","isDefault":true}],"version":"6"}';
    const { written, putBack } = configureDefault(text);
    expect(editJfrogConfig(written, { removeServer: 'art', putBack })).toBe(text);
  });

  it('--default then removal marks the same server of a repeated id default again', () => {
    // Broke: the default was the second server of id "other"; removal marked the first one.
    const text =
      '{"servers":[{"serverId":"other"},{"serverId":"other","isDefault":true}],"version":"6"}';
    const { written, putBack } = configureDefault(text);
    expect(editJfrogConfig(written, { removeServer: 'art', putBack })).toBe(text);
  });

  it('refuses --default over a default server without an id, naming its place', () => {
    // Broke: the refusal named no line and column.
    expect(() =>
      replacedBy('{\n  "servers": [\n    {"isDefault": true}\n  ]\n}', {
        serverId: 'art',
        makeDefault: true,
      }),
    ).toThrow(/\(at line 3, column 5\) has no serverId/);
  });

  it('refuses keys jf folds to its fields and a second servers list, naming their place', () => {
    // Broke: jf reads "ServerId" as serverId and decodes a second "servers" list into the first
    // one's servers, so Artikey's entry was not the one jf read.
    expect(refusal('{"servers":[{"ServerId":"corp"}]}')).toMatch(
      /has a key "ServerId" at line 1, column 14, which jf reads as "serverId" too/,
    );
    expect(refusal('{"Servers":[]}')).toMatch(/key "Servers" at line 1, column 2/);
    expect(refusal('{"servers":[{"serverId":"x"}],\n"servers":[]}')).toMatch(
      /"servers" twice \(again at line 2, column 1\)/,
    );
    expect(refusal('{"servers": 5}')).toMatch(/not a list of servers \(at line 1, column 13\)/);
  });
});
