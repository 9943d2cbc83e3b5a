import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FakeArtifactory } from '../fake-artifactory/server.js';
import { ALICE, reset, startFrozen } from './helpers.js';

/** REST "Get Repositories" and "Repository Configuration", as routes/repositories.ts serves them. */
describe('fake Artifactory: repositories', () => {
  let fake: FakeArtifactory;
  beforeAll(async () => {
    fake = await startFrozen();
  });
  afterEach(() => reset(fake));
  afterAll(() => fake.stop());

  const get = (path: string, authorization?: string): Promise<Response> =>
    fetch(`${fake.url}/artifactory/api/repositories${path}`, { headers: authorization ? { authorization } : {} });

  it('lists the repositories of a package type in the list shape: type in capitals, packageType as displayed', async () => {
    const res = await get('?packageType=npm', ALICE);
    expect(res.status).toBe(200);
    const list = (await res.json()) as Record<string, unknown>[];
    expect(list.map((r) => r['key']).sort()).toEqual(['npm-local', 'npm-remote', 'npm-virtual']);
    expect(list.find((r) => r['key'] === 'npm-virtual')).toEqual({
      key: 'npm-virtual',
      description: 'npm-local and npm-remote',
      type: 'VIRTUAL',
      url: `${fake.url}/artifactory/npm-virtual`,
      packageType: 'Npm',
    });
    // A remote repository's url is the upstream it proxies.
    expect(list.find((r) => r['key'] === 'npm-remote')?.['url']).toBe('https://registry.npmjs.org');
  });

  it('filters by class and package type together, and leaves out an empty description', async () => {
    const list = (await (await get('?type=local&packageType=pypi', ALICE)).json()) as Record<string, unknown>[];
    expect(list).toEqual([{ key: 'pypi-local', type: 'LOCAL', url: `${fake.url}/artifactory/pypi-local`, packageType: 'Pypi' }]);
  });

  it('serves one repository in the configuration shape: rclass and the lower-case package type', async () => {
    const res = await get('/docker-virtual', ALICE);
    expect(await res.json()).toEqual({ key: 'docker-virtual', rclass: 'virtual', packageType: 'docker', description: 'docker-local and docker-remote' });
  });

  it('lists only what the caller may read: [] for a user without permissions', async () => {
    fake.directory.addUser({ name: 'carol', password: 'carol-demo-password' });
    const carol = `Basic ${Buffer.from('carol:carol-demo-password').toString('base64')}`;
    const res = await get('?packageType=docker', carol);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([]);
  });

  it('answers anonymous callers 401 while anonymous access is off, [] when it is on', async () => {
    expect((await get('')).status).toBe(401);
    fake.config.anonymousAccess = true;
    expect(await (await get('')).json()).toEqual([]);
  });

  it('answers 403 in the Artifactory error shape when the listing is forbidden', async () => {
    fake.config.repositoryListForbidden = true;
    const res = await get('?packageType=npm', ALICE);
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ errors: [{ status: 403, message: 'Forbidden' }] });
  });
});
