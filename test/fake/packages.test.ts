import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';

/** Package endpoints over plain HTTP: the status codes, headers and error shapes real clients rely on. */
describe('fake Artifactory: package endpoints', () => {
  let fake: FakeArtifactory;
  let token: string;
  let reference: string;
  beforeAll(async () => {
    fake = await startFakeArtifactory();
    token = fake.issueToken({ username: 'alice', expiresIn: 86_400 }).jwt;
    reference =
      fake.issueToken({ username: 'alice', expiresIn: 86_400, includeReferenceToken: true })
        .referenceToken ?? '';
    fake.directory.addUser({ name: 'nobody', password: 'nobody-password' });
  });
  afterAll(() => fake.stop());

  const bearer = (value: string): Record<string, string> => ({ authorization: `Bearer ${value}` });
  const basic = (user: string, secret: string): Record<string, string> => ({
    authorization: `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`,
  });
  const get = (
    path: string,
    headers: Record<string, string> = {},
    method = 'GET',
  ): Promise<Response> => fetch(`${fake.url}${path}`, { headers, method });
  const hex = (algorithm: string, data: Uint8Array): string =>
    createHash(algorithm).update(data).digest('hex');
  const bytes = async (response: Response): Promise<Buffer> =>
    Buffer.from(await response.arrayBuffer());
  const unauthorized = {
    errors: [{ code: 'UNAUTHORIZED', message: 'authentication required', detail: null }],
  };

  describe('Docker registry', () => {
    const registryToken = async (
      headers: Record<string, string>,
      path = '/v2/token',
    ): Promise<string> => {
      const response = await get(
        `${path}?service=${fake.host}&scope=repository:docker-local/hello:pull`,
        headers,
      );
      expect(response.status).toBe(200);
      return ((await response.json()) as { token: string }).token;
    };

    it('challenges anonymous clients towards the token realm, in the registry error shape', async () => {
      const anonymous = await get('/v2/');
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toBe(
        `Bearer realm="${fake.url}/v2/token",service="${fake.host}"`,
      );
      expect(anonymous.headers.get('docker-distribution-api-version')).toBe('registry/2.0');
      expect(await anonymous.json()).toEqual(unauthorized);

      const internalBase = await get('/artifactory/api/docker/docker-local/v2/');
      expect(internalBase.headers.get('www-authenticate')).toBe(
        `Bearer realm="${fake.url}/artifactory/api/docker/docker-local/v2/token",service="${fake.host}"`,
      );
    });

    // earthly/earthly#1017 (Artifactory 7.9.1), for `/v2/docker-local/someproduct/someimage/blobs/…`:
    // Bearer realm="https://artifactory/artifactory/api/docker/docker-local/v2/token",service="artifactory",scope="repository:someproduct/someimage:pull"
    it("challenges a repository's content towards that repository's realm, scoping the image alone, on both path forms", async () => {
      const expected = (image: string): string =>
        `Bearer realm="${fake.url}/artifactory/api/docker/docker-local/v2/token",service="${fake.host}",scope="repository:${image}:pull"`;
      const manifest = await get('/v2/docker-local/hello/manifests/1.0');
      expect(manifest.status).toBe(401);
      expect(manifest.headers.get('www-authenticate')).toBe(expected('hello'));
      expect(await manifest.json()).toEqual(unauthorized);

      const nested = await get(
        '/v2/docker-local/someproduct/someimage/blobs/sha256:' + '0'.repeat(64),
      );
      expect(nested.headers.get('www-authenticate')).toBe(expected('someproduct/someimage'));

      const internal = await get('/artifactory/api/docker/docker-local/v2/hello/manifests/1.0');
      expect(internal.headers.get('www-authenticate')).toBe(expected('hello'));

      // The realm it names is served, and the token it mints pulls the manifest that was refused.
      const pull = bearer(
        await registryToken(basic('alice', token), '/artifactory/api/docker/docker-local/v2/token'),
      );
      expect((await get('/v2/docker-local/hello/manifests/1.0', pull)).status).toBe(200);
    });

    it('mints registry tokens for every kind of credential, on both token paths', async () => {
      const response = await get('/v2/token', basic('alice', token));
      expect(response.status).toBe(200);
      const grant = (await response.json()) as Record<string, unknown>;
      expect(grant).toEqual({
        token: grant.token,
        access_token: grant.token,
        expires_in: 3600,
        issued_at: new Date(fake.clock.seconds() * 1000).toISOString(),
      });
      expect(grant.token).toMatch(/^[A-Za-z0-9_-]{43}$/);

      await registryToken(basic('alice', reference));
      await registryToken(basic(DEMO_USER.name, DEMO_USER.password));
      await registryToken(basic('alice', fake.createApiKey('alice')));
      await registryToken(basic('alice', token), '/artifactory/api/docker/docker-local/v2/token');
      expect(fake.requests.list({ path: '/v2/token' }).at(-1)).toMatchObject({
        scheme: 'Basic',
        credential: 'api-key',
        user: 'alice',
        status: 200,
      });
    });

    it('refuses anonymous and bad credentials at the token endpoint', async () => {
      for (const headers of [
        {},
        basic('alice', 'wrong'),
        basic('bob', token),
        bearer('not-a-token'),
      ]) {
        const response = await get('/v2/token', headers);
        expect(response.status).toBe(401);
        expect(((await response.json()) as { errors: { code: string }[] }).errors[0]?.code).toBe(
          'UNAUTHORIZED',
        );
      }
      expect(fake.requests.list({ path: '/v2/token' }).at(-1)).toMatchObject({
        scheme: 'Bearer',
        credential: 'invalid',
        status: 401,
      });
    });

    it('serves the manifest, its config blob and tags, on GET and HEAD, and both path forms', async () => {
      const pull = bearer(await registryToken(basic('alice', token)));
      const manifest = await get('/v2/docker-local/hello/manifests/1.0', pull);
      expect(manifest.status).toBe(200);
      expect(manifest.headers.get('content-type')).toBe(
        'application/vnd.docker.distribution.manifest.v2+json',
      );
      const body = await bytes(manifest);
      expect(manifest.headers.get('docker-content-digest')).toBe(`sha256:${hex('sha256', body)}`);
      const parsed = JSON.parse(body.toString()) as {
        schemaVersion: number;
        config: { digest: string; size: number };
        layers: unknown[];
      };
      expect(parsed).toMatchObject({ schemaVersion: 2, layers: [] });

      const blob = await get(`/v2/docker-local/hello/blobs/${parsed.config.digest}`, pull);
      const config = await bytes(blob);
      expect(`sha256:${hex('sha256', config)}`).toBe(parsed.config.digest);
      expect(config.length).toBe(parsed.config.size);
      expect(JSON.parse(config.toString())).toMatchObject({ os: 'linux' });

      const head = await get('/v2/docker-local/hello/manifests/latest', pull, 'HEAD');
      expect(head.status).toBe(200);
      expect(head.headers.get('docker-content-digest')).toBe(`sha256:${hex('sha256', body)}`);
      expect(head.headers.get('content-length')).toBe(String(body.length));
      expect(
        (
          await get(
            `/v2/docker-local/hello/manifests/${manifest.headers.get('docker-content-digest') ?? ''}`,
            pull,
          )
        ).status,
      ).toBe(200);
      expect(await (await get('/v2/docker-local/hello/tags/list', pull)).json()).toEqual({
        name: 'hello',
        tags: ['1.0', 'latest'],
      });
      expect(
        (await get('/artifactory/api/docker/docker-local/v2/hello/manifests/1.0', pull)).status,
      ).toBe(200);
      expect(
        fake.requests.list({ path: '/v2/docker-local/hello/manifests/1.0' }).at(-1),
      ).toMatchObject({ scheme: 'Bearer', credential: 'registry-token', user: 'alice' });
    });

    it('answers unknown names, tags and blobs with the registry error codes', async () => {
      const pull = bearer(await registryToken(basic('alice', token)));
      const code = async (path: string): Promise<[number, string | undefined]> => {
        const response = await get(path, pull);
        return [
          response.status,
          ((await response.json()) as { errors: { code: string }[] }).errors[0]?.code,
        ];
      };
      expect(await code('/v2/docker-local/hello/manifests/2.0')).toEqual([404, 'MANIFEST_UNKNOWN']);
      expect(await code(`/v2/docker-local/hello/blobs/sha256:${'0'.repeat(64)}`)).toEqual([
        404,
        'BLOB_UNKNOWN',
      ]);
      expect(await code('/v2/docker-local/nope/manifests/1.0')).toEqual([404, 'NAME_UNKNOWN']);
      expect(await code('/v2/no-such-repo/hello/manifests/1.0')).toEqual([404, 'NAME_UNKNOWN']);
      expect(await code('/v2/npm-virtual/hello/manifests/1.0')).toEqual([404, 'NAME_UNKNOWN']);
    });

    it('needs read permission to pull, and a registry token that has not expired', async () => {
      const denied = await get(
        '/v2/docker-local/hello/manifests/1.0',
        bearer(await registryToken(basic('nobody', 'nobody-password'))),
      );
      expect(denied.status).toBe(403);
      expect(((await denied.json()) as { errors: { code: string }[] }).errors[0]?.code).toBe(
        'DENIED',
      );
      expect(
        fake.requests.list({ path: '/v2/docker-local/hello/manifests/1.0' }).at(-1),
      ).toMatchObject({ user: 'nobody', status: 403 });

      const pull = bearer(await registryToken(basic('alice', token)));
      fake.clock.advance(3601);
      const expired = await get('/v2/docker-local/hello/manifests/1.0', pull);
      expect(expired.status).toBe(401);
      expect(expired.headers.get('www-authenticate')).toContain('scope="repository:hello:pull"');
    });
  });

  describe('npm', () => {
    const base = '/artifactory/api/npm/npm-virtual';

    it('whoami names the caller for access and reference tokens and Basic; ping answers {}', async () => {
      for (const [headers, username] of [
        [bearer(token), 'alice'],
        [bearer(reference), 'alice'],
        [basic('alice', token), 'alice'],
        [basic('bob', 'bob-demo-password'), 'bob'],
      ] as const) {
        const response = await get(`${base}/-/whoami`, headers);
        expect(response.status).toBe(200);
        expect(await response.json()).toEqual({ username });
      }
      expect(fake.requests.list({ path: `${base}/-/whoami` }).map((r) => r.credential)).toEqual([
        'access-token',
        'reference-token',
        'access-token',
        'password',
      ]);
      expect(await (await get(`${base}/-/ping`, bearer(token))).json()).toEqual({});
    });

    it('refuses missing and bad credentials in the Artifactory error shape with a Basic challenge', async () => {
      for (const [headers, message] of [
        [{}, 'Authentication is required'],
        [bearer(`${token.slice(0, -4)}AAAA`), 'Bad credentials'],
        [basic('alice', 'wrong'), 'Bad credentials'],
      ] as const) {
        const response = await get(`${base}/-/whoami`, headers);
        expect(response.status).toBe(401);
        expect(response.headers.get('www-authenticate')).toBe('Basic realm="Artifactory Realm"');
        expect(await response.json()).toEqual({ errors: [{ status: 401, message }] });
      }
    });

    it('serves a packument whose tarball matches its shasum and integrity', async () => {
      const packument = (await (await get(`${base}/artikey-demo`, bearer(token))).json()) as {
        name: string;
        'dist-tags': { latest: string };
        versions: Record<string, { dist: { tarball: string; shasum: string; integrity: string } }>;
      };
      expect(packument).toMatchObject({ name: 'artikey-demo', 'dist-tags': { latest: '1.0.0' } });
      const dist = packument.versions['1.0.0']?.dist;
      expect(dist?.tarball).toBe(`${fake.url}${base}/artikey-demo/-/artikey-demo-1.0.0.tgz`);
      const tarball = await bytes(await fetch(dist?.tarball ?? '', { headers: bearer(token) }));
      expect(hex('sha1', tarball)).toBe(dist?.shasum);
      expect(`sha512-${createHash('sha512').update(tarball).digest('base64')}`).toBe(
        dist?.integrity,
      );
      const tar = gunzipSync(tarball);
      expect(tar.subarray(0, 20).toString()).toBe('package/package.json');
      expect(tar.subarray(257, 262).toString()).toBe('ustar');
    });

    it('answers unknown and scoped packages 404 the CouchDB way, and only serves npm repositories', async () => {
      for (const name of ['nope', '@scope%2fname', '@scope/name']) {
        const response = await get(`${base}/${name}`, bearer(token));
        expect(response.status).toBe(404);
        expect(await response.json()).toEqual({ error: 'not_found', reason: 'document not found' });
      }
      expect((await get('/artifactory/api/npm/libs-release/-/whoami', bearer(token))).status).toBe(
        404,
      );
      expect((await get('/artifactory/api/npm/no-such-repo/-/whoami', bearer(token))).status).toBe(
        404,
      );
      const denied = await get(`${base}/artikey-demo`, basic('nobody', 'nobody-password'));
      expect(denied.status).toBe(403);
      expect(((await denied.json()) as { errors: { status: number }[] }).errors[0]?.status).toBe(
        403,
      );
    });
  });

  describe('Maven', () => {
    const pom = '/artifactory/libs-release/com/example/fake-parent/1.0/fake-parent-1.0.pom';

    it('challenges anonymous requests with Basic, the only thing that makes Maven send credentials', async () => {
      for (const method of ['GET', 'HEAD']) {
        const response = await get(pom, {}, method);
        expect(response.status).toBe(401);
        expect(response.headers.get('www-authenticate')).toBe('Basic realm="Artifactory Realm"');
      }
      expect(await (await get(pom)).json()).toEqual({
        errors: [{ status: 401, message: 'Authentication is required' }],
      });
      expect((await get(pom, basic('alice', 'wrong'))).status).toBe(401);
    });

    it('serves the POM and metadata with matching checksums to Basic and Bearer callers', async () => {
      const body = await bytes(await get(pom, basic('alice', token)));
      expect(body.toString()).toContain('<packaging>pom</packaging>');
      expect(await (await get(`${pom}.sha1`, bearer(token))).text()).toBe(hex('sha1', body));
      expect(await (await get(`${pom}.md5`, bearer(reference))).text()).toBe(hex('md5', body));
      const head = await get(pom, bearer(token), 'HEAD');
      expect([head.status, head.headers.get('content-length')]).toEqual([200, String(body.length)]);
      const metadata = await bytes(
        await get(
          '/artifactory/libs-release/com/example/fake-parent/maven-metadata.xml',
          bearer(token),
        ),
      );
      expect(metadata.toString()).toContain('<release>1.0</release>');
      expect(
        await (
          await get(
            '/artifactory/libs-release/com/example/fake-parent/maven-metadata.xml.sha1',
            bearer(token),
          )
        ).text(),
      ).toBe(hex('sha1', metadata));
    });

    it('answers 404 for missing files and unknown repositories, 403 without read permission', async () => {
      expect((await get(`${pom}.asc`, bearer(token))).status).toBe(404);
      expect(
        (
          await get(
            '/artifactory/no-such-repo/com/example/fake-parent/1.0/fake-parent-1.0.pom',
            bearer(token),
          )
        ).status,
      ).toBe(404);
      expect((await get(pom, basic('nobody', 'nobody-password'))).status).toBe(403);
    });

    it('does not shadow the REST API under /artifactory/api/', async () => {
      expect(await (await get('/artifactory/api/system/ping')).text()).toBe('OK');
      const unknown = await get('/artifactory/api/nothing/here', bearer(token));
      expect(unknown.status).toBe(404);
      expect(await unknown.json()).toEqual({
        errors: [{ status: 404, message: 'Could not find resource' }],
      });
    });
  });

  describe('PyPI', () => {
    const simple = '/artifactory/api/pypi/pypi-virtual/simple';

    it('challenges anonymous requests with Basic', async () => {
      for (const path of [
        `${simple}/`,
        `${simple}/fakepkg/`,
        '/artifactory/api/pypi/pypi-virtual/packages/fakepkg-1.0-py3-none-any.whl',
      ]) {
        const response = await get(path);
        expect(response.status).toBe(401);
        expect(response.headers.get('www-authenticate')).toBe('Basic realm="Artifactory Realm"');
      }
    });

    it('lists the package and links a wheel whose sha256 matches, as a valid zip', async () => {
      const index = await get(`${simple}/`, basic('alice', token));
      expect(index.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await index.text()).toContain('<a href="fakepkg/">fakepkg</a>');
      const page = await (await get(`${simple}/fakepkg/`, basic('alice', token))).text();
      const link =
        /href="(\.\.\/\.\.\/packages\/fakepkg-1\.0-py3-none-any\.whl)#sha256=([0-9a-f]{64})"/.exec(
          page,
        );
      expect(link).not.toBeNull();
      const wheelUrl = new URL(link?.[1] ?? '', `${fake.url}${simple}/fakepkg/`);
      const wheel = await bytes(await fetch(wheelUrl, { headers: basic('alice', token) }));
      expect(hex('sha256', wheel)).toBe(link?.[2]);
      expect(wheel.readUInt32LE(0)).toBe(0x04034b50);
      const names = zipEntryNames(wheel);
      expect(names).toEqual([
        'fakepkg/__init__.py',
        'fakepkg-1.0.dist-info/METADATA',
        'fakepkg-1.0.dist-info/WHEEL',
        'fakepkg-1.0.dist-info/RECORD',
      ]);
    });

    it('answers 404 for unknown packages and non-PyPI repositories, 403 without read permission', async () => {
      expect((await get(`${simple}/otherpkg/`, bearer(token))).status).toBe(404);
      expect((await get('/artifactory/api/pypi/npm-virtual/simple/', bearer(token))).status).toBe(
        404,
      );
      expect((await get(`${simple}/fakepkg/`, basic('nobody', 'nobody-password'))).status).toBe(
        403,
      );
    });
  });
});

/** Entry names from a zip's central directory, read via its end record (no comment assumed). */
function zipEntryNames(zip: Buffer): string[] {
  const end = zip.length - 22;
  expect(zip.readUInt32LE(end)).toBe(0x06054b50);
  const names: string[] = [];
  let at = zip.readUInt32LE(end + 16);
  for (let i = 0; i < zip.readUInt16LE(end + 10); i++) {
    const nameLength = zip.readUInt16LE(at + 28);
    names.push(zip.subarray(at + 46, at + 46 + nameLength).toString());
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return names;
}
