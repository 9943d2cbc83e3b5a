import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';

describe('fake Artifactory: package endpoints over plain HTTP', () => {
  let fake: FakeArtifactory;
  let token: string;
  beforeAll(async () => {
    fake = await startFakeArtifactory();
    token = fake.issueToken({ username: 'alice', expiresIn: 86_400 }).jwt;
    fake.directory.addUser({ name: 'nobody', password: 'nobody-password' });
  });
  afterAll(() => fake.stop());
  const bearer = (value: string): Record<string, string> => ({ authorization: `Bearer ${value}` });

  it('Docker: challenges with the token realm, mints registry tokens, serves the manifest with its digest', async () => {
    const anonymous = await fetch(`${fake.url}/v2/`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe(`Bearer realm="${fake.url}/v2/token",service="${fake.host}"`);
    expect(anonymous.headers.get('docker-distribution-api-version')).toBe('registry/2.0');
    expect(await anonymous.json()).toEqual({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required', detail: null }] });
    const manifestChallenge = await fetch(`${fake.url}/v2/docker-local/hello/manifests/1.0`);
    expect(manifestChallenge.headers.get('www-authenticate')).toContain('scope="repository:docker-local/hello:pull"');
    const internal = await fetch(`${fake.url}/artifactory/api/docker/docker-local/v2/`);
    expect(internal.headers.get('www-authenticate')).toContain(`realm="${fake.url}/artifactory/api/docker/docker-local/v2/token"`);

    const grant = (await (await fetch(`${fake.url}/v2/token?service=${fake.host}`, { headers: { authorization: `Basic ${Buffer.from(`alice:${token}`).toString('base64')}` } })).json()) as { token: string; expires_in: number };
    expect(grant.expires_in).toBe(3600);
    const manifest = await fetch(`${fake.url}/v2/docker-local/hello/manifests/1.0`, { headers: bearer(grant.token) });
    expect(manifest.headers.get('content-type')).toBe('application/vnd.docker.distribution.manifest.v2+json');
    expect(manifest.headers.get('docker-content-digest')).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect((await fetch(`${fake.url}/v2/docker-local/nope/manifests/1.0`, { headers: bearer(grant.token) })).status).toBe(404);
    expect((await fetch(`${fake.url}/v2/token`, { headers: { authorization: `Basic ${Buffer.from('alice:wrong').toString('base64')}` } })).status).toBe(401);
    expect((await fetch(`${fake.url}/v2/token`, { headers: { authorization: `Basic ${Buffer.from(`bob:${token}`).toString('base64')}` } })).status).toBe(401);

    const nobody = (await (await fetch(`${fake.url}/v2/token`, { headers: { authorization: `Basic ${Buffer.from('nobody:nobody-password').toString('base64')}` } })).json()) as { token: string };
    expect((await fetch(`${fake.url}/v2/docker-local/hello/manifests/1.0`, { headers: bearer(nobody.token) })).status).toBe(403);
  });

  it('npm: whoami, packument and tarball with Bearer; 401 with a Basic challenge otherwise', async () => {
    const base = `${fake.url}/artifactory/api/npm/npm-virtual`;
    expect(await (await fetch(`${base}/-/whoami`, { headers: bearer(token) })).json()).toEqual({ username: 'alice' });
    const denied = await fetch(`${base}/-/whoami`);
    expect(denied.status).toBe(401);
    expect(denied.headers.get('www-authenticate')).toBe('Basic realm="Artifactory Realm"');
    const packument = (await (await fetch(`${base}/artikey-demo`, { headers: bearer(token) })).json()) as { versions: Record<string, { dist: { tarball: string } }> };
    const tarball = packument.versions['1.0.0']?.dist.tarball ?? '';
    expect((await fetch(tarball, { headers: bearer(token) })).status).toBe(200);
    expect((await fetch(`${fake.url}/artifactory/api/npm/libs-release/-/whoami`, { headers: bearer(token) })).status).toBe(404);
  });

  it('Maven: 401 with the Basic challenge anonymously, the POM and its checksums with credentials', async () => {
    const pom = `${fake.url}/artifactory/libs-release/com/example/fake-parent/1.0/fake-parent-1.0.pom`;
    const anonymous = await fetch(pom);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Basic realm="Artifactory Realm"');
    const body = await (await fetch(pom, { headers: bearer(token) })).text();
    expect(body).toContain('<packaging>pom</packaging>');
    const sha1 = await (await fetch(`${pom}.sha1`, { headers: bearer(token) })).text();
    expect(sha1).toMatch(/^[0-9a-f]{40}$/);
    expect((await fetch(`${pom}.missing`, { headers: bearer(token) })).status).toBe(404);
  });

  it('PyPI: a simple index that links the wheel with its hash', async () => {
    const page = await (await fetch(`${fake.url}/artifactory/api/pypi/pypi-virtual/simple/fakepkg/`, { headers: bearer(token) })).text();
    expect(page).toMatch(/href="\.\.\/\.\.\/packages\/fakepkg-1\.0-py3-none-any\.whl#sha256=[0-9a-f]{64}"/);
    expect((await fetch(`${fake.url}/artifactory/api/pypi/pypi-virtual/simple/`)).status).toBe(401);
  });
});
