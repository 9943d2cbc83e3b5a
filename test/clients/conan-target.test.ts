import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { startBuiltCli, succeeded, type BuiltCli } from '../support/built-cli.js';

/**
 * The built `artikey configure conan` against the fake. No conan runs here (it installs from
 * PyPI, which is out of reach), so the files are read as Conan 2 reads them (shapes checked in
 * test/targets/conan-target.test.ts) and the credentials are sent as Conan sends them when the
 * server asks it to log in: Basic user:password. They work, a refresh rewrites the password and
 * revokes the old token, and logout gives the person's remotes.json back byte for byte.
 */

const REMOTES = `{\n "remotes": [\n  {\n   "name": "conancenter",\n   "url": "https://center2.conan.io",\n   "verify_ssl": true\n  }\n ]\n}`;

describe('artikey configure conan, read as Conan 2 reads it', { timeout: 120_000 }, () => {
  let cli: BuiltCli;
  let home: string;

  const credentials = (): { remote: string; user: string; password: string }[] =>
    (
      JSON.parse(readFileSync(join(home, 'credentials.json'), 'utf8')) as {
        credentials: { remote: string; user: string; password: string }[];
      }
    ).credentials;
  /** What Conan does on the server's 401: Basic user:password for the remote. */
  const asConan = async (entry: { user: string; password: string } | undefined): Promise<number> =>
    (
      await fetch(`${cli.fake.url}/artifactory/api/repositories`, {
        headers: {
          Authorization: `Basic ${Buffer.from(`${entry?.user}:${entry?.password}`).toString('base64')}`,
        },
      })
    ).status;

  beforeAll(async () => {
    cli = await startBuiltCli({
      fake: { config: { allowBasicAuthTokenCreation: true } },
      env: (home) => ({ CONAN_HOME: join(home, 'conan-home') }),
    });
    home = cli.env.CONAN_HOME!;
    mkdirSync(home);
    writeFileSync(join(home, 'remotes.json'), REMOTES);
    await cli.login('password');
  });
  afterAll(() => cli.stop());

  it('configure checks the repository, writes the remote and its credentials, and they work', async () => {
    const wrong = await cli.artikey(['configure', 'conan', cli.instance, '--repo', 'conan-lokal']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('Did you mean --repo conan-local?');
    const run = succeeded(
      await cli.artikey([
        'configure',
        'conan',
        cli.instance,
        '--repo',
        'conan-local',
        '--name',
        'acme',
        '--json',
      ]),
    );
    const url = `${cli.fake.url}/artifactory/api/conan/conan-local`;
    expect(JSON.parse(run.stdout)).toMatchObject({
      changed: true,
      target: { kind: 'conan', remoteName: 'acme', url },
    });
    expect(readFileSync(join(home, 'remotes.json'), 'utf8')).toContain(
      `"name": "acme",\n   "url": "${url}",\n   "verify_ssl": true`,
    );
    expect(credentials()).toEqual([
      { remote: 'acme', user: DEMO_USER.name, password: await cli.token() },
    ]);
    expect(await asConan(credentials()[0])).toBe(200);
  });

  it('refresh rewrites the password, the old token is revoked, and the new one works', async () => {
    const [before] = credentials();
    const { renewed } = await cli.refresh(() => credentials()[0]!.password);
    const [after] = credentials();
    expect(renewed).toBe(await cli.token());
    expect(await asConan(before)).toBe(401);
    expect(await asConan(after)).toBe(200);
  });

  it('logout gives remotes.json back byte for byte and removes credentials.json, which it created', async () => {
    const [last] = credentials();
    succeeded(await cli.artikey(['logout', cli.instance]));
    expect(readFileSync(join(home, 'remotes.json'), 'utf8')).toBe(REMOTES);
    expect(existsSync(join(home, 'credentials.json'))).toBe(false);
    expect(await asConan(last)).toBe(401);
  });
});
