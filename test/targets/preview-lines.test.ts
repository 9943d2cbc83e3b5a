import { describe, expect, it } from 'vitest';
import { diffLines } from '../../electron/core/targets/line-diff.js';
import { redactLine } from '../../electron/core/targets/secret-redaction.js';

const JWT =
  'eyJ2ZXIiOiIyIiwidHlwIjoiSldUIiwiYWxnIjoiUlMyNTYifQ.eyJzdWIiOiJqZmFjQDAxL3VzZXJzL2FsaWNlIn0.c2lnbmF0dXJlLWJ5dGVzLWhlcmU';
const REFERENCE = `cmVmdGtuOjAxOjE3${'A1b2C3d4'.repeat(6)}`;
const API_KEY = `AKCp8${'k9QxZ2'.repeat(11)}`;
const BASE64 = 'YWxpY2U6c2VjcmV0LXBhc3N3b3JkLTEyMzQ1Njc4OTA='; // alice:secret-password-1234567890

describe('secret redaction of tool-file lines', () => {
  it('hides the value of credential keys in each format, and only the value', () => {
    expect(redactLine('//other.example/npm/:_authToken=abc', 'ini')).toBe(
      '//other.example/npm/:_authToken=<secret>',
    );
    expect(redactLine('_auth = dXNlcjpwdw==', 'ini')).toBe('_auth = <secret>');
    expect(redactLine('//h/:_password=cGFzcw==', 'ini')).toBe('//h/:_password=<secret>');
    expect(redactLine('artifactory_password=hunter2', 'properties')).toBe(
      'artifactory_password=<secret>',
    );
    expect(redactLine('repoApiKey: s3cr3t', 'properties')).toBe('repoApiKey: <secret>');
    expect(redactLine('    "auth": "YWxpY2U6cHc=",', 'json')).toBe('    "auth": "<secret>",');
    expect(redactLine('{"identitytoken":"x1","username":"bob","password":"pw"}', 'json')).toBe(
      '{"identitytoken":"<secret>","username":"bob","password":"<secret>"}',
    );
    expect(redactLine('      <password>hunter2</password>', 'xml')).toBe(
      '      <password><secret></password>',
    );
    expect(redactLine('<server apiKey="k1" id="x"/>', 'xml')).toBe(
      '<server apiKey="<secret>" id="x"/>',
    );
    // NuGet.Config (and .NET appSettings): the key attribute names the credential, the value holds it.
    expect(redactLine('      <add key="ClearTextPassword" value="hunter2" />', 'xml')).toBe(
      '      <add key="ClearTextPassword" value="<secret>" />',
    );
    expect(redactLine('<add key="Username" value="alice" />', 'xml')).toBe(
      '<add key="Username" value="alice" />',
    );
    expect(redactLine("<add key='ClearTextPassword' value='<token>' />", 'xml')).toBe(
      "<add key='ClearTextPassword' value='<token>' />",
    );
    expect(redactLine('machine h login alice password dGVzdA==', 'netrc')).toBe(
      'machine h login alice password <secret>',
    );
    expect(redactLine('  password hunter2', 'netrc')).toBe('  password <secret>');
  });

  it('hides the value of credential keys in YAML and TOML, quotes and comments kept', () => {
    expect(redactLine('    npmAuthToken: abc.def  # mine', 'yaml')).toBe(
      '    npmAuthToken: <secret>  # mine',
    );
    expect(redactLine(`  password: "p'w#1"`, 'yaml')).toBe('  password: "<secret>"');
    expect(redactLine("- password: 'it''s'", 'yaml')).toBe("- password: '<secret>'");
    expect(redactLine('"//h/": {npmAuthToken: x1, npmAlwaysAuth: true}', 'yaml')).toBe(
      '"//h/": {npmAuthToken: <secret>, npmAlwaysAuth: true}',
    );
    expect(redactLine('  username: alice', 'yaml')).toBe('  username: alice');
    expect(redactLine('npmAuthToken: tok#en # c', 'yaml')).toBe('npmAuthToken: <secret> # c');
    expect(redactLine('token = "Bearer abc" # cargo', 'toml')).toBe('token = "<secret>" # cargo');
    expect(redactLine("password = 'x\\y'", 'toml')).toBe("password = '<secret>'");
    expect(redactLine('registries.acme.token = "t"', 'toml')).toBe(
      'registries.acme.token = "<secret>"',
    );
    expect(redactLine('"@acme" = { url = "https://x/", token = "t1" }', 'toml')).toBe(
      '"@acme" = { url = "https://x/", token = "<secret>" }',
    );
    expect(redactLine('[http-basic.acme]', 'toml')).toBe('[http-basic.acme]');
    expect(redactLine('username = "alice"', 'toml')).toBe('username = "alice"');
    expect(redactLine('# token = "old"', 'toml')).toBe('# token = "old"');
  });

  it('keeps what is not a secret: other keys, booleans, environment references, the <token> mark', () => {
    for (const [line, format] of [
      ['registry=https://acme.jfrog.io/artifactory/api/npm/npm-virtual/', 'ini'],
      ['always-auth=true', 'ini'],
      ['//acme/:_authToken=${NPM_TOKEN}', 'ini'],
      ['//acme/:_authToken=<token>', 'ini'],
      ['index-url = https://alice:<token>@acme.jfrog.io/artifactory/api/pypi/p/simple/', 'ini'],
      ['artifactory_user=alice', 'properties'],
      ['artifactory_contextUrl=https://acme.jfrog.io/artifactory', 'properties'],
      ['    "auth": "<token>"', 'json'],
      ['    "credHelpers": {', 'json'],
      ['    "acme.jfrog.io": "artikey"', 'json'],
      ['<password>${env.ART_PASSWORD}</password>', 'xml'],
      ['<password><token></password>', 'xml'],
      ['<username>alice</username>', 'xml'],
      ['machine acme.jfrog.io login alice password <token>', 'netrc'],
      ['# _authToken=', 'ini'],
      ['      <url>https://acme.jfrog.io/artifactory/libs-release-virtual/</url>', 'xml'],
    ] as const)
      expect(redactLine(line, format)).toBe(line);
  });

  it('hides anything shaped like a credential wherever it is', () => {
    expect(redactLine(`# old token ${JWT}`, 'ini')).toBe('# old token <secret>');
    expect(redactLine(`url=https://x/?t=${REFERENCE}`, 'ini')).not.toContain(REFERENCE);
    expect(redactLine(`note=${API_KEY}`, 'properties')).toBe('note=<secret>');
    expect(redactLine(`"x": "${BASE64}"`, 'json')).toBe('"x": "<secret>"');
    expect(redactLine('sha=0123456789abcdef0123456789abcdef01234567', 'ini')).toBe('sha=<secret>');
    expect(redactLine('index-url = https://bob:pa55word@pypi.example/simple', 'ini')).toBe(
      'index-url = https://bob:<secret>@pypi.example/simple',
    );
    expect(redactLine('Authorization: Bearer abcdefgh.ijkl', 'properties')).not.toContain(
      'abcdefgh',
    );
  });
});

describe('line diff of a tool file', () => {
  it('reports nothing for equal texts, and only the changed lines otherwise', () => {
    expect(diffLines(['a', 'b'], ['a', 'b'])).toEqual([]);
    expect(diffLines(['a', 'b', 'c'], ['a', 'B', 'c'])).toEqual([
      { line: 2, before: 'b', after: 'B' },
    ]);
  });

  it('numbers additions in the new file and removals as null', () => {
    expect(diffLines([], ['x', 'y'])).toEqual([
      { line: 1, before: null, after: 'x' },
      { line: 2, before: null, after: 'y' },
    ]);
    expect(diffLines(['a', 'b', 'c'], ['a', 'c'])).toEqual([
      { line: null, before: 'b', after: null },
    ]);
    expect(diffLines(['a', 'c'], ['a', 'b', 'c', 'd'])).toEqual([
      { line: 2, before: null, after: 'b' },
      { line: 4, before: null, after: 'd' },
    ]);
  });

  it('finds common lines in the middle and pairs the rest in order', () => {
    const before = ['<servers>', '  <server>', '    <id>a</id>', '  </server>', '</servers>'];
    const after = [
      '<servers>',
      '  <server>',
      '    <id>a</id>',
      '  </server>',
      '  <server>',
      '    <id>b</id>',
      '  </server>',
      '</servers>',
    ];
    expect(diffLines(before, after)).toEqual([
      { line: 5, before: null, after: '  <server>' },
      { line: 6, before: null, after: '    <id>b</id>' },
      { line: 7, before: null, after: '  </server>' },
    ]);
    expect(diffLines(['k=1', 'x', 'j=2'], ['k=9', 'x', 'j=8', 'new'])).toEqual([
      { line: 1, before: 'k=1', after: 'k=9' },
      { line: 3, before: 'j=2', after: 'j=8' },
      { line: 4, before: null, after: 'new' },
    ]);
  });

  it('stays fast on a 4 MiB-sized file with a one-line edit', () => {
    const before = Array.from({ length: 200_000 }, (_, i) => `line ${i} ${'x'.repeat(12)}`);
    const after = [...before];
    after[100_000] = 'changed';
    const started = performance.now();
    expect(diffLines(before, after)).toEqual([
      { line: 100_001, before: before[100_000], after: 'changed' },
    ]);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
