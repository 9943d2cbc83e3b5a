import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RequestRecord } from '../fake-artifactory/recorder.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import { requireClient, runClient, scratchHome } from '../support/clients.js';

/**
 * The fake must accept and refuse credentials the way Artifactory does, as seen by the real
 * clients Artikey configures: docker, skopeo, npm, mvn and pip. Each check asserts the exit code
 * and what the fake recorded, because several clients fail silently or fall back to anonymous.
 * requireClient runs before each test, not once per block: a failing beforeAll would only mark the
 * tests skipped, and a missing client must fail every check.
 */
describe('real clients against the fake Artifactory', () => {
  let fake: FakeArtifactory;
  let scratch: ReturnType<typeof scratchHome>;
  let good: string;
  // Shaped like a JWT so the fake treats it as a token that fails verification, not as a password.
  const bad = 'eyJ2ZXIiOiIyIiwidHlwIjoiSldUIiwiYWxnIjoiUlMyNTYifQ.eyJzdWIiOiJ4In0.bm90LXNpZ25lZA';

  beforeAll(async () => {
    fake = await startFakeArtifactory();
    good = fake.issueToken({ username: 'alice', expiresIn: 86_400 }).jwt;
    fake.directory.addUser({ name: 'nobody', password: 'nobody-password' });
  });
  afterAll(() => fake.stop());
  beforeEach(() => {
    scratch = scratchHome();
    fake.requests.clear();
  });
  afterEach(() => scratch.cleanup());

  const auths = (user: string, secret: string): string =>
    JSON.stringify({
      auths: { [fake.host]: { auth: Buffer.from(`${user}:${secret}`).toString('base64') } },
    });
  /** [scheme, credential, user, which secret, status] of each request to `path`, in order. */
  const seen = (
    path: string | RegExp,
  ): [
    RequestRecord['scheme'],
    RequestRecord['credential'],
    string | null,
    string | null,
    number,
  ][] =>
    fake.requests
      .list({ path })
      .map((r) => [
        r.scheme,
        r.credential,
        r.user,
        r.secret === fake.fingerprint(good)
          ? 'good'
          : r.secret === fake.fingerprint(bad)
            ? 'bad'
            : r.secret,
        r.status,
      ]);
  const plain = (text: string): string => text.replace(/\x1b\[[0-9;]*m/g, '');

  describe('docker CLI (no daemon)', () => {
    beforeEach(() => requireClient('docker'));
    const image = (): string => `${fake.host}/docker-local/hello:1.0`;

    it('logs in with an access token, stores an auths entry and pulls a manifest through it', async () => {
      const login = await runClient(
        'docker',
        ['login', '-u', 'alice', '--password-stdin', fake.host],
        { env: scratch.env, input: good },
      );
      expect(login.code, login.stderr).toBe(0);
      expect(login.stdout).toContain('Login Succeeded');
      const config = JSON.parse(
        readFileSync(join(scratch.env.DOCKER_CONFIG ?? '', 'config.json'), 'utf8'),
      ) as { auths: Record<string, { auth: string }> };
      expect(Buffer.from(config.auths[fake.host]?.auth ?? '', 'base64').toString()).toBe(
        `alice:${good}`,
      );
      expect(seen('/v2/token')).toEqual([['Basic', 'access-token', 'alice', 'good', 200]]);

      fake.requests.clear();
      const inspect = await runClient('docker', ['manifest', 'inspect', '--insecure', image()], {
        env: scratch.env,
      });
      expect(inspect.code, inspect.stderr).toBe(0);
      expect(JSON.parse(inspect.stdout)).toMatchObject({
        schemaVersion: 2,
        mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
        layers: [],
      });
      expect(seen('/v2/token')).toEqual([['Basic', 'access-token', 'alice', 'good', 200]]);
      expect(seen('/v2/docker-local/hello/manifests/1.0')).toEqual([
        ['Bearer', 'registry-token', 'alice', expect.any(String), 200],
      ]);
    });

    it('refuses a bad token at login and stores nothing', async () => {
      const login = await runClient(
        'docker',
        ['login', '-u', 'alice', '--password-stdin', fake.host],
        { env: scratch.env, input: bad },
      );
      expect(login.code).not.toBe(0);
      expect(login.stderr).toMatch(/unauthorized/i);
      expect(readdirSync(scratch.env.DOCKER_CONFIG ?? '')).not.toContain('config.json');
      expect(seen('/v2/token')).toEqual([['Basic', 'invalid', 'alice', 'bad', 401]]);
    });

    it('pulls with credentials from a helper named in credHelpers', async () => {
      const bin = join(scratch.home, 'bin');
      mkdirSync(bin);
      // The smallest helper that answers `get`; docker reads the server name on stdin.
      writeFileSync(
        join(bin, 'docker-credential-artikeytest'),
        `#!/bin/sh\n[ "$1" = get ] || exit 1\nprintf '{"ServerURL":"%s","Username":"alice","Secret":"%s"}' "$(cat)" '${good}'\n`,
        { mode: 0o755 },
      );
      writeFileSync(
        join(scratch.env.DOCKER_CONFIG ?? '', 'config.json'),
        JSON.stringify({ credHelpers: { [fake.host]: 'artikeytest' } }),
      );
      const env = { ...scratch.env, PATH: `${bin}:${scratch.env.PATH ?? ''}` };
      const inspect = await runClient('docker', ['manifest', 'inspect', '--insecure', image()], {
        env,
      });
      expect(inspect.code, inspect.stderr).toBe(0);
      expect(seen('/v2/token')).toEqual([['Basic', 'access-token', 'alice', 'good', 200]]);
    });
  });

  describe('skopeo', () => {
    beforeEach(() => requireClient('skopeo'));
    const inspect = (authfile: string) =>
      runClient(
        'skopeo',
        [
          'inspect',
          '--raw',
          '--tls-verify=false',
          '--authfile',
          authfile,
          `docker://${fake.host}/docker-local/hello:1.0`,
        ],
        { env: scratch.env },
      );

    it('inspects with a good auths entry', async () => {
      const file = join(scratch.home, 'auth.json');
      writeFileSync(file, auths('alice', good));
      const ok = await inspect(file);
      expect(ok.code, ok.stderr).toBe(0);
      expect(JSON.parse(ok.stdout)).toMatchObject({
        mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      });
      expect(seen('/v2/token')).toEqual([['Basic', 'access-token', 'alice', 'good', 200]]);
    });

    it('fails with a bad token, with no credentials, and without read permission', async () => {
      const file = join(scratch.home, 'auth.json');
      writeFileSync(file, auths('alice', bad));
      const refused = await inspect(file);
      expect(refused.code).not.toBe(0);
      expect(seen('/v2/token')).toEqual([['Basic', 'invalid', 'alice', 'bad', 401]]);

      fake.requests.clear();
      writeFileSync(file, '{"auths":{}}');
      expect((await inspect(file)).code).not.toBe(0);
      expect(seen('/v2/token')).toEqual([[null, null, null, null, 401]]);

      writeFileSync(file, auths('nobody', 'nobody-password'));
      const denied = await inspect(file);
      expect(denied.code).not.toBe(0);
      expect(denied.stderr).toContain('denied');
      expect(
        fake.requests
          .list({ path: '/v2/docker-local/hello/manifests/1.0' })
          .map((r) => [r.user, r.status]),
      ).toEqual([['nobody', 403]]);
    });
  });

  describe('npm', () => {
    beforeEach(() => requireClient('npm'));
    const registryPath = '/artifactory/api/npm/npm-virtual/';
    const npm = (args: string[], token: string) => {
      const rc = join(scratch.home, '.npmrc');
      writeFileSync(rc, `//${fake.host}${registryPath}:_authToken=${token}\n`);
      const options = [
        '--registry',
        `${fake.url}${registryPath}`,
        '--userconfig',
        rc,
        '--cache',
        join(scratch.home, 'npm-cache'),
        '--no-update-notifier',
        '--no-audit',
        '--no-fund',
      ];
      return runClient('npm', [...args, ...options], { env: scratch.env, cwd: scratch.home });
    };

    it('whoami and view succeed with a good _authToken; whoami fails E401 with a bad one', async () => {
      const whoami = await npm(['whoami'], good);
      expect(whoami.code, whoami.stderr).toBe(0);
      expect(whoami.stdout.trim()).toBe('alice');
      const view = await npm(['view', 'artikey-demo', 'version'], good);
      expect(view.code, view.stderr).toBe(0);
      expect(view.stdout.trim()).toBe('1.0.0');
      expect(seen(`${registryPath}-/whoami`)).toEqual([
        ['Bearer', 'access-token', 'alice', 'good', 200],
      ]);
      expect(seen(`${registryPath}artikey-demo`)).toEqual([
        ['Bearer', 'access-token', 'alice', 'good', 200],
      ]);

      const refused = await npm(['whoami'], bad);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toMatch(/E401/);
      expect(seen(`${registryPath}-/whoami`).at(-1)).toEqual([
        'Bearer',
        'invalid',
        null,
        'bad',
        401,
      ]);
    });

    it('packs the tarball, which npm checks against the packument integrity', async () => {
      const pack = await npm(['pack', 'artikey-demo', '--pack-destination', scratch.home], good);
      expect(pack.code, pack.stderr).toBe(0);
      const tarball = readFileSync(join(scratch.home, 'artikey-demo-1.0.0.tgz'));
      const packument = (await (
        await fetch(`${fake.url}${registryPath}artikey-demo`, {
          headers: { authorization: `Bearer ${good}` },
        })
      ).json()) as {
        versions: Record<string, { dist: { integrity: string } }>;
      };
      expect(`sha512-${createHash('sha512').update(tarball).digest('base64')}`).toBe(
        packument.versions['1.0.0']?.dist.integrity,
      );
      expect(seen(`${registryPath}artikey-demo/-/artikey-demo-1.0.0.tgz`)).toEqual([
        ['Bearer', 'access-token', 'alice', 'good', 200],
      ]);
    });
  });

  describe('mvn', () => {
    beforeEach(() => requireClient('mvn'));
    const pomPath = '/artifactory/libs-release/com/example/fake-parent/1.0/fake-parent-1.0.pom';
    const mvn = (password: string) => {
      const project = join(scratch.home, 'proj');
      mkdirSync(project, { recursive: true });
      writeFileSync(
        join(project, 'pom.xml'),
        '<?xml version="1.0" encoding="UTF-8"?>\n<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>' +
          '<parent><groupId>com.example</groupId><artifactId>fake-parent</artifactId><version>1.0</version><relativePath/></parent><artifactId>child</artifactId></project>\n',
      );
      // A fresh local repository per run: after one success Maven would not ask the server again.
      const localRepository = mkdtempSync(join(scratch.home, 'm2repo-'));
      const settings = join(scratch.home, 'settings.xml');
      writeFileSync(
        settings,
        `<settings xmlns="http://maven.apache.org/SETTINGS/1.0.0"><localRepository>${localRepository}</localRepository>` +
          `<servers><server><id>artifactory</id><username>alice</username><password>${password}</password></server></servers>` +
          `<mirrors><mirror><id>artifactory</id><mirrorOf>*</mirrorOf><url>${fake.url}/artifactory/libs-release/</url></mirror></mirrors></settings>`,
      );
      // Java takes user.home from passwd, not $HOME: without -Duser.home Maven would use /root/.m2.
      return runClient('mvn', ['-B', '-s', settings, `-Duser.home=${scratch.home}`, 'validate'], {
        env: scratch.env,
        cwd: project,
        timeoutMs: 120_000,
      });
    };

    it('resolves a parent POM only the fake serves with the token as password, after the Basic challenge', async () => {
      const run = await mvn(good);
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(plain(run.stdout)).toContain('BUILD SUCCESS');
      expect(seen(pomPath)).toEqual([
        [null, null, null, null, 401],
        ['Basic', 'access-token', 'alice', 'good', 200],
      ]);
      expect(seen(`${pomPath}.sha1`)).toEqual([['Basic', 'access-token', 'alice', 'good', 200]]);
    });

    it('fails with a bad token', async () => {
      const run = await mvn(bad);
      expect(run.code).toBe(1);
      expect(plain(run.stdout + run.stderr)).toContain('status: 401');
      expect(seen(pomPath)).toEqual([
        [null, null, null, null, 401],
        ['Basic', 'invalid', 'alice', 'bad', 401],
      ]);
    });
  });

  describe('pip', () => {
    beforeEach(() => requireClient('pip'));
    const simple = '/artifactory/api/pypi/pypi-virtual/simple/fakepkg/';
    const wheel = '/artifactory/api/pypi/pypi-virtual/packages/fakepkg-1.0-py3-none-any.whl';
    const pip = (secret: string) => {
      // /dev/null makes pip skip every config file; --no-input stops it prompting after a 401.
      const env = {
        ...scratch.env,
        PIP_CONFIG_FILE: '/dev/null',
        PIP_DISABLE_PIP_VERSION_CHECK: '1',
      };
      const index = `http://alice:${encodeURIComponent(secret)}@${fake.host}/artifactory/api/pypi/pypi-virtual/simple/`;
      return runClient(
        'pip',
        [
          'download',
          'fakepkg==1.0',
          '--no-deps',
          '-d',
          join(scratch.home, 'dl'),
          '--no-cache-dir',
          '--no-input',
          '--index-url',
          index,
        ],
        { env, timeoutMs: 60_000 },
      );
    };

    it('downloads the wheel with the token in the index URL', async () => {
      const ok = await pip(good);
      expect(ok.code, ok.stdout + ok.stderr).toBe(0);
      expect(readdirSync(join(scratch.home, 'dl'))).toEqual(['fakepkg-1.0-py3-none-any.whl']);
      expect(seen(simple)).toEqual([['Basic', 'access-token', 'alice', 'good', 200]]);
      expect(seen(wheel)).toEqual([['Basic', 'access-token', 'alice', 'good', 200]]);
    });

    it('fails with a bad token, and the fake saw the refused Basic attempt', async () => {
      const refused = await pip(bad);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain('No matching distribution found for fakepkg==1.0');
      expect(seen(simple)).toEqual([['Basic', 'invalid', 'alice', 'bad', 401]]);
      expect(seen(wheel)).toEqual([]);
    });
  });
});
