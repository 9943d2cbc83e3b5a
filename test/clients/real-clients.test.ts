import { writeFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import { requireClient, runClient, scratchHome } from '../support/clients.js';

/**
 * The fake must accept and refuse credentials the way Artifactory does, as seen by the real
 * clients Artikey will configure: docker, skopeo, npm, mvn and pip.
 */
describe('real clients against the fake Artifactory', () => {
  let fake: FakeArtifactory;
  let scratch: ReturnType<typeof scratchHome>;
  let good: string;
  const bad = 'eyJ2ZXIiOiIyIiwidHlwIjoiSldUIiwiYWxnIjoiUlMyNTYifQ.eyJzdWIiOiJ4In0.bm90LXNpZ25lZA';

  beforeAll(async () => {
    fake = await startFakeArtifactory();
    good = fake.issueToken({ username: 'alice', expiresIn: 86_400 }).jwt;
  });
  afterAll(() => fake.stop());
  beforeAll(() => {
    scratch = scratchHome();
  });
  afterEach(() => {
    scratch.cleanup();
    scratch = scratchHome();
    fake.requests.clear();
  });
  afterAll(() => scratch.cleanup());

  const auths = (user: string, secret: string): string => JSON.stringify({ auths: { [fake.host]: { auth: Buffer.from(`${user}:${secret}`).toString('base64') } } });
  const basicFromAlice = (): boolean => fake.requests.list().some((r) => r.scheme === 'Basic' && r.user === 'alice' && r.secret === fake.fingerprint(good) && r.status === 200);

  describe('docker CLI (no daemon)', () => {
    beforeAll(() => requireClient('docker'));

    it('logs in with an access token and pulls a manifest through the stored entry', async () => {
      const login = await runClient('docker', ['login', '-u', 'alice', '--password-stdin', fake.host], { env: scratch.env, input: good });
      expect(login.code, login.stderr).toBe(0);
      expect(login.stdout).toContain('Login Succeeded');
      const inspect = await runClient('docker', ['manifest', 'inspect', '--insecure', `${fake.host}/docker-local/hello:1.0`], { env: scratch.env });
      expect(inspect.code, inspect.stderr).toBe(0);
      expect(JSON.parse(inspect.stdout)).toMatchObject({ schemaVersion: 2, layers: [] });
      expect(basicFromAlice()).toBe(true);
    });

    it('refuses a bad token at login and stores nothing', async () => {
      const login = await runClient('docker', ['login', '-u', 'alice', '--password-stdin', fake.host], { env: scratch.env, input: bad });
      expect(login.code).not.toBe(0);
      expect(readdirSync(scratch.env.DOCKER_CONFIG ?? '')).not.toContain('config.json');
    });

    it('uses a credential helper named in credHelpers', async () => {
      const bin = join(scratch.home, 'bin');
      mkdirSync(bin);
      writeFileSync(join(bin, 'docker-credential-artikeytest'), `#!/bin/sh\n[ "$1" = get ] && printf '{"ServerURL":"%s","Username":"alice","Secret":"${good}"}' "$(cat)"\n`, { mode: 0o755 });
      writeFileSync(join(scratch.env.DOCKER_CONFIG ?? '', 'config.json'), JSON.stringify({ credHelpers: { [fake.host]: 'artikeytest' } }));
      const env = { ...scratch.env, PATH: `${bin}:${scratch.env.PATH ?? ''}` };
      const inspect = await runClient('docker', ['manifest', 'inspect', '--insecure', `${fake.host}/docker-local/hello:1.0`], { env });
      expect(inspect.code, inspect.stderr).toBe(0);
      expect(basicFromAlice()).toBe(true);
    });
  });

  describe('skopeo', () => {
    beforeAll(() => requireClient('skopeo'));
    const inspect = (authfile: string) =>
      runClient('skopeo', ['inspect', '--raw', '--tls-verify=false', '--authfile', authfile, `docker://${fake.host}/docker-local/hello:1.0`], { env: scratch.env });

    it('inspects with good credentials and fails with bad ones or none', async () => {
      const file = join(scratch.home, 'auth.json');
      writeFileSync(file, auths('alice', good));
      const ok = await inspect(file);
      expect(ok.code, ok.stderr).toBe(0);
      expect(JSON.parse(ok.stdout)).toMatchObject({ mediaType: 'application/vnd.docker.distribution.manifest.v2+json' });
      expect(basicFromAlice()).toBe(true);

      writeFileSync(file, auths('alice', bad));
      const refused = await inspect(file);
      expect(refused.code).not.toBe(0);
      expect(fake.requests.list({ path: '/v2/token' }).some((r) => r.scheme === 'Basic' && r.status === 401)).toBe(true);

      writeFileSync(file, '{"auths":{}}');
      expect((await inspect(file)).code).not.toBe(0);
    });
  });

  describe('npm', () => {
    beforeAll(() => requireClient('npm'));
    const npm = (args: string[], token: string) => {
      const registry = `${fake.url}/artifactory/api/npm/npm-virtual/`;
      const rc = join(scratch.home, '.npmrc');
      writeFileSync(rc, `//${fake.host}/artifactory/api/npm/npm-virtual/:_authToken=${token}\n`);
      return runClient('npm', [...args, '--registry', registry, '--userconfig', rc, '--cache', join(scratch.home, 'npm-cache'), '--no-update-notifier', '--no-audit', '--no-fund'], { env: scratch.env, cwd: scratch.home });
    };

    it('whoami and view succeed with a good _authToken and fail with a bad one', async () => {
      const whoami = await npm(['whoami'], good);
      expect(whoami.code, whoami.stderr).toBe(0);
      expect(whoami.stdout.trim()).toBe('alice');
      const view = await npm(['view', 'artikey-demo', 'version'], good);
      expect(view.stdout.trim()).toBe('1.0.0');
      expect(fake.requests.list({ path: '/artifactory/api/npm/npm-virtual/-/whoami' })[0]).toMatchObject({ scheme: 'Bearer', user: 'alice', status: 200 });

      const refused = await npm(['whoami'], bad);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toMatch(/E401/);
    });

    it('downloads and verifies the tarball', async () => {
      const pack = await npm(['pack', 'artikey-demo', '--pack-destination', scratch.home], good);
      expect(pack.code, pack.stderr).toBe(0);
      expect(readdirSync(scratch.home)).toContain('artikey-demo-1.0.0.tgz');
    });
  });

  describe('mvn', () => {
    beforeAll(() => requireClient('mvn'));
    const mvn = (password: string) => {
      const project = join(scratch.home, 'proj');
      mkdirSync(project, { recursive: true });
      writeFileSync(
        join(project, 'pom.xml'),
        '<?xml version="1.0" encoding="UTF-8"?>\n<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>' +
          '<parent><groupId>com.example</groupId><artifactId>fake-parent</artifactId><version>1.0</version><relativePath/></parent><artifactId>child</artifactId></project>\n',
      );
      const settings = join(scratch.home, 'settings.xml');
      writeFileSync(
        settings,
        `<settings xmlns="http://maven.apache.org/SETTINGS/1.0.0"><localRepository>${join(scratch.home, 'm2repo')}</localRepository>` +
          `<servers><server><id>artifactory</id><username>alice</username><password>${password}</password></server></servers>` +
          `<mirrors><mirror><id>artifactory</id><mirrorOf>*</mirrorOf><url>${fake.url}/artifactory/libs-release/</url></mirror></mirrors></settings>`,
      );
      return runClient('mvn', ['-B', '-q', '-s', settings, `-Duser.home=${scratch.home}`, 'validate'], { env: scratch.env, cwd: project, timeoutMs: 120_000 });
    };

    it('resolves a parent POM only the fake serves with the token as password, after the Basic challenge', async () => {
      const run = await mvn(good);
      expect(run.code, run.stdout + run.stderr).toBe(0);
      const pom = fake.requests.list({ path: '/artifactory/libs-release/com/example/fake-parent/1.0/fake-parent-1.0.pom' });
      expect(pom.map((r) => [r.scheme, r.status])).toEqual([[null, 401], ['Basic', 200]]);
    });

    it('fails with a bad token', async () => {
      const run = await mvn(bad);
      expect(run.code).toBe(1);
      expect(run.stdout + run.stderr).toMatch(/401/);
    });
  });

  describe('pip', () => {
    beforeAll(() => requireClient('pip'));
    const pip = (secret: string) => {
      const env = { ...scratch.env, PIP_CONFIG_FILE: '/dev/null', PIP_DISABLE_PIP_VERSION_CHECK: '1' };
      const index = `http://alice:${encodeURIComponent(secret)}@${fake.host}/artifactory/api/pypi/pypi-virtual/simple/`;
      return runClient('pip', ['download', 'fakepkg==1.0', '--no-deps', '-d', join(scratch.home, 'dl'), '--no-cache-dir', '--no-input', '--index-url', index], { env, timeoutMs: 60_000 });
    };

    it('downloads the wheel with the token and fails without the right one', async () => {
      const ok = await pip(good);
      expect(ok.code, ok.stdout + ok.stderr).toBe(0);
      expect(readdirSync(join(scratch.home, 'dl'))).toEqual(['fakepkg-1.0-py3-none-any.whl']);
      expect(readFileSync(join(scratch.home, 'dl', 'fakepkg-1.0-py3-none-any.whl')).subarray(0, 2).toString()).toBe('PK');
      expect(basicFromAlice()).toBe(true);
      const refused = await pip(bad);
      expect(refused.code).not.toBe(0);
      expect(fake.requests.list().some((r) => r.scheme === 'Basic' && r.status === 401)).toBe(true);
    });
  });
});
