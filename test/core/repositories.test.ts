import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readRepositories, repositoryUsage, suggestRepositories, type Repository } from '../../electron/core/repositories.js';
import { FakeClock } from '../fake-artifactory/clock.js';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import { testArtikey, type TestArtikey } from '../support/artikey.js';
import { logInAs } from '../support/browser-login.js';

describe('repositories from the server', () => {
  let fake: FakeArtifactory;
  let t: TestArtikey;
  beforeAll(async () => {
    fake = await startFakeArtifactory({ clock: new FakeClock({ frozen: true }) });
  });
  afterAll(() => fake.stop());
  afterEach(async () => {
    fake.config.repositoryListForbidden = false;
    for (const instance of await t.artikey.list()) await t.vault.erase(instance.id);
    t.cleanup();
  });

  it("lists an instance's repositories of a tool's package type with its token: virtual, remote, local, with descriptions", async () => {
    t = testArtikey(fake);
    const { instance } = await logInAs(t.artikey, fake, DEMO_USER.name);
    const listing = await t.artikey.repositories(instance.id, 'npm');
    expect(listing).toEqual({
      status: 'listed',
      packageType: 'npm',
      remembered: null,
      repositories: [
        { key: 'npm-virtual', rclass: 'virtual', description: 'npm-local and npm-remote' },
        { key: 'npm-remote', rclass: 'remote', description: 'Proxy of registry.npmjs.org' },
        { key: 'npm-local', rclass: 'local', description: 'npm packages published here' },
      ],
    });
    expect(await t.artikey.repositories(instance.id, 'pip')).toMatchObject({ status: 'listed', packageType: 'pypi' });
    const asked = fake.requests.list({ path: '/artifactory/api/repositories' });
    expect(asked.at(-1)).toMatchObject({ scheme: 'Bearer', query: '?packageType=pypi', status: 200 });
  });

  it('twine uploads, so its list offers local repositories first, then virtual ones, and leaves out remote ones, which take no upload', async () => {
    t = testArtikey(fake);
    const { instance } = await logInAs(t.artikey, fake, DEMO_USER.name);
    const listing = await t.artikey.repositories(instance.id, 'pypirc');
    expect(listing.status === 'listed' && listing.repositories.map((r) => `${r.key} ${r.rclass}`)).toEqual([
      'pypi-local local',
      'pypi-virtual virtual',
    ]);
    expect(listing.packageType).toBe('pypi');
  });

  it('a 403 is no error: cannot-list with a note, and the choice is remembered per instance in the state file', async () => {
    t = testArtikey(fake);
    const { instance } = await logInAs(t.artikey, fake, DEMO_USER.name);
    fake.config.repositoryListForbidden = true;
    const listing = await t.artikey.repositories(instance.id, 'maven');
    expect(listing).toMatchObject({ status: 'cannot-list', packageType: 'maven', remembered: null });
    expect(listing.status === 'cannot-list' && listing.note).toMatch(/does not let alice list repositories \(403\)/);
    await t.artikey.rememberRepository(instance.id, 'maven', 'libs-release');
    expect(JSON.parse(readFileSync(t.stateFile, 'utf8')).instances[0].chosenRepositories).toEqual({ maven: 'libs-release' });
    expect(await t.artikey.repositories(instance.id, 'maven')).toMatchObject({ remembered: 'libs-release' });
  });

  it('reads both answer shapes, leaves out other package types and classes, and orders virtual first', () => {
    const read = readRepositories(
      [
        { key: 'b-local', type: 'LOCAL', url: 'x', packageType: 'Npm' },
        { key: 'a-fed', type: 'FEDERATED', packageType: 'npm' },
        { key: 'npm', rclass: 'virtual', packageType: 'npm', description: '' },
        { key: 'up', type: 'REMOTE', packageType: 'NPM', description: 'Proxy' },
        { key: 'docker-local', type: 'LOCAL', packageType: 'Docker' },
        { key: 'bundles', type: 'DISTRIBUTION', packageType: 'npm' },
        { key: '../evil', type: 'LOCAL', packageType: 'npm' },
        'junk',
      ],
      'npm',
    );
    expect(read).toEqual([
      { key: 'npm', rclass: 'virtual', description: null },
      { key: 'up', rclass: 'remote', description: 'Proxy' },
      { key: 'b-local', rclass: 'local', description: null },
      { key: 'a-fed', rclass: 'federated', description: null },
    ]);
  });

  it('a description from the server cannot drive the terminal: control characters are taken out, and it is cut short', () => {
    const [read] = readRepositories([{ key: 'npm', type: 'VIRTUAL', packageType: 'npm', description: `ok\u001b]0;owned\u0007\u001b[2J\r\nnext ${'x'.repeat(300)}` }], 'npm');
    expect(read?.description).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(read?.description?.startsWith('ok ]0;owned [2J next')).toBe(true);
    expect(read?.description?.length).toBeLessThanOrEqual(120);
  });

  it('suggests near misses: another case first, then prefixes, then typing slips; nothing for a stranger', () => {
    const repos: Repository[] = ['npm-virtual', 'npm-remote', 'npm-local', 'NPM-Team'].map((key) => ({ key, rclass: 'local', description: null }));
    expect(suggestRepositories('npm-team', repos)).toEqual(['NPM-Team']);
    expect(suggestRepositories('npm-virtaul', repos)).toEqual(['npm-virtual']);
    expect(suggestRepositories('npm-virt', repos)[0]).toBe('npm-virtual');
    expect(suggestRepositories('libs-release', repos)).toEqual([]);
  });

  it('says how a Docker repository is pulled: after the host (repository path), or by its own subdomain host where one was added', () => {
    const helper = { kind: 'docker-helper', path: '/h/.docker/config.json' } as const;
    expect(repositoryUsage({ ...helper, hosts: ['acme.jfrog.io'] }, 'docker-virtual')?.line).toBe('docker pull acme.jfrog.io/docker-virtual/<image>:<tag>');
    expect(repositoryUsage({ ...helper, hosts: ['arti.corp', 'docker-local.arti.corp'] }, 'docker-local')?.line).toBe('docker pull docker-local.arti.corp/<image>:<tag>');
    expect(repositoryUsage({ ...helper, hosts: ['arti.corp', 'docker-local.arti.corp'] }, 'docker-remote')?.line).toBe('docker pull arti.corp/docker-remote/<image>:<tag>');
    expect(repositoryUsage({ kind: 'pip', path: '/h/pip.conf', indexUrl: 'http://x/simple/' }, 'pypi-virtual')).toBeNull();
  });
});
