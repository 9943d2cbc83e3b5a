import { existsSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Environment } from '../../electron/core/paths.js';
import { uvConfigFile } from '../../electron/core/scan/locations.js';
import type { TargetSpec } from '../../electron/core/targets/target-record.js';
import { readTomlDocument } from '../../electron/core/targets/toml-file.js';
import { type ConfigureOptions } from '../../electron/core/targets/tool-request.js';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import type { FakeArtifactory } from '../fake-artifactory/server.js';
import { loggedInEachTest, type LoggedInArtikey } from '../support/artikey.js';

/**
 * uv: an `[[index]]` in the user's uv.toml, its credentials in .netrc (the netrc entry is its
 * companion). No uv binary installs here (no uv package on the npm registry or in Debian 12, and
 * PyPI is out of reach), so the file is checked against uv's documented settings instead: the
 * `index` entries of the settings reference (`name`, `url`, `default`, …, names of ASCII letters,
 * digits, `-`, `_`, `.`), and uv's documented search for credentials (`$NETRC`, else ~/.netrc).
 */
describe('uv: an [[index]] in uv.toml, its credentials in .netrc', () => {
  let fake: FakeArtifactory;
  let t: LoggedInArtikey;
  let id: string;
  let environment: Environment;
  loggedInEachTest((session) => {
    ({ fake, core: t } = session);
    ({ id, environment } = t);
  });

  const index = (repo = 'pypi-virtual'): string =>
    `${fake.url}/artifactory/api/pypi/${repo}/simple`;
  const uvToml = (): string => join(t.home, '.config', 'uv', 'uv.toml');
  const netrcFile = (): string => join(t.home, '.netrc');
  const read = (path: string): string => readFileSync(path, 'utf8');
  const write = (path: string, text: string): void => {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text, { mode: 0o600 });
  };
  const spec = (options: ConfigureOptions = {}): Promise<TargetSpec> =>
    t.spec('uv', { repo: 'pypi-virtual', section: 'acme', ...options }, environment);
  const unconfigure = () => t.unconfigure('uv');

  /** The `index` settings uv documents, each with the type it takes. */
  const INDEX_FIELDS: Record<string, string> = {
    name: 'string',
    url: 'string',
    explicit: 'boolean',
    default: 'boolean',
    format: 'string',
    'publish-url': 'string',
    authenticate: 'string',
    'ignore-error-codes': 'object',
    'cache-control': 'object',
  };
  const expectValidUvToml = (text: string): void => {
    const document = readTomlDocument(text, 'uv.toml');
    const indexes = document['index'];
    expect(Array.isArray(indexes)).toBe(true);
    for (const entry of indexes as Record<string, unknown>[]) {
      for (const [key, value] of Object.entries(entry))
        expect(typeof value, key).toBe(INDEX_FIELDS[key]);
      expect(typeof entry['url']).toBe('string');
      if (entry['name'] !== undefined) expect(entry['name']).toMatch(/^[A-Za-z0-9._-]+$/);
      expect(new URL(entry['url'] as string).password).toBe('');
    }
    expect(
      (indexes as Record<string, unknown>[]).filter((e) => e['default'] === true).length,
    ).toBeLessThanOrEqual(1);
  };

  it('writes the index into uv.toml and the token into .netrc only, rewrites .netrc on refresh, and takes out both files it created', async () => {
    const outcome = await t.artikey.configureTool(id, await spec());
    expect(outcome.target).toMatchObject({
      kind: 'uv',
      path: uvToml(),
      name: 'acme',
      url: index(),
      setDefault: false,
      netrcPath: netrcFile(),
    });
    const token = await t.artikey.accessToken(id);
    expect(read(uvToml())).toBe(`[[index]]\nname = "acme"\nurl = "${index()}"\n`);
    expect(read(uvToml())).not.toContain(token);
    expectValidUvToml(read(uvToml()));
    expect(read(netrcFile())).toBe(`machine 127.0.0.1\n  login alice\n  password ${token}\n`);
    expect(statSync(netrcFile()).mode & 0o777).toBe(0o600);
    expect((await t.artikey.toolTargets(id)).map((target) => target.kind).sort()).toEqual([
      'netrc',
      'uv',
    ]);

    await t.artikey.refresh(id);
    const renewed = await t.artikey.accessToken(id);
    expect(renewed).not.toBe(token);
    expect(read(netrcFile())).toBe(`machine 127.0.0.1\n  login alice\n  password ${renewed}\n`);
    expect(read(uvToml())).toBe(`[[index]]\nname = "acme"\nurl = "${index()}"\n`);

    const { removed, failed } = await unconfigure();
    expect(failed).toEqual([]);
    expect(removed.map((r) => r.target.kind).sort()).toEqual(['netrc', 'uv']);
    expect(existsSync(uvToml())).toBe(false);
    expect(existsSync(netrcFile())).toBe(false);
  });

  it('finds uv.toml where uv does: $XDG_CONFIG_HOME/uv, ~/.config/uv (macOS too), %APPDATA%\\uv; and .netrc at $NETRC', async () => {
    expect(
      uvConfigFile({ platform: 'linux', env: { XDG_CONFIG_HOME: '/x/cfg' }, home: '/h' }),
    ).toBe('/x/cfg/uv/uv.toml');
    expect(
      uvConfigFile({ platform: 'linux', env: { XDG_CONFIG_HOME: 'relative' }, home: '/h' }),
    ).toBe('/h/.config/uv/uv.toml');
    expect(uvConfigFile({ platform: 'darwin', env: {}, home: '/Users/a' })).toBe(
      '/Users/a/.config/uv/uv.toml',
    );
    expect(
      uvConfigFile({ platform: 'win32', env: { APPDATA: 'D:\\Roaming' }, home: 'C:\\Users\\a' }),
    ).toBe('D:\\Roaming\\uv\\uv.toml');
    environment = { platform: 'linux', env: { NETRC: join(t.home, 'ci.netrc') }, home: t.home };
    expect(await spec()).toMatchObject({ netrcPath: join(t.home, 'ci.netrc') });
  });

  it("makes it the default index on request, beside the person's indexes and machines, and gives both files back byte for byte", async () => {
    const toml = `# my uv settings\r\n[pip]\r\nno-cache = true\r\n\r\n[[index]]\r\nname = "internal"   # ours\r\nurl = "https://pypi.example.com/simple"\r\nexplicit = true\r\n`;
    const machines = '# mine\nmachine pypi.example.com login me password own-secret\n';
    write(uvToml(), toml);
    write(netrcFile(), machines);
    await t.artikey.configureTool(id, await spec({ setRegistry: true }));
    expect(read(uvToml())).toBe(
      `${toml}[[index]]\r\nname = "acme"\r\nurl = "${index()}"\r\ndefault = true\r\n`,
    );
    expectValidUvToml(read(uvToml()));
    expect(read(netrcFile())).toContain('machine pypi.example.com login me password own-secret');
    expect((await unconfigure()).failed).toEqual([]);
    expect(read(uvToml())).toBe(toml);
    expect(read(netrcFile())).toBe(machines);
  });

  it('takes over an index of the same name, keeping its other settings, and puts back its URL without the password it held', async () => {
    const withSecret = `[[index]]\nname = "acme"\nurl = "https://alice:old-secret@${fake.host}/artifactory/api/pypi/pypi-old/simple"\nexplicit = true\n`;
    write(uvToml(), withSecret);
    await t.artikey.configureTool(id, await spec());
    expect(read(uvToml())).toBe(`[[index]]\nname = "acme"\nurl = "${index()}"\nexplicit = true\n`);
    expect(JSON.stringify(await t.artikey.toolTargets(id))).not.toContain('old-secret');
    expect((await unconfigure()).failed).toEqual([]);
    expect(read(uvToml())).toBe(
      `[[index]]\nname = "acme"\nurl = "https://${fake.host}/artifactory/api/pypi/pypi-old/simple"\nexplicit = true\n`,
    );
  });

  it('refuses an index name uv cannot hold, and an index URL of another server, writing neither file', async () => {
    await expect(spec({ section: 'my index' })).rejects.toThrow(
      `--section "my index" is not a uv index name`,
    );
    const other = {
      ...(await spec()),
      url: 'https://evil.example/artifactory/api/pypi/x/simple',
    } as TargetSpec;
    await expect(t.artikey.configureTool(id, other)).rejects.toMatchObject({
      code: 'invalid-target',
    });
    expect(existsSync(uvToml())).toBe(false);
    expect(existsSync(netrcFile())).toBe(false);
  });

  it('previews the uv.toml lines, which hold no token', async () => {
    const preview = await t.artikey.previewTool(id, await spec());
    expect(JSON.stringify(preview)).not.toContain(await t.artikey.accessToken(id));
    expect(preview.changes).toEqual([
      { line: 1, before: null, after: '[[index]]' },
      { line: 2, before: null, after: 'name = "acme"' },
      { line: 3, before: null, after: `url = "${index()}"` },
    ]);
    expect(existsSync(uvToml())).toBe(false);
  });

  it('scan finds credentials written into index URLs, with their lines', async () => {
    const apiKey = fake.createApiKey(DEMO_USER.name);
    // A token alone in the user part, as some guides write it (found since pip's and Go's reader share uv's).
    const token = fake.issueToken({ username: DEMO_USER.name, expiresIn: 3600 }).jwt;
    const withKey = (repo: string) =>
      `${fake.url.replace('//', `//alice:${apiKey}@`)}/artifactory/api/pypi/${repo}/simple`;
    write(
      uvToml(),
      [
        `index-url = "${withKey('pypi-legacy')}"`,
        `extra-index-url = ["${fake.url.replace('//', `//${token}@`)}/artifactory/api/pypi/pypi-token/simple"]`,
        '',
        '[[index]]',
        'name = "named"',
        `url = "${withKey('pypi-named')}"`,
        '',
        '[[index]]',
        `url = "${withKey('pypi-unnamed')}"`,
        '',
      ].join('\n'),
    );
    const found = (await t.artikey.scan(environment)).found.filter((c) => c.tool === 'uv');
    expect(found.map((c) => [c.location, c.line, c.url, c.username, c.kind])).toEqual([
      ['index-url', 1, `${fake.url}/artifactory/api/pypi/pypi-legacy/simple`, 'alice', 'api-key'],
      ['extra-index-url', 2, `${fake.url}/artifactory/api/pypi/pypi-token/simple`, 'alice', 'access-token'],
      [
        'index["named"].url',
        6,
        `${fake.url}/artifactory/api/pypi/pypi-named/simple`,
        'alice',
        'api-key',
      ],
      [
        'index[2].url',
        9,
        `${fake.url}/artifactory/api/pypi/pypi-unnamed/simple`,
        'alice',
        'api-key',
      ],
    ]);
    expect(JSON.stringify(found)).not.toContain(apiKey);
    expect(JSON.stringify(found)).not.toContain(token);
  });

  it('migrate puts a clean URL in uv.toml and the token in .netrc, and logout leaves the URL without the key', async () => {
    const apiKey = fake.createApiKey(DEMO_USER.name);
    const clean = index('pypi-local');
    const before = `# mine\n[[index]]\nname = "corp"\nurl = "${clean.replace('//', `//alice:${apiKey}@`)}"\n`;
    write(uvToml(), before);
    const result = await t.artikey.migrate(id, environment, true);
    expect(result.failed).toEqual([]);
    expect(result.applied).toHaveLength(1);
    expect(read(uvToml())).toBe(`# mine\n[[index]]\nname = "corp"\nurl = "${clean}"\n`);
    expect(read(netrcFile())).toBe(
      `machine 127.0.0.1\n  login alice\n  password ${await t.artikey.accessToken(id)}\n`,
    );
    expect((await t.artikey.scan(environment)).found.filter((c) => c.tool === 'uv')).toEqual([]);
    expect((await t.artikey.logout(id)).complete).toBe(true);
    expect(read(uvToml())).toBe(`# mine\n[[index]]\nname = "corp"\nurl = "${clean}"\n`);
    expect(existsSync(netrcFile())).toBe(false);
  });
});
