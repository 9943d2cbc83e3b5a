import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupsOf } from '../../electron/core/targets/backup-file.js';
import type { TargetSpec } from '../../electron/core/targets/target-record.js';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import { testArtikey, type TestArtikey } from '../support/artikey.js';
import { logInAs } from '../support/browser-login.js';
import { requireClient, runClient, scratchHome, type ClientRun } from '../support/clients.js';

/**
 * Each tool file Artikey writes is read by the real program: npm, mvn, pip (pip.conf and netrc),
 * Gradle and the docker CLI in `auths` mode. One story per run: configure every file (each
 * already holding someone's hand-written settings), use it, refresh (every copy must follow the
 * new token), use it again, log out (every file back to its original bytes, every client refused).
 * The fake's request log proves which token each client presented.
 */
describe('tool credentials: the files Artikey writes, read by the real clients', () => {
  let fake: FakeArtifactory;
  let core: TestArtikey;
  let scratch: ReturnType<typeof scratchHome>;
  let instance: string;
  const files: Record<string, { path: string; original: string }> = {};

  const file = (name: string, relative: string, original: string): string => {
    const path = join(scratch.home, relative);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, original);
    files[name] = { path, original };
    return path;
  };
  const token = async (): Promise<string> => (await core.vault.read(instance))?.accessToken ?? '';
  /** The (scheme, user, token) each request under `path` presented, as the fake saw it. */
  const presented = async (path: RegExp): Promise<string[]> => {
    const current = fake.fingerprint(await token());
    return fake.requests
      .list({ path })
      .map(
        (r) =>
          `${r.scheme ?? 'anonymous'} ${r.user ?? '-'} ${r.secret === current ? 'current' : (r.secret ?? '-')} ${r.status}`,
      );
  };
  const ok = (run: ClientRun): void => expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);

  beforeAll(async () => {
    for (const client of ['npm', 'mvn', 'pip', 'gradle', 'docker']) requireClient(client);
    fake = await startFakeArtifactory();
    core = testArtikey(fake);
    scratch = scratchHome();
    instance = (
      await logInAs(core.artikey, fake, DEMO_USER.name)
    ).instance.id;
    const artifactory = `${fake.url}/artifactory/`;
    file(
      'npm',
      '.npmrc',
      '; team defaults\r\nregistry=https://registry.npmjs.org/\r\n//registry.npmjs.org/:_authToken=${NPM_TOKEN}\r\n# keep me\r\nfund=false',
    );
    file(
      'maven',
      '.m2/settings.xml',
      '<?xml version="1.0" encoding="UTF-8"?>\n<!-- team settings: keep -->\n<settings xmlns="http://maven.apache.org/SETTINGS/1.0.0">\n  <servers>\n    <!-- releases -->\n    <server>\n      <id>corp-releases</id>\n      <username>${env.CORP_USER}</username>\n      <password>${env.CORP_PASSWORD}</password>\n    </server>\n  </servers>\n  <profiles/>\n</settings>\n',
    );
    file(
      'pip',
      '.config/pip/pip.conf',
      '# pip settings\n[global]\ntimeout = 60\nindex-url = https://pypi.org/simple\n\n[install]\nno-compile = true\n',
    );
    file('netrc', '.netrc', 'machine other.example login bob password hunter2\n');
    file('gradle', 'gradle-home/gradle.properties', '# Gradle settings\norg.gradle.daemon=false\n');
    file(
      'docker',
      '.docker/config.json',
      '{\n  "auths": {\n    "other.example": {\n      "auth": "Ym9iOmh1bnRlcjI="\n    }\n  },\n  "currentContext": "default"\n}\n',
    );
    const specs: TargetSpec[] = [
      {
        kind: 'npm',
        path: files['npm']!.path,
        registryUrl: `${artifactory}api/npm/npm-virtual/`,
        scope: null,
        setRegistry: true,
      },
      {
        kind: 'maven',
        path: files['maven']!.path,
        serverId: 'artifactory-mirror',
        mirror: { url: `${artifactory}libs-release/`, mirrorOf: '*' },
      },
      {
        kind: 'pip',
        path: files['pip']!.path,
        indexUrl: `${artifactory}api/pypi/pypi-virtual/simple/`,
      },
      { kind: 'netrc', path: files['netrc']!.path, machine: '127.0.0.1' },
      {
        kind: 'gradle',
        path: files['gradle']!.path,
        prefix: 'artifactory',
        contextUrl: `${fake.url}/artifactory`,
      },
      { kind: 'docker-auths', path: files['docker']!.path, hosts: [fake.host] },
    ];
    for (const spec of specs)
      expect((await core.artikey.configureTool(instance, spec)).changed).toBe(true);
    mkdirSync(join(scratch.home, 'proj'));
    writeFileSync(
      join(scratch.home, 'proj', 'pom.xml'),
      '<?xml version="1.0" encoding="UTF-8"?>\n<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>' +
        '<parent><groupId>com.example</groupId><artifactId>fake-parent</artifactId><version>1.0</version><relativePath/></parent><artifactId>child</artifactId></project>\n',
    );
    mkdirSync(join(scratch.home, 'gproj'));
    writeFileSync(join(scratch.home, 'gproj', 'settings.gradle'), "rootProject.name = 'gproj'\n");
    writeFileSync(
      join(scratch.home, 'gproj', 'build.gradle'),
      [
        'repositories {',
        '  maven {',
        '    url "${project.findProperty(\'artifactory_contextUrl\')}/libs-release/"',
        "    credentials { username = project.findProperty('artifactory_user'); password = project.findProperty('artifactory_password') }",
        '  }',
        '}',
        'configurations { fetch }',
        "dependencies { fetch 'com.example:fake-parent:1.0@pom' }",
        'task fetchIt { doLast { configurations.fetch.files.each { println "RESOLVED " + it.name } } }',
        '',
      ].join('\n'),
    );
  }, 120_000);
  afterAll(async () => {
    await core.vault.erase(instance).catch(() => undefined);
    await fake.stop();
    core.cleanup();
    scratch.cleanup();
  });

  // --registry even though Artikey set `registry=`: after logout the file names npmjs.org again, and no test may leave 127.0.0.1.
  const npm = (command: string[] = ['whoami']): Promise<ClientRun> =>
    runClient(
      'npm',
      [
        ...command,
        '--registry',
        `${fake.url}/artifactory/api/npm/npm-virtual/`,
        '--userconfig',
        files['npm']!.path,
        '--cache',
        join(scratch.home, 'npm-cache'),
        '--no-update-notifier',
      ],
      {
        env: { ...scratch.env, NPM_TOKEN: 'unused' },
        cwd: scratch.home,
      },
    );
  const mvn = (): Promise<ClientRun> => {
    // A fresh local repository per run: after one success Maven would not ask the server again.
    rmSync(join(scratch.home, '.m2', 'repository'), { recursive: true, force: true });
    // Java takes user.home from passwd, not $HOME; this makes Maven read ~/.m2/settings.xml of the scratch home.
    return runClient('mvn', ['-B', `-Duser.home=${scratch.home}`, 'validate'], {
      env: scratch.env,
      cwd: join(scratch.home, 'proj'),
      timeoutMs: 120_000,
    });
  };
  const pip = (config: 'pip.conf' | 'netrc'): Promise<ClientRun> => {
    const env = {
      ...scratch.env,
      PIP_DISABLE_PIP_VERSION_CHECK: '1',
      ...(config === 'pip.conf'
        ? { PIP_CONFIG_FILE: files['pip']!.path }
        : { PIP_CONFIG_FILE: '/dev/null', NETRC: files['netrc']!.path }),
    };
    const index =
      config === 'netrc'
        ? ['--index-url', `${fake.url}/artifactory/api/pypi/pypi-virtual/simple/`]
        : [];
    return runClient('pip', ['index', 'versions', 'fakepkg', '--no-input', ...index], {
      env,
      timeoutMs: 60_000,
    });
  };
  const gradle = (): Promise<ClientRun> =>
    runClient('gradle', ['--no-daemon', '-q', '--refresh-dependencies', 'fetchIt'], {
      env: { ...scratch.env, GRADLE_USER_HOME: join(scratch.home, 'gradle-home') },
      cwd: join(scratch.home, 'gproj'),
      timeoutMs: 180_000,
    });
  const docker = (): Promise<ClientRun> =>
    runClient(
      'docker',
      ['manifest', 'inspect', '--insecure', `${fake.host}/docker-local/hello:1.0`],
      { env: scratch.env },
    );

  /** Every client works with the instance's current token, and each file holds it. */
  async function everyClientUsesTheCurrentToken(): Promise<void> {
    const current = await token();
    for (const name of ['npm', 'maven', 'netrc', 'gradle'])
      expect(readFileSync(files[name]!.path, 'utf8'), name).toContain(current);
    expect(readFileSync(files['pip']!.path, 'utf8')).toContain(`alice:${current}@`);
    expect(readFileSync(files['docker']!.path, 'utf8')).toContain(
      Buffer.from(`alice:${current}`).toString('base64'),
    );
    for (const { path } of Object.values(files)) expect(statSync(path).mode & 0o777).toBe(0o600);

    fake.requests.clear();
    const whoami = await npm();
    ok(whoami);
    expect(whoami.stdout.trim()).toBe('alice');
    expect(await presented(/\/api\/npm\/npm-virtual\/-\/whoami$/)).toEqual([
      'Bearer alice current 200',
    ]);
    fake.requests.clear();
    const view = await npm(['view', 'artikey-demo', 'version', '--prefer-online']);
    ok(view);
    expect(view.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    expect(await presented(/\/api\/npm\/npm-virtual\/artikey-demo$/)).toEqual([
      'Bearer alice current 200',
    ]);

    fake.requests.clear();
    const maven = await mvn();
    ok(maven);
    expect(await presented(/fake-parent-1\.0\.pom$/)).toEqual([
      'anonymous - - 401',
      'Basic alice current 200',
    ]);

    for (const config of ['pip.conf', 'netrc'] as const) {
      fake.requests.clear();
      const versions = await pip(config);
      ok(versions);
      expect(versions.stdout).toContain('fakepkg (1.0)');
      expect(await presented(/\/simple\/fakepkg\/$/), config).toEqual(['Basic alice current 200']);
    }

    fake.requests.clear();
    const build = await gradle();
    ok(build);
    expect(build.stdout).toContain('RESOLVED fake-parent-1.0.pom');
    expect(await presented(/fake-parent-1\.0\.pom$/)).toContain('Basic alice current 200');

    fake.requests.clear();
    ok(await docker());
    expect(await presented(/\/v2\/token$/)).toEqual(['Basic alice current 200']);
  }

  it('gives every client the token, next to the settings that were already there', async () => {
    await everyClientUsesTheCurrentToken();
    const npmrc = readFileSync(files['npm']!.path, 'utf8');
    expect(npmrc).toContain('; team defaults\r\n');
    expect(npmrc).toContain('//registry.npmjs.org/:_authToken=${NPM_TOKEN}\r\n');
    expect(npmrc).toContain(`registry=${fake.url}/artifactory/api/npm/npm-virtual/\r\n`);
    expect(readFileSync(files['maven']!.path, 'utf8')).toContain(
      '<username>${env.CORP_USER}</username>',
    );
    // A file whose own lines Artikey replaced (npm's registry=, the Maven server taken over) has
    // a backup holding exactly the original; a file it only added to has none.
    for (const { path, original } of Object.values(files))
      for (const backup of await backupsOf(path)) expect(readFileSync(backup, 'utf8')).toBe(original);
    expect(await backupsOf(files['npm']!.path)).toHaveLength(1);
  }, 300_000);

  it('rewrites every copy when the token is refreshed', async () => {
    const before = await token();
    await core.artikey.refresh(instance);
    expect(await token()).not.toBe(before);
    for (const { path } of Object.values(files))
      expect(readFileSync(path, 'utf8')).not.toContain(before);
    expect((await core.artikey.toolTargets(instance)).every((t) => t.error === null)).toBe(true);
    await everyClientUsesTheCurrentToken();
  }, 300_000);

  it('puts every file back exactly as it was at logout, and the clients are refused', async () => {
    const last = await token();
    const result = await core.artikey.logout(instance);
    expect(result.targetsFailed).toEqual([]);
    expect(result.targetsRemoved.map((t) => t.kind).sort()).toEqual([
      'docker-auths',
      'gradle',
      'maven',
      'netrc',
      'npm',
      'pip',
    ]);
    for (const [name, { path, original }] of Object.entries(files))
      expect(readFileSync(path, 'utf8'), name).toBe(original);
    for (const { path } of Object.values(files))
      expect(readFileSync(path, 'utf8')).not.toContain(last);

    // Maven and Gradle are not run again: the restored files point them at Maven Central.
    fake.requests.clear();
    expect((await npm()).code).not.toBe(0);
    expect((await pip('netrc')).code).not.toBe(0);
    expect((await docker()).code).not.toBe(0);
    expect(fake.requests.list().filter((r) => r.secret === fake.fingerprint(last))).toEqual([]);
  }, 300_000);
});
