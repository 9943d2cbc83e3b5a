import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { fixtures } from '../fake-artifactory/fixtures.js';
import { startBuiltCli, succeeded, type BuiltCli } from '../support/built-cli.js';
import { requireClient, runClient, type ClientRun } from '../support/clients.js';

/**
 * `artikey configure pypirc`, driven through the built CLI and read by the real twine (Debian's
 * 4.0.2): it uploads with the token Artikey wrote, again after a refresh (the file then holds the
 * new token and the old one is dead on the server), and after logout the person's .pypirc is back
 * byte for byte and twine has no credentials for the section any more.
 */
describe(
  'twine reads the .pypirc section Artikey writes, through refresh and logout',
  { timeout: 240_000 },
  () => {
    let cli: BuiltCli;
    const original =
      '# my uploads\n[distutils]\nindex-servers =\n    pypi\n    corp\n\n[corp]\nrepository = https://corp.example.invalid/upload\nusername = me\n';
    const pypirc = (): string => join(cli.scratch.home, '.pypirc');
    const upload = (): Promise<ClientRun> => {
      const { wheel, wheelName } = fixtures().pypi;
      const dist = join(cli.scratch.home, 'dist', wheelName);
      mkdirSync(join(cli.scratch.home, 'dist'), { recursive: true });
      writeFileSync(dist, wheel);
      return runClient(
        'twine',
        ['upload', '--non-interactive', '--disable-progress-bar', '-r', 'demo', dist],
        { env: { ...cli.scratch.env, NO_COLOR: '1' } },
      );
    };
    /** [user, which token, status] of each upload the fake saw. */
    const uploads = (token: string): [string | null, string | null, number][] =>
      cli.fake.requests
        .list({ path: '/artifactory/api/pypi/pypi-local' })
        .filter((r) => r.method === 'POST')
        .map((r) => [
          r.user,
          r.secret === cli.fake.fingerprint(token) ? 'current' : r.secret,
          r.status,
        ]);

    beforeAll(async () => {
      requireClient('twine');
      cli = await startBuiltCli();
      writeFileSync(pypirc(), original);
      await cli.login('token');
    });
    afterAll(() => cli.stop());
    beforeEach(() => cli.fake.requests.clear());

    it('configure pypirc writes the section; twine uploads with the current token', async () => {
      const configured = JSON.parse(
        succeeded(await cli.artikey(['configure', 'pypirc', 'demo', '--repo', 'pypi-local', '--json'])).stdout,
      ) as { changed: boolean; target: { section: string; repositoryUrl: string } };
      expect(configured).toMatchObject({
        changed: true,
        target: { section: 'demo', repositoryUrl: `${cli.fake.url}/artifactory/api/pypi/pypi-local` },
      });
      const token = await cli.token();
      expect(readFileSync(pypirc(), 'utf8')).toBe(
        original.replace('    corp\n', '    corp\n    demo\n') +
          `[demo]\nrepository = ${cli.fake.url}/artifactory/api/pypi/pypi-local\nusername = ${DEMO_USER.name}\npassword = ${token}\n`,
      );
      succeeded(await upload());
      expect(uploads(token)).toEqual([[DEMO_USER.name, 'current', 200]]);
    });

    it('refresh rewrites the password with the new token, the old one is dead, and twine still uploads', async () => {
      const { old: before, renewed: after } = await cli.refresh();
      const text = readFileSync(pypirc(), 'utf8');
      expect(text).toContain(`password = ${after}\n`);
      expect(text).not.toContain(before);
      succeeded(await upload());
      expect(uploads(after)).toEqual([[DEMO_USER.name, 'current', 200]]);
    });

    it("logout gives back the person's .pypirc byte for byte, and twine has no credentials for the section", async () => {
      succeeded(await cli.artikey(['logout', 'demo']));
      expect(readFileSync(pypirc(), 'utf8')).toBe(original);
      const run = await upload();
      expect(run.code).not.toBe(0);
      expect(run.stdout + run.stderr).toMatch(/demo/);
      expect(cli.fake.requests.list({ path: '/artifactory/api/pypi/pypi-local' })).toEqual([]);
    });
  },
);
