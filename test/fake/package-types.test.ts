import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';

/**
 * The package types issue 18 adds (Go, PyPI upload, Cargo, Helm, NuGet), over plain HTTP: what
 * the real clients in test/clients/more-real-clients.test.ts need, and the 401 with a Basic
 * challenge a platform with anonymous access off (the default) gives anyone without credentials.
 */
describe('fake Artifactory: Go, PyPI upload, Cargo, Helm and NuGet repositories', () => {
  let fake: FakeArtifactory;
  let token: string;
  let revoked: string;
  beforeAll(async () => {
    fake = await startFakeArtifactory();
    token = fake.issueToken({ username: 'alice', expiresIn: 86_400 }).jwt;
    const spent = fake.issueToken({ username: 'alice', expiresIn: 86_400 });
    fake.tokens.revoke(spent);
    revoked = spent.jwt;
    fake.directory.addUser({
      name: 'bob-reader',
      password: 'reader-password',
      groups: ['readers'],
    });
  });
  afterAll(() => fake.stop());

  const bearer = (value: string): Record<string, string> => ({ authorization: `Bearer ${value}` });
  const basic = (user: string, secret: string): Record<string, string> => ({
    authorization: `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`,
  });
  const get = (path: string, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(`${fake.url}${path}`, { headers });
  const bytes = async (response: Response): Promise<Buffer> =>
    Buffer.from(await response.arrayBuffer());
  const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

  /** Anonymous and revoked-token requests both get Artifactory's 401 with the Basic challenge. */
  const expectRefused = async (path: string, init: RequestInit = {}): Promise<void> => {
    for (const headers of [{}, bearer(revoked)]) {
      const response = await fetch(`${fake.url}${path}`, { ...init, headers });
      expect(response.status, path).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Basic realm="Artifactory Realm"');
      expect(((await response.json()) as { errors: { status: number }[] }).errors[0]?.status).toBe(
        401,
      );
    }
  };

  it('lists a repository of every new package type by packageType', async () => {
    const keys = async (packageType: string): Promise<string[]> => {
      const response = await get(
        `/artifactory/api/repositories?packageType=${packageType}`,
        bearer(token),
      );
      expect(response.status).toBe(200);
      return ((await response.json()) as { key: string }[]).map((repo) => repo.key);
    };
    expect(await keys('go')).toEqual(['go-remote', 'go-virtual']);
    expect(await keys('pypi')).toEqual(['pypi-local', 'pypi-remote', 'pypi-virtual']);
    expect(await keys('cargo')).toEqual(['cargo-local']);
    expect(await keys('nuget')).toEqual(['nuget-remote', 'nuget-virtual']);
    expect(await keys('helm')).toEqual(['helm-local', 'helm-virtual']);
    expect(await keys('conan')).toEqual(['conan-local']);
    expect(await keys('gradle')).toEqual(['gradle-local', 'gradle-remote', 'gradle-virtual']);
  });

  describe('Go module proxy', () => {
    const base = '/artifactory/api/go/go-virtual/example.com/artikey/demo/@v';

    it('serves the version list, .info, .mod and a zip in the module layout', async () => {
      const list = await get(`${base}/list`, basic('alice', token));
      expect(list.status).toBe(200);
      expect(await list.text()).toBe('v1.0.0\n');
      const info = await get(`${base}/v1.0.0.info`, basic('alice', token));
      expect(await info.json()).toEqual({ Version: 'v1.0.0', Time: '2026-01-01T00:00:00Z' });
      const latest = await get(
        '/artifactory/api/go/go-virtual/example.com/artikey/demo/@latest',
        bearer(token),
      );
      expect(await latest.json()).toMatchObject({ Version: 'v1.0.0' });
      const mod = await get(`${base}/v1.0.0.mod`, basic('alice', token));
      expect(await mod.text()).toBe('module example.com/artikey/demo\n\ngo 1.19\n');
      const zip = await bytes(await get(`${base}/v1.0.0.zip`, basic('alice', token)));
      expect(zip.subarray(0, 4).toString('latin1')).toBe('PK\x03\x04');
      expect(zip.toString('latin1')).toContain('example.com/artikey/demo@v1.0.0/go.mod');
    });

    it('answers 404 for a module or version it does not have, 401 without valid credentials', async () => {
      expect(
        (await get('/artifactory/api/go/go-virtual/example.com/other/@v/list', bearer(token)))
          .status,
      ).toBe(404);
      expect((await get(`${base}/v2.0.0.info`, bearer(token))).status).toBe(404);
      expect(
        (
          await get(
            '/artifactory/api/go/npm-virtual/example.com/artikey/demo/@v/list',
            bearer(token),
          )
        ).status,
      ).toBe(404);
      await expectRefused(`${base}/list`);
      await expectRefused(`${base}/v1.0.0.zip`);
    });
  });

  describe('PyPI upload', () => {
    const upload = (
      fields: Record<string, string>,
      headers: Record<string, string>,
      repo = 'pypi-local',
    ): Promise<Response> => {
      const form = new FormData();
      for (const [name, value] of Object.entries(fields)) form.append(name, value);
      form.append('content', new Blob([Buffer.from('PK')]), 'fakepkg-1.0-py3-none-any.whl');
      return fetch(`${fake.url}/artifactory/api/pypi/${repo}`, {
        method: 'POST',
        body: form,
        headers,
      });
    };
    const fields = {
      ':action': 'file_upload',
      name: 'fakepkg',
      version: '1.0',
      protocol_version: '1',
    };

    it('accepts a twine-shaped upload from a user who may write', async () => {
      const response = await upload(fields, basic('alice', token));
      expect(response.status).toBe(200);
      expect((await upload(fields, bearer(token), 'pypi-local/')).status).toBe(200);
    });

    it('refuses anonymous and revoked (401), a reader (403), and a form that is not an upload (400)', async () => {
      await expectRefused('/artifactory/api/pypi/pypi-local', { method: 'POST', body: 'x' });
      const reader = await upload(fields, basic('bob-reader', 'reader-password'));
      expect(reader.status).toBe(403);
      const notUpload = await upload({ ':action': 'submit' }, basic('alice', token));
      expect(notUpload.status).toBe(400);
      expect(fake.requests.list({ path: '/artifactory/api/pypi/pypi-local' }).at(-1)).toMatchObject(
        {
          method: 'POST',
          user: 'alice',
          status: 400,
        },
      );
    });
  });

  describe('Cargo sparse index', () => {
    const index = '/artifactory/api/cargo/cargo-local/index';

    it('serves config.json with auth-required, the crate index line and a download matching its checksum', async () => {
      const config = await get(`${index}/config.json`, bearer(token));
      expect(config.status).toBe(200);
      const api = `${fake.url}/artifactory/api/cargo/cargo-local`;
      expect(await config.json()).toEqual({ dl: `${api}/v1/crates`, api, 'auth-required': true });
      const line = await get(`${index}/ar/ti/artikey-demo`, bearer(token));
      const entry = JSON.parse(await line.text()) as { name: string; vers: string; cksum: string };
      expect(entry).toMatchObject({ name: 'artikey-demo', vers: '1.0.0', yanked: false, deps: [] });
      const crate = await bytes(
        await get(
          '/artifactory/api/cargo/cargo-local/v1/crates/artikey-demo/1.0.0/download',
          bearer(token),
        ),
      );
      expect(sha256(crate)).toBe(entry.cksum);
      expect(gunzipSync(crate).toString('latin1')).toContain('artikey-demo-1.0.0/Cargo.toml');
    });

    // Cargo fetches config.json anonymously and sends its token only after a 401 (rust-lang/cargo#11460).
    it('answers config.json without credentials with 401, and 404 for a crate it does not have', async () => {
      await expectRefused(`${index}/config.json`);
      expect((await get(`${index}/ot/he/other`, bearer(token))).status).toBe(404);
    });
  });

  describe('Helm chart repository', () => {
    it('serves index.yaml and the chart it lists, whose digest matches', async () => {
      const index = await get(
        '/artifactory/api/helm/helm-virtual/index.yaml',
        basic('alice', token),
      );
      expect(index.status).toBe(200);
      const text = await index.text();
      expect(text).toMatch(/^apiVersion: v1\nentries:\n {2}artikey-demo:\n/);
      const digest = /digest: ([0-9a-f]{64})/.exec(text)?.[1];
      const chart = await bytes(
        await get(
          '/artifactory/api/helm/helm-virtual/artikey-demo-1.0.0.tgz',
          basic('alice', token),
        ),
      );
      expect(sha256(chart)).toBe(digest);
      expect(gunzipSync(chart).toString('latin1')).toContain('artikey-demo/Chart.yaml');
      await expectRefused('/artifactory/api/helm/helm-virtual/index.yaml');
    });
  });

  describe('NuGet v2 feed (what Debian nuget 2.8.7 reads)', () => {
    const feed = '/artifactory/api/nuget/nuget-virtual';

    it('serves the service document, the package entry and the download its content names', async () => {
      const root = await get(feed, basic('alice', token));
      expect(root.status).toBe(200);
      expect(await root.text()).toContain('<collection href="Packages">');
      const entry = await get(
        `${feed}/Packages(Id='Artikey.Demo',Version='1.0.0')`,
        basic('alice', token),
      );
      const xml = await entry.text();
      expect(xml).toContain('<d:Id>Artikey.Demo</d:Id>');
      const src = /<content type="application\/zip" src="([^"]+)"/.exec(xml)?.[1] ?? '';
      expect(src).toBe(`${fake.url}${feed}/Download/Artikey.Demo/1.0.0`);
      const nupkg = await bytes(await fetch(src, { headers: basic('alice', token) }));
      expect(nupkg.toString('latin1')).toContain('[Content_Types].xml');
      expect(nupkg.toString('latin1')).toContain(
        'http://schemas.microsoft.com/packaging/2010/07/manifest',
      );
      expect(
        (await get(`${feed}/Packages(Id='Other',Version='1.0.0')`, basic('alice', token))).status,
      ).toBe(404);
      await expectRefused(feed);
      await expectRefused(`${feed}/Download/Artikey.Demo/1.0.0`);
    });
  });

  describe('NuGet v3 feed', () => {
    it('serves the service index, whose package base address lists and serves the package', async () => {
      const index = await get(
        '/artifactory/api/nuget/v3/nuget-virtual/index.json',
        basic('alice', token),
      );
      expect(index.status).toBe(200);
      const { version, resources } = (await index.json()) as {
        version: string;
        resources: { '@id': string; '@type': string }[];
      };
      expect(version).toBe('3.0.0');
      const base = resources.find((r) => r['@type'] === 'PackageBaseAddress/3.0.0')?.['@id'] ?? '';
      expect(base.startsWith(`${fake.url}/artifactory/api/nuget/v3/nuget-virtual/`)).toBe(true);
      const versions = await fetch(`${base}artikey.demo/index.json`, {
        headers: basic('alice', token),
      });
      expect(await versions.json()).toEqual({ versions: ['1.0.0'] });
      const nupkg = await bytes(
        await fetch(`${base}artikey.demo/1.0.0/artikey.demo.1.0.0.nupkg`, {
          headers: basic('alice', token),
        }),
      );
      expect(nupkg.toString('latin1')).toContain('<id>Artikey.Demo</id>');
      await expectRefused('/artifactory/api/nuget/v3/nuget-virtual/index.json');
    });
  });
});
