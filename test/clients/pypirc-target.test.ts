import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { fixtures } from '../fake-artifactory/fixtures.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import { ensureBuilt, root } from '../support/built.js';
import {
  artikeyEnv,
  requireClient,
  runClient,
  scratchHome,
  type ClientRun,
} from '../support/clients.js';

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
    let fake: FakeArtifactory;
    let scratch: ReturnType<typeof scratchHome>;
    let env: NodeJS.ProcessEnv;
    const original =
      '# my uploads\n[distutils]\nindex-servers =\n    pypi\n    corp\n\n[corp]\nrepository = https://corp.example.invalid/upload\nusername = me\n';
    const pypirc = (): string => join(scratch.home, '.pypirc');

    const artikey = (args: string[], input = ''): Promise<ClientRun> =>
      runClient(process.execPath, [`${root}dist/cli/artikey.js`, ...args], { env, input });
    const ok = (run: ClientRun): ClientRun => {
      expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
      return run;
    };
    const current = async (): Promise<string> => ok(await artikey(['token', 'demo'])).stdout.trim();
    const upload = (): Promise<ClientRun> => {
      const { wheel, wheelName } = fixtures().pypi;
      const dist = join(scratch.home, 'dist', wheelName);
      mkdirSync(join(scratch.home, 'dist'), { recursive: true });
      writeFileSync(dist, wheel);
      return runClient(
        'twine',
        ['upload', '--non-interactive', '--disable-progress-bar', '-r', 'demo', dist],
        { env: { ...scratch.env, NO_COLOR: '1' } },
      );
    };
    /** [user, which token, status] of each upload the fake saw. */
    const uploads = (token: string): [string | null, string | null, number][] =>
      fake.requests
        .list({ path: '/artifactory/api/pypi/pypi-local' })
        .filter((r) => r.method === 'POST')
        .map((r) => [
          r.user,
          r.secret === fake.fingerprint(token) ? 'current' : r.secret,
          r.status,
        ]);

    beforeAll(async () => {
      requireClient('twine');
      ensureBuilt();
      fake = await startFakeArtifactory();
      scratch = scratchHome();
      env = artikeyEnv(scratch);
      writeFileSync(pypirc(), original);
      ok(
        await artikey(
          ['login', fake.url, '--token', '--name=demo'],
          fake.issueToken({ username: DEMO_USER.name, expiresIn: 3600 }).jwt,
        ),
      );
    });
    afterAll(async () => {
      await artikey(['logout', 'demo']);
      await fake.stop();
      scratch.cleanup();
    });
    beforeEach(() => fake.requests.clear());

    it('configure pypirc writes the section; twine uploads with the current token', async () => {
      const configured = JSON.parse(
        ok(await artikey(['configure', 'pypirc', 'demo', '--repo', 'pypi-local', '--json'])).stdout,
      ) as { changed: boolean; target: { section: string; repositoryUrl: string } };
      expect(configured).toMatchObject({
        changed: true,
        target: { section: 'demo', repositoryUrl: `${fake.url}/artifactory/api/pypi/pypi-local` },
      });
      const token = await current();
      expect(readFileSync(pypirc(), 'utf8')).toBe(
        original.replace('    corp\n', '    corp\n    demo\n') +
          `[demo]\nrepository = ${fake.url}/artifactory/api/pypi/pypi-local\nusername = ${DEMO_USER.name}\npassword = ${token}\n`,
      );
      ok(await upload());
      expect(uploads(token)).toEqual([[DEMO_USER.name, 'current', 200]]);
    });

    it('refresh rewrites the password with the new token, the old one is dead, and twine still uploads', async () => {
      const before = await current();
      ok(await artikey(['refresh', 'demo']));
      const after = await current();
      expect(after).not.toBe(before);
      const text = readFileSync(pypirc(), 'utf8');
      expect(text).toContain(`password = ${after}\n`);
      expect(text).not.toContain(before);
      expect(fake.tokens.lookup(before)).toMatchObject({ ok: false });
      ok(await upload());
      expect(uploads(after)).toEqual([[DEMO_USER.name, 'current', 200]]);
    });

    it("logout gives back the person's .pypirc byte for byte, and twine has no credentials for the section", async () => {
      ok(await artikey(['logout', 'demo']));
      expect(readFileSync(pypirc(), 'utf8')).toBe(original);
      const run = await upload();
      expect(run.code).not.toBe(0);
      expect(run.stdout + run.stderr).toMatch(/demo/);
      expect(fake.requests.list({ path: '/artifactory/api/pypi/pypi-local' })).toEqual([]);
    });
  },
);
