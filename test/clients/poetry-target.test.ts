import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { fixtures } from '../fake-artifactory/fixtures.js';
import { startBuiltCli, succeeded, type BuiltCli } from '../support/built-cli.js';
import { requireClient, runClient, type ClientRun } from '../support/clients.js';

/**
 * `artikey configure poetry`, driven through the built CLI and read by the real Poetry (Debian's
 * 1.3.2): `poetry publish -r demo` uploads with the token in auth.toml, again after a refresh, and
 * after logout both files are back byte for byte and Poetry has no repository of that name. The
 * null keyring stands for "no keyring", where Poetry reads auth.toml's password, as it does
 * whenever auth.toml holds one.
 */
describe(
  'Poetry reads the repository and credentials Artikey writes, through refresh and logout',
  { timeout: 300_000 },
  () => {
    let cli: BuiltCli;
    const config = '# mine\n[virtualenvs]\ncreate = false\n';
    const auth = '[http-basic.corp]\nusername = "me"\n';
    const dir = (): string => join(cli.scratch.home, '.config', 'pypoetry');

    const publish = (): Promise<ClientRun> => {
      const project = join(cli.scratch.home, 'publish');
      mkdirSync(join(project, 'dist'), { recursive: true });
      writeFileSync(
        join(project, 'pyproject.toml'),
        '[tool.poetry]\nname = "fakepkg"\nversion = "1.0"\ndescription = ""\nauthors = ["alice <alice@example.invalid>"]\n\n[tool.poetry.dependencies]\npython = "^3.7"\n',
      );
      const { wheel, wheelName } = fixtures().pypi;
      writeFileSync(join(project, 'dist', wheelName), wheel);
      return runClient('poetry', ['publish', '-r', 'demo', '--no-interaction'], {
        env: {
          ...cli.scratch.env,
          NO_COLOR: '1',
          PYTHON_KEYRING_BACKEND: 'keyring.backends.null.Keyring',
        },
        cwd: project,
        timeoutMs: 120_000,
      });
    };
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
      requireClient('poetry');
      cli = await startBuiltCli();
      mkdirSync(dir(), { recursive: true });
      writeFileSync(join(dir(), 'config.toml'), config);
      writeFileSync(join(dir(), 'auth.toml'), auth);
      await cli.login('token');
    });
    afterAll(() => cli.stop());
    beforeEach(() => cli.fake.requests.clear());

    it('configure poetry writes the repository and the credentials; poetry publish uploads with the current token', async () => {
      const run = succeeded(await cli.artikey(['configure', 'poetry', 'demo', '--repo', 'pypi-local']));
      expect(run.stdout).toContain('[repositories.demo]');
      expect(run.stdout).toContain('[http-basic.demo]');
      const token = await cli.token();
      expect(readFileSync(join(dir(), 'config.toml'), 'utf8')).toBe(
        `${config}[repositories.demo]\nurl = "${cli.fake.url}/artifactory/api/pypi/pypi-local"\n`,
      );
      expect(readFileSync(join(dir(), 'auth.toml'), 'utf8')).toContain(`password = "${token}"`);
      succeeded(await publish());
      expect(uploads(token)).toEqual([[DEMO_USER.name, 'current', 200]]);
    });

    it('refresh rewrites the password in auth.toml, the old token is dead, and Poetry still publishes', async () => {
      const { old: before, renewed: after } = await cli.refresh();
      const text = readFileSync(join(dir(), 'auth.toml'), 'utf8');
      expect(text).toContain(`password = "${after}"`);
      expect(text).not.toContain(before);
      succeeded(await publish());
      expect(uploads(after)).toEqual([[DEMO_USER.name, 'current', 200]]);
    });

    it('logout gives back both files byte for byte, and Poetry no longer knows the repository', async () => {
      succeeded(await cli.artikey(['logout', 'demo']));
      expect(readFileSync(join(dir(), 'config.toml'), 'utf8')).toBe(config);
      expect(readFileSync(join(dir(), 'auth.toml'), 'utf8')).toBe(auth);
      const run = await publish();
      expect(run.code).not.toBe(0);
      expect(run.stdout + run.stderr).toMatch(/demo/);
      expect(cli.fake.requests.list({ path: '/artifactory/api/pypi/pypi-local' })).toEqual([]);
    });
  },
);
