import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Environment } from '../../electron/core/paths.js';
import type { TargetSpec } from '../../electron/core/targets/target-record.js';
import { parseTool, type ConfigureOptions } from '../../electron/core/targets/tool-request.js';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import type { FakeArtifactory } from '../fake-artifactory/server.js';
import { loggedInEachTest, type LoggedInArtikey } from '../support/artikey.js';

/**
 * The JSON types of jfrog-cli-core's `ServerDetails` fields (utils/config/config.go at
 * v2.60.0-101-g77deb9f), which Go's encoding/json refuses to unmarshal any other type into: no
 * `jf` runs here (its npm package downloads the binary at install), so the file is checked
 * against the struct it is read into.
 */
const SERVER_DETAILS: Record<string, 'string' | 'number' | 'boolean'> = {
  url: 'string',
  artifactoryUrl: 'string',
  distributionUrl: 'string',
  xrayUrl: 'string',
  xscUrl: 'string',
  catalogUrl: 'string',
  missionControlUrl: 'string',
  pipelinesUrl: 'string',
  accessUrl: 'string',
  user: 'string',
  password: 'string',
  sshKeyPath: 'string',
  sshPassphrase: 'string',
  accessToken: 'string',
  refreshToken: 'string',
  artifactoryRefreshToken: 'string',
  tokenRefreshInterval: 'number',
  clientCertPath: 'string',
  clientCertKeyPath: 'string',
  serverId: 'string',
  isDefault: 'boolean',
  webLogin: 'boolean',
  disableTokenRefresh: 'boolean',
};

function expectJfReadable(text: string): Record<string, unknown>[] {
  const config = JSON.parse(text) as Record<string, unknown>;
  expect(Object.keys(config).every((key) => ['servers', 'version', 'enc'].includes(key))).toBe(
    true,
  );
  expect(config['version']).toBe('6');
  expect(config['enc'] ?? false).toBe(false);
  const servers = config['servers'] as Record<string, unknown>[];
  for (const server of servers)
    for (const [key, value] of Object.entries(server))
      expect([key, typeof value]).toEqual([key, SERVER_DETAILS[key]]);
  // `jf` fails on every command when servers exist and none (or two) is the default.
  expect(servers.filter((s) => s['isDefault'] === true)).toHaveLength(1);
  return servers;
}

const OTHER = `{
  "servers": [
    {
      "url": "https://other.example/",
      "artifactoryUrl": "https://other.example/artifactory/",
      "user": "bob",
      "accessToken": "bobs-own-token",
      "serverId": "corp",
      "isDefault": true
    }
  ],
  "version": "6"
}`;

describe('jfrog: a server entry in jfrog-cli.conf.v6', () => {
  let fake: FakeArtifactory;
  let t: LoggedInArtikey;
  let id: string;
  let jfrogHome: string;
  let environment: Environment;
  loggedInEachTest((session) => {
    ({ fake, core: t } = session);
    id = t.id;
    jfrogHome = join(t.home, 'jfrog-home');
    mkdirSync(jfrogHome, { recursive: true });
    environment = { platform: 'linux', env: { JFROG_CLI_HOME_DIR: jfrogHome }, home: t.home };
  });

  const file = (): string => join(jfrogHome, 'jfrog-cli.conf.v6');
  const read = (): string => readFileSync(file(), 'utf8');
  const spec = (options: ConfigureOptions = {}): Promise<TargetSpec> =>
    t.spec('jfrog', options, environment);
  const unconfigure = () => t.unconfigure('jfrog');

  it('writes the server as jf config add does, with the access token only, rewrites it on refresh, and logout removes the file it created', async () => {
    const outcome = await t.artikey.configureTool(id, await spec());
    const url = `${fake.url}/`;
    expect(outcome.target).toMatchObject({
      kind: 'jfrog-cli',
      serverId: '127.0.0.1',
      url,
      path: file(),
    });
    const token = await t.artikey.accessToken(id);
    const [server] = expectJfReadable(read());
    expect(server).toEqual({
      url,
      artifactoryUrl: `${url}artifactory/`,
      distributionUrl: `${url}distribution/`,
      xrayUrl: `${url}xray/`,
      missionControlUrl: `${url}mc/`,
      pipelinesUrl: `${url}pipelines/`,
      user: DEMO_USER.name,
      accessToken: token,
      serverId: '127.0.0.1',
      isDefault: true,
    });
    expect(statSync(file()).mode & 0o777).toBe(0o600);
    const refreshToken = (await t.vault.read(id))?.refreshToken;
    expect(refreshToken).toBeTruthy();
    expect(read()).not.toContain(refreshToken);

    await t.artikey.refresh(id);
    const renewed = await t.artikey.accessToken(id);
    expect(renewed).not.toBe(token);
    expect(expectJfReadable(read())[0]?.['accessToken']).toBe(renewed);

    await t.artikey.logout(id);
    expect(existsSync(file())).toBe(false);
  });

  it("keeps the person's servers byte for byte, makes its own the default with --default, and unconfigure gives the file back exactly", async () => {
    writeFileSync(file(), OTHER);
    await t.artikey.configureTool(id, await spec({ serverId: 'acme', makeDefault: true }));
    const servers = expectJfReadable(read());
    expect(servers.map((s) => [s['serverId'], s['isDefault']])).toEqual([
      ['corp', false],
      ['acme', true],
    ]);
    expect(read()).toContain('"accessToken": "bobs-own-token"');
    expect(JSON.stringify(await t.artikey.toolTargets(id))).not.toContain('bobs-own-token');
    await t.artikey.refresh(id);
    expect(expectJfReadable(read())[1]?.['accessToken']).toBe(await t.artikey.accessToken(id));
    const { removed, failed } = await unconfigure();
    expect(failed).toEqual([]);
    expect(removed).toHaveLength(1);
    expect(read()).toBe(OTHER);
  });

  it('without --default leaves the default alone', async () => {
    writeFileSync(file(), OTHER);
    await t.artikey.configureTool(id, await spec({ serverId: 'acme' }));
    expect(expectJfReadable(read()).map((s) => [s['serverId'], s['isDefault']])).toEqual([
      ['corp', true],
      ['acme', undefined],
    ]);
    await unconfigure();
    expect(read()).toBe(OTHER);
  });

  it.each([
    [
      'security.yaml holds a master key',
      { file: 'version: 1\nmasterKey: "0123456789abcdef0123456789abcdef"\n' },
      {},
      /masterKey in .*security\.yaml/,
    ],
    [
      'JFROG_CLI_ENCRYPTION_KEY is set',
      null,
      { JFROG_CLI_ENCRYPTION_KEY: '0123456789abcdef0123456789abcdef' },
      /JFROG_CLI_ENCRYPTION_KEY is set/,
    ],
  ])(
    'refuses when jf would encrypt the file (%s), saying why and what to do, and changes nothing',
    async (_, security, env, why) => {
      writeFileSync(file(), OTHER);
      if (security) {
        mkdirSync(join(jfrogHome, 'security'));
        writeFileSync(join(jfrogHome, 'security', 'security.yaml'), security.file);
      }
      environment = { ...environment, env: { ...environment.env, ...env } };
      const failure = await spec().then(
        () => null,
        (error: unknown) => error as Error & { code: string },
      );
      expect(failure?.code).toBe('tool-file-protected');
      expect(failure?.message).toMatch(why);
      expect(failure?.message).toMatch(
        /jf encrypts its configuration .* Artikey left jfrog-cli\.conf\.v6 untouched\. Give jf the token per command instead .*artikey token/,
      );
      expect(read()).toBe(OTHER);
    },
  );

  it('writes a plain file when JFROG_CLI_ENCRYPTION_KEY is set empty (jf then reads no security.yaml) or security.yaml has no key', async () => {
    mkdirSync(join(jfrogHome, 'security'));
    writeFileSync(join(jfrogHome, 'security', 'security.yaml'), 'version: 1\n');
    await t.artikey.configureTool(id, await spec());
    expect(expectJfReadable(read())).toHaveLength(1);
    writeFileSync(
      join(jfrogHome, 'security', 'security.yaml'),
      'masterKey: "0123456789abcdef0123456789abcdef"\n',
    );
    environment = { ...environment, env: { ...environment.env, JFROG_CLI_ENCRYPTION_KEY: '' } };
    await expect(spec()).resolves.toMatchObject({ kind: 'jfrog-cli' });
    // A master key that appears later stops the next refresh from writing, the file unchanged.
    const before = read();
    await t.artikey.refresh(id);
    expect(read()).toBe(before);
    expect((await t.artikey.toolTargets(id))[0]?.error?.message).toMatch(
      /jf encrypts its configuration/,
    );
  });

  it('names the server after the instance or --server-id, takes `jf` as the tool, and refuses ids and hosts that are not the instance’s', async () => {
    expect(parseTool('jf')).toBe('jfrog');
    expect(parseTool('JFrog')).toBe('jfrog');
    await expect(spec({ serverId: 'my server' })).rejects.toMatchObject({
      code: 'invalid-option',
      message: expect.stringMatching(
        /--server-id "my server" is not a JFrog CLI server id/,
      ) as string,
    });
    const foreign = { ...(await spec()), url: 'https://evil.example/' } as TargetSpec;
    await expect(t.artikey.configureTool(id, foreign)).rejects.toMatchObject({
      code: 'invalid-target',
    });
    expect(existsSync(file())).toBe(false);
  });
});
