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
    let fake: FakeArtifactory;
    let scratch: ReturnType<typeof scratchHome>;
    let env: NodeJS.ProcessEnv;
    const config = '# mine\n[virtualenvs]\ncreate = false\n';
    const auth = '[http-basic.corp]\nusername = "me"\n';
    const dir = (): string => join(scratch.home, '.config', 'pypoetry');

    const artikey = (args: string[], input = ''): Promise<ClientRun> =>
      runClient(process.execPath, [`${root}dist/cli/artikey.js`, ...args], { env, input });
    const ok = (run: ClientRun): ClientRun => {
      expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
      return run;
    };
    const current = async (): Promise<string> => ok(await artikey(['token', 'demo'])).stdout.trim();
    const publish = (): Promise<ClientRun> => {
      const project = join(scratch.home, 'publish');
      mkdirSync(join(project, 'dist'), { recursive: true });
      writeFileSync(
        join(project, 'pyproject.toml'),
        '[tool.poetry]\nname = "fakepkg"\nversion = "1.0"\ndescription = ""\nauthors = ["alice <alice@example.invalid>"]\n\n[tool.poetry.dependencies]\npython = "^3.7"\n',
      );
      const { wheel, wheelName } = fixtures().pypi;
      writeFileSync(join(project, 'dist', wheelName), wheel);
      return runClient('poetry', ['publish', '-r', 'demo', '--no-interaction'], {
        env: {
          ...scratch.env,
          NO_COLOR: '1',
          PYTHON_KEYRING_BACKEND: 'keyring.backends.null.Keyring',
        },
        cwd: project,
        timeoutMs: 120_000,
      });
    };
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
      requireClient('poetry');
      ensureBuilt();
      fake = await startFakeArtifactory();
      scratch = scratchHome();
      env = artikeyEnv(scratch);
      mkdirSync(dir(), { recursive: true });
      writeFileSync(join(dir(), 'config.toml'), config);
      writeFileSync(join(dir(), 'auth.toml'), auth);
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

    it('configure poetry writes the repository and the credentials; poetry publish uploads with the current token', async () => {
      const run = ok(await artikey(['configure', 'poetry', 'demo', '--repo', 'pypi-local']));
      expect(run.stdout).toContain('[repositories.demo]');
      expect(run.stdout).toContain('[http-basic.demo]');
      const token = await current();
      expect(readFileSync(join(dir(), 'config.toml'), 'utf8')).toBe(
        `${config}[repositories.demo]\nurl = "${fake.url}/artifactory/api/pypi/pypi-local"\n`,
      );
      expect(readFileSync(join(dir(), 'auth.toml'), 'utf8')).toContain(`password = "${token}"`);
      ok(await publish());
      expect(uploads(token)).toEqual([[DEMO_USER.name, 'current', 200]]);
    });

    it('refresh rewrites the password in auth.toml, the old token is dead, and Poetry still publishes', async () => {
      const before = await current();
      ok(await artikey(['refresh', 'demo']));
      const after = await current();
      expect(after).not.toBe(before);
      const text = readFileSync(join(dir(), 'auth.toml'), 'utf8');
      expect(text).toContain(`password = "${after}"`);
      expect(text).not.toContain(before);
      expect(fake.tokens.lookup(before)).toMatchObject({ ok: false });
      ok(await publish());
      expect(uploads(after)).toEqual([[DEMO_USER.name, 'current', 200]]);
    });

    it('logout gives back both files byte for byte, and Poetry no longer knows the repository', async () => {
      ok(await artikey(['logout', 'demo']));
      expect(readFileSync(join(dir(), 'config.toml'), 'utf8')).toBe(config);
      expect(readFileSync(join(dir(), 'auth.toml'), 'utf8')).toBe(auth);
      const run = await publish();
      expect(run.code).not.toBe(0);
      expect(run.stdout + run.stderr).toMatch(/demo/);
      expect(fake.requests.list({ path: '/artifactory/api/pypi/pypi-local' })).toEqual([]);
    });
  },
);
