import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import { ensureBuilt, root } from '../support/built.js';
import { artikeyEnv, runClient, scratchHome, type ClientRun } from '../support/clients.js';

/**
 * The built `artikey configure conan` against the fake. No conan runs here (it installs from
 * PyPI, which is out of reach), so the files are read as Conan 2 reads them (shapes checked in
 * test/targets/conan-target.test.ts) and the credentials are sent as Conan sends them when the
 * server asks it to log in: Basic user:password. They work, a refresh rewrites the password and
 * revokes the old token, and logout gives the person's remotes.json back byte for byte.
 */
const cli = `${root}dist/cli/artikey.js`;

const REMOTES = `{\n "remotes": [\n  {\n   "name": "conancenter",\n   "url": "https://center2.conan.io",\n   "verify_ssl": true\n  }\n ]\n}`;

describe('artikey configure conan, read as Conan 2 reads it', { timeout: 120_000 }, () => {
  let fake: FakeArtifactory;
  let scratch: ReturnType<typeof scratchHome>;
  let env: NodeJS.ProcessEnv;
  let home: string;
  let id: string;

  const artikey = (args: string[], input = ''): Promise<ClientRun> =>
    runClient(process.execPath, [cli, ...args], { env, input });
  const ok = (run: ClientRun): ClientRun => {
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    return run;
  };
  const token = async (): Promise<string> => ok(await artikey(['token', id])).stdout.trim();
  const credentials = (): { remote: string; user: string; password: string }[] =>
    (
      JSON.parse(readFileSync(join(home, 'credentials.json'), 'utf8')) as {
        credentials: { remote: string; user: string; password: string }[];
      }
    ).credentials;
  /** What Conan does on the server's 401: Basic user:password for the remote. */
  const asConan = async (entry: { user: string; password: string } | undefined): Promise<number> =>
    (
      await fetch(`${fake.url}/artifactory/api/repositories`, {
        headers: {
          Authorization: `Basic ${Buffer.from(`${entry?.user}:${entry?.password}`).toString('base64')}`,
        },
      })
    ).status;

  beforeAll(async () => {
    ensureBuilt();
    fake = await startFakeArtifactory({ config: { allowBasicAuthTokenCreation: true } });
    scratch = scratchHome();
    home = join(scratch.home, 'conan-home');
    mkdirSync(home);
    env = { ...artikeyEnv(scratch), CONAN_HOME: home };
    writeFileSync(join(home, 'remotes.json'), REMOTES);
    const login = ok(
      await artikey(
        ['login', fake.url, '--user', DEMO_USER.name, '--password-stdin', '--name=acme', '--json'],
        DEMO_USER.password,
      ),
    );
    id = (JSON.parse(login.stdout) as { instance: { id: string } }).instance.id;
  });
  afterAll(async () => {
    scratch.cleanup();
    await fake.stop();
  });

  it('configure checks the repository, writes the remote and its credentials, and they work', async () => {
    const wrong = await artikey(['configure', 'conan', id, '--repo', 'conan-lokal']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('Did you mean --repo conan-local?');
    const run = ok(
      await artikey([
        'configure',
        'conan',
        id,
        '--repo',
        'conan-local',
        '--name',
        'acme',
        '--json',
      ]),
    );
    const url = `${fake.url}/artifactory/api/conan/conan-local`;
    expect(JSON.parse(run.stdout)).toMatchObject({
      changed: true,
      target: { kind: 'conan', remoteName: 'acme', url },
    });
    expect(readFileSync(join(home, 'remotes.json'), 'utf8')).toContain(
      `"name": "acme",\n   "url": "${url}",\n   "verify_ssl": true`,
    );
    expect(credentials()).toEqual([
      { remote: 'acme', user: DEMO_USER.name, password: await token() },
    ]);
    expect(await asConan(credentials()[0])).toBe(200);
  });

  it('refresh rewrites the password, the old token is revoked, and the new one works', async () => {
    const [before] = credentials();
    ok(await artikey(['refresh', id]));
    const [after] = credentials();
    expect(after?.password).toBe(await token());
    expect(fake.tokens.lookup(before!.password)).toMatchObject({ ok: false, reason: 'revoked' });
    expect(await asConan(before)).toBe(401);
    expect(await asConan(after)).toBe(200);
  });

  it('logout gives remotes.json back byte for byte and removes credentials.json, which it created', async () => {
    const [last] = credentials();
    ok(await artikey(['logout', id]));
    expect(readFileSync(join(home, 'remotes.json'), 'utf8')).toBe(REMOTES);
    expect(existsSync(join(home, 'credentials.json'))).toBe(false);
    expect(await asConan(last)).toBe(401);
  });
});
