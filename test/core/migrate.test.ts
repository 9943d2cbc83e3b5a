import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Environment } from '../../electron/core/paths.js';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import { loggedInArtikey, type LoggedInArtikey } from '../support/artikey.js';

interface Session {
  fake: FakeArtifactory;
  core: LoggedInArtikey;
  instance: string;
  environment: Environment;
}
/** For a describe: one fake Artifactory and a core logged in to it, shared by its tests. */
function loggedInForAll(): Session {
  const session = {} as Session;
  beforeAll(async () => {
    session.fake = await startFakeArtifactory();
    session.core = await loggedInArtikey(session.fake);
    ({ id: session.instance, environment: session.environment } = session.core);
  });
  afterAll(async () => {
    await session.core.forget();
    await session.fake.stop();
  });
  return session;
}

/**
 * Scan and migrate on real files in a temp HOME: an API key in ~/.npmrc and in Docker's auths,
 * a password in settings.xml and netrc, an npmjs.org token that is none of Artikey's business.
 */
describe('scan and migrate', () => {
  const session = loggedInForAll();
  let apiKey: string;
  const path = (relative: string): string => join(session.core.home, relative);
  const write = (relative: string, text: string): void => {
    mkdirSync(join(path(relative), '..'), { recursive: true });
    writeFileSync(path(relative), text);
  };

  beforeAll(() => {
    const { fake } = session;
    apiKey = fake.createApiKey('alice');
    const npmRegistry = `//${fake.host}/artifactory/api/npm/npm-virtual/`;
    write(
      '.npmrc',
      `# team\n//registry.npmjs.org/:_authToken=npm_abcdefghijklmnopqrstuvwxyz0123456789\n${npmRegistry}:_authToken=${apiKey}\n`,
    );
    write(
      '.docker/config.json',
      JSON.stringify(
        {
          auths: {
            [fake.host]: { auth: Buffer.from(`alice:${apiKey}`).toString('base64') },
            'ghcr.io': { auth: 'eDp5' },
          },
        },
        null,
        2,
      ),
    );
    write(
      '.m2/settings.xml',
      `<settings>\n  <servers>\n    <server>\n      <id>corp</id>\n      <username>alice</username>\n      <password>${DEMO_USER.password}</password>\n    </server>\n  </servers>\n  <mirrors>\n    <mirror>\n      <id>corp</id>\n      <mirrorOf>*</mirrorOf>\n      <url>${fake.url}/artifactory/libs-release/</url>\n    </mirror>\n  </mirrors>\n</settings>\n`,
    );
    write('.netrc', `machine 127.0.0.1 login alice password ${DEMO_USER.password}\n`);
  });

  it('finds the instance’s credentials, classified, and never returns a secret', async () => {
    const { fake, core, instance, environment } = session;
    const report = await core.artikey.scan(environment);
    const mine = report.found
      .filter((c) => c.instanceId === instance)
      .map((c) => [c.tool, c.kind, c.username]);
    expect(mine).toEqual(
      expect.arrayContaining([
        ['docker', 'api-key', 'alice'],
        ['npm', 'api-key', null],
        ['maven', 'password', 'alice'],
        ['netrc', 'password', 'alice'],
      ]),
    );
    expect(report.found.some((c) => c.host === 'registry.npmjs.org')).toBe(false);
    expect(report.found.every((c) => c.works === null)).toBe(true);
    fake.requests.clear();
    const checked = await core.artikey.scan(environment, { check: true });
    expect(checked.found.filter((c) => c.instanceId === instance).map((c) => c.works)).toEqual(
      mine.map(() => 'yes'),
    );
    // Only the instance was asked, and only about its own credentials.
    expect(fake.requests.list().map((r) => r.path)).toEqual(
      mine.map(() => '/artifactory/api/security/apiKey'),
    );
    const text = JSON.stringify(report);
    for (const secret of [apiKey, DEMO_USER.password]) expect(text).not.toContain(secret);
  });

  it('plans without changing anything, then replaces each with an entry Artikey keeps fresh', async () => {
    const { fake, core, instance, environment } = session;
    const before = ['.npmrc', '.docker/config.json', '.m2/settings.xml', '.netrc'].map((f) =>
      readFileSync(path(f), 'utf8'),
    );
    const plan = await core.artikey.migrate(instance, environment, false);
    expect(plan.applied).toEqual([]);
    expect(
      plan.steps
        .filter((s) => s.action === 'replace')
        .map((s) => s.credential.tool)
        .sort(),
    ).toEqual(['docker', 'maven', 'netrc', 'npm']);
    expect(
      ['.npmrc', '.docker/config.json', '.m2/settings.xml', '.netrc'].map((f) =>
        readFileSync(path(f), 'utf8'),
      ),
    ).toEqual(before);
    expect(JSON.stringify(plan)).not.toContain(apiKey);

    const result = await core.artikey.migrate(instance, environment, true);
    expect(result.failed).toEqual([]);
    expect(result.applied).toHaveLength(4);
    const token = await core.storedToken();
    const npmrc = readFileSync(path('.npmrc'), 'utf8');
    expect(npmrc).toBe(
      `# team\n//registry.npmjs.org/:_authToken=npm_abcdefghijklmnopqrstuvwxyz0123456789\n//${fake.host}/artifactory/api/npm/npm-virtual/:_authToken=${token}\n`,
    );
    const docker = JSON.parse(readFileSync(path('.docker/config.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(docker).toEqual({
      auths: { 'ghcr.io': { auth: 'eDp5' } },
      credHelpers: { [fake.host]: 'artikey' },
    });
    expect(readFileSync(path('.m2/settings.xml'), 'utf8')).toContain(
      `<password>${token}</password>`,
    );
    expect(readFileSync(path('.netrc'), 'utf8')).toBe(
      `machine 127.0.0.1 login alice password ${token}\n`,
    );
    // Each file, as it was before the migration changed it, in a fresh backup.
    const saved = result.backups.map((b) => [b.file, readFileSync(b.backup, 'utf8')]);
    expect(saved.sort()).toEqual(
      ['.npmrc', '.docker/config.json', '.m2/settings.xml', '.netrc']
        .map((f, i) => [path(f), before[i]])
        .sort(),
    );
    expect((await core.artikey.toolTargets(instance)).map((t) => t.kind).sort()).toEqual([
      'docker-helper',
      'maven',
      'netrc',
      'npm',
    ]);

    const again = await core.artikey.migrate(instance, environment, false);
    expect(again.steps.filter((s) => s.action === 'replace')).toEqual([]);
  });
});

/** twine's ~/.pypirc: a section's plain-text password becomes the entry Artikey keeps fresh. */
describe('migrate .pypirc', () => {
  const session = loggedInForAll();

  it('replaces the password of the section, keeps every other line, and logout leaves no secret', async () => {
    const { fake, core, instance, environment } = session;
    const file = join(core.home, '.pypirc');
    const repository = `${fake.url}/artifactory/api/pypi/pypi-local`;
    const before = `# uploads\n[distutils]\nindex-servers =\n    pypi\n    corp\n\n[corp]\nrepository = ${repository}\nusername = alice\npassword = ${DEMO_USER.password}\n`;
    writeFileSync(file, before);
    const plan = await core.artikey.migrate(instance, environment, false);
    expect(
      plan.steps
        .filter((s) => s.action === 'replace')
        .map((s) => [s.credential.tool, s.credential.location]),
    ).toEqual([['pypirc', '[corp] password']]);
    const result = await core.artikey.migrate(instance, environment, true);
    expect(result.failed).toEqual([]);
    const token = await core.storedToken();
    expect(readFileSync(file, 'utf8')).toBe(before.replace(DEMO_USER.password, token));
    expect(await core.artikey.toolTargets(instance)).toMatchObject([
      { kind: 'pypirc', path: file, section: 'corp', repositoryUrl: repository },
    ]);
    await core.artikey.unconfigureTool(instance, (t) => t.kind === 'pypirc');
    expect(readFileSync(file, 'utf8')).toBe(
      before.replace(`password = ${DEMO_USER.password}\n`, ''),
    );
  });
});

/** Poetry's auth.toml: an http-basic password for the instance's repository becomes Artikey's entry. */
describe('migrate Poetry auth.toml', () => {
  const session = loggedInForAll();

  it('replaces the password in place, and unconfigure leaves the user name without a secret', async () => {
    const { fake, core, instance, environment } = session;
    const dir = join(core.home, '.config', 'pypoetry');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'config.toml'),
      `[repositories.corp]\nurl = "${fake.url}/artifactory/api/pypi/pypi-local"\n`,
    );
    const file = join(dir, 'auth.toml');
    const before = `[http-basic.corp]\nusername = "alice"\npassword = "${DEMO_USER.password}"\n`;
    writeFileSync(file, before);
    const result = await core.artikey.migrate(instance, environment, true);
    expect(result.failed).toEqual([]);
    const token = await core.storedToken();
    expect(readFileSync(file, 'utf8')).toBe(before.replace(DEMO_USER.password, token));
    // The credentials and, as configure writes them, the repository they are for.
    const targets = await core.artikey.toolTargets(instance);
    expect(targets.map((t) => t.kind).sort()).toEqual(['poetry-auth', 'poetry-repository']);
    expect(targets.find((t) => t.kind === 'poetry-auth')).toMatchObject({
      path: file,
      name: 'corp',
    });
    const config = readFileSync(join(dir, 'config.toml'), 'utf8');
    await core.artikey.unconfigureTool(instance, (t) => t.kind === 'poetry-auth');
    expect(readFileSync(file, 'utf8')).toBe('[http-basic.corp]\nusername = "alice"\n');
    expect(readFileSync(join(dir, 'config.toml'), 'utf8')).toBe(config);
  });
});

/** NuGet's NuGet.Config: a source's ClearTextPassword becomes the entry Artikey keeps fresh; an encrypted Password is left alone. */
describe('migrate NuGet.Config', () => {
  const session = loggedInForAll();

  it("replaces the source's ClearTextPassword in place, leaves the encrypted one as it is, and logout leaves no secret", async () => {
    const { fake, core, instance, environment } = session;
    const file = join(core.home, '.nuget', 'NuGet', 'NuGet.Config');
    mkdirSync(join(file, '..'), { recursive: true });
    const url = `${fake.url}/artifactory/api/nuget/v3/nuget-virtual`;
    const v2 = `${fake.url}/artifactory/api/nuget/nuget-remote`;
    const before =
      '<?xml version="1.0" encoding="utf-8"?>\n<configuration>\n  <packageSources>\n' +
      `    <add key="Corp Feed" value="${url}" protocolVersion="3" />\n    <add key="old" value="${v2}" />\n  </packageSources>\n` +
      '  <packageSourceCredentials>\n    <Corp_x0020_Feed>\n      <add key="Username" value="alice" />\n' +
      `      <add key="ClearTextPassword" value="${DEMO_USER.password}" />\n    </Corp_x0020_Feed>\n` +
      '    <old>\n      <add key="Username" value="alice" />\n      <add key="Password" value="AQAAANCMnd8BFdERjHoAwE" />\n    </old>\n' +
      '  </packageSourceCredentials>\n</configuration>\n';
    writeFileSync(file, before);
    const plan = await core.artikey.migrate(instance, environment, false);
    expect(
      plan.steps.map((s) => [
        s.action,
        s.credential.tool,
        s.credential.location,
        s.credential.kind,
      ]),
    ).toEqual([
      ['replace', 'nuget', 'packageSourceCredentials/Corp Feed/ClearTextPassword', 'password'],
      [
        expect.not.stringMatching(/^replace$/),
        'nuget',
        'packageSourceCredentials/old/Password',
        'encrypted',
      ],
    ]);
    const result = await core.artikey.migrate(instance, environment, true);
    expect(result.failed).toEqual([]);
    const token = await core.storedToken();
    expect(readFileSync(file, 'utf8')).toBe(before.replace(DEMO_USER.password, token));
    expect(await core.artikey.toolTargets(instance)).toMatchObject([
      { kind: 'nuget', path: file, name: 'Corp Feed', url, protocol: 'v3' },
    ]);
    await core.artikey.unconfigureTool(instance, (t) => t.kind === 'nuget');
    // The adopted source's credentials go whole: a Username left alone makes NuGet refuse the file.
    expect(readFileSync(file, 'utf8')).toBe(
      before.replace(
        `    <Corp_x0020_Feed>\n      <add key="Username" value="alice" />\n      <add key="ClearTextPassword" value="${DEMO_USER.password}" />\n    </Corp_x0020_Feed>\n`,
        '',
      ),
    );
  });
});

/** The JFrog CLI's server entry for the instance: its password and tokens become Artikey's access token. */
describe('migrate the JFrog CLI configuration', () => {
  const session = loggedInForAll();

  it('finds the entry’s password and tokens by line, adopts the entry, and unconfigure leaves the person’s other server', async () => {
    const { fake, core, instance, environment } = session;
    const dir = join(core.home, '.jfrog');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'jfrog-cli.conf.v6');
    const corp = `    {
      "url": "https://other.example/",
      "user": "bob",
      "password": "bobs-password",
      "serverId": "corp",
      "isDefault": true
    }`;
    writeFileSync(
      file,
      `{
  "servers": [
${corp},
    {
      "url": "${fake.url}/",
      "artifactoryUrl": "${fake.url}/artifactory/",
      "user": "${DEMO_USER.name}",
      "password": "${DEMO_USER.password}",
      "refreshToken": "jf-own-refresh-token",
      "tokenRefreshInterval": 60,
      "serverId": "mine"
    }
  ],
  "version": "6"
}`,
    );
    const { found } = await core.artikey.scan(environment);
    expect(
      found
        .filter((f) => f.tool === 'jfrog-cli')
        .map((f) => [f.location, f.line, f.kind, f.instanceId === instance]),
    ).toEqual([
      ['servers[serverId=corp] password', 6, 'password', false],
      ['servers[serverId=mine] password', 14, 'password', true],
      ['servers[serverId=mine] refreshToken', 15, 'refresh-token', true],
    ]);
    const result = await core.artikey.migrate(instance, environment, true);
    expect(result.failed).toEqual([]);
    expect(result.steps.filter((s) => s.action === 'replace')).toHaveLength(1);
    const token = await core.storedToken();
    const servers = (
      JSON.parse(readFileSync(file, 'utf8')) as { servers: Record<string, unknown>[] }
    ).servers;
    expect(servers[1]).toEqual({
      url: `${fake.url}/`,
      artifactoryUrl: `${fake.url}/artifactory/`,
      distributionUrl: `${fake.url}/distribution/`,
      xrayUrl: `${fake.url}/xray/`,
      missionControlUrl: `${fake.url}/mc/`,
      pipelinesUrl: `${fake.url}/pipelines/`,
      user: DEMO_USER.name,
      accessToken: token,
      serverId: 'mine',
    });
    expect(await core.artikey.toolTargets(instance)).toMatchObject([
      { kind: 'jfrog-cli', path: file, serverId: 'mine' },
    ]);
    await core.artikey.unconfigureTool(instance, (t) => t.kind === 'jfrog-cli');
    expect(readFileSync(file, 'utf8')).toBe(
      `{\n  "servers": [\n${corp}\n  ],\n  "version": "6"\n}`,
    );
  });
});

/** Terraform's ~/.terraformrc: a credentials block's plain-text token becomes the entry Artikey keeps fresh. */
describe('migrate .terraformrc', () => {
  const session = loggedInForAll();

  it("replaces the host's token in place, keeps every other byte, and logout leaves the block without a secret", async () => {
    const { fake, core, instance, environment } = session;
    const file = join(core.home, '.terraformrc');
    const old = fake.issueToken({ username: DEMO_USER.name, expiresIn: 3600 }).jwt;
    const before = `# registries\ncredentials "${fake.host}" {\n  # pasted from the UI\n  token = "${old}"\n}\n`;
    writeFileSync(file, before);
    const plan = await core.artikey.migrate(instance, environment, false);
    expect(
      plan.steps
        .filter((s) => s.action === 'replace')
        .map((s) => [s.credential.tool, s.credential.location, s.credential.line]),
    ).toEqual([['terraform', `credentials "${fake.host}" token`, 4]]);
    const result = await core.artikey.migrate(instance, environment, true);
    expect(result.failed).toEqual([]);
    const token = await core.storedToken();
    expect(readFileSync(file, 'utf8')).toBe(before.replace(old, token));
    expect(await core.artikey.toolTargets(instance)).toMatchObject([
      { kind: 'terraform', path: file, host: fake.host },
    ]);
    await core.artikey.unconfigureTool(instance, (t) => t.kind === 'terraform');
    expect(readFileSync(file, 'utf8')).toBe(before.replace(`  token = "${old}"\n`, ''));
  });
});

/**
 * A token in a form HCL v1 reads beside the blocks (nested without a label) is found, but the
 * editor writes only blocks: migrate says so for that token and leaves the file as it was.
 */
describe('migrate .terraformrc credentials written nested', () => {
  const session = loggedInForAll();

  it('lists the token, then fails that step with how to rewrite it, the file untouched', async () => {
    const { fake, core, instance, environment } = session;
    const file = join(core.home, '.terraformrc');
    const old = fake.issueToken({ username: DEMO_USER.name, expiresIn: 3600 }).jwt;
    const before = `credentials {\n  "${fake.host}" {\n    token = "${old}"\n  }\n}\n`;
    writeFileSync(file, before);
    const plan = await core.artikey.migrate(instance, environment, false);
    expect(
      plan.steps
        .filter((s) => s.action === 'replace')
        .map((s) => [s.credential.tool, s.credential.line]),
    ).toEqual([['terraform', 3]]);
    const result = await core.artikey.migrate(instance, environment, true);
    expect(result.failed.map((f) => f.message)).toEqual([
      expect.stringMatching(/in a form other than credentials "<host>" \{ token = "…" \}/),
    ]);
    expect(JSON.stringify(result)).not.toContain(old);
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(await core.artikey.toolTargets(instance)).toEqual([]);
  });
});

/** sbt's ~/.sbt/.credentials: its plain-text password becomes the entry Artikey keeps fresh. */
describe('migrate sbt credentials', () => {
  const session = loggedInForAll();

  it('replaces the password in place, keeps every other line, and logout leaves no secret', async () => {
    const { fake, core, instance, environment } = session;
    const file = join(core.home, '.sbt', '.credentials');
    mkdirSync(join(core.home, '.sbt'), { recursive: true });
    const host = new URL(fake.url).hostname;
    const before = `# build credentials\nrealm=Artifactory Realm\nhost=${host}\nuser=alice\npassword=${DEMO_USER.password}\n`;
    writeFileSync(file, before);
    const plan = await core.artikey.migrate(instance, environment, false);
    expect(
      plan.steps
        .filter((s) => s.action === 'replace')
        .map((s) => [s.credential.tool, s.credential.location, s.credential.line]),
    ).toEqual([['sbt', 'password', 5]]);
    const result = await core.artikey.migrate(instance, environment, true);
    expect(result.failed).toEqual([]);
    const token = await core.storedToken();
    expect(readFileSync(file, 'utf8')).toBe(before.replace(DEMO_USER.password, token));
    expect(await core.artikey.toolTargets(instance)).toMatchObject([
      { kind: 'sbt', path: file, host },
    ]);
    await core.artikey.unconfigureTool(instance, (t) => t.kind === 'sbt');
    expect(readFileSync(file, 'utf8')).toBe(before.replace(`password=${DEMO_USER.password}\n`, ''));
  });
});
