import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import { sourceCli, type CliRunOptions, type SourceCli } from '../support/source-cli.js';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

/**
 * The CLI, as a real process: a CA bundle named relative to where it ran is stored as the file
 * it meant (a later refresh from elsewhere still finds it), and a password or token that would
 * cross the network in clear is called out before and after the login.
 */
// A hang guard, not a speed target: each test runs several CLI processes compiled from source, which took over 30 s on a busy machine.
describe('artikey login: CA bundles by path, and plain HTTP to another machine', { timeout: 120_000 }, () => {
  let fake: FakeArtifactory;
  let artikey: SourceCli;
  let home: string;
  const cli = (args: string[], options: CliRunOptions = {}) => artikey.run(args, options);
  const savedCaFile = (): unknown =>
    (
      JSON.parse(readFileSync(join(home, '.config', 'artikey', 'state.json'), 'utf8')) as {
        instances: { caFile: string | null }[];
      }
    ).instances[0]?.caFile;

  beforeAll(async () => {
    fake = await startFakeArtifactory({ approveBrowserLoginsAs: DEMO_USER.name });
    artikey = sourceCli({ prefix: 'artikey-cli-trust-' });
    home = artikey.home;
  });
  afterAll(async () => {
    await cli(['logout', fake.host]);
    await cli(['logout', 'artifactory.example.test']);
    await fake.stop();
    artikey.cleanup();
  });

  it('stores a relative --ca-file as an absolute path, and refuses one that is not PEM', async () => {
    const project = join(home, 'project');
    mkdirSync(join(project, 'certs'), { recursive: true });
    writeFileSync(join(project, 'certs', 'not-pem.txt'), 'hello');
    const login = (caFile: string) =>
      cli(['login', fake.url, '--no-browser', '--ca-file', caFile], { cwd: project });

    const refused = await login('certs/not-pem.txt');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      `The CA bundle ${join(project, 'certs', 'not-pem.txt')} holds no PEM certificate`,
    );

    writeFileSync(join(project, 'certs', 'corp-ca.pem'), PEM, { mode: 0o644 });
    expect((await login('certs/corp-ca.pem')).code).toBe(0);
    expect(savedCaFile()).toBe(join(project, 'certs', 'corp-ca.pem'));
    // From anywhere else, the bundle is still found.
    expect(await cli(['refresh', fake.host], { cwd: tmpdir() })).toMatchObject({ code: 0 });
  });

  it('warns about a password sent over plain http:// to another machine, and says so in status and list', async () => {
    // The address is not loopback, but the fake answers as the proxy: nothing leaves this machine.
    const remote = `http://artifactory.example.test:${fake.port}`;
    const proxied = { HTTP_PROXY: fake.url };
    // A permissive server (token generation via the API with Basic enabled): the warning is about the password.
    fake.config.allowBasicAuthTokenCreation = true;
    onTestFinished(() => {
      fake.config.allowBasicAuthTokenCreation = false;
    });
    const login = await cli(['login', remote, '--user', DEMO_USER.name, '--password-stdin'], {
      input: `${DEMO_USER.password}\n`,
      env: proxied,
    });
    expect(login.code).toBe(0);
    expect(login.stderr).toMatch(/warning: .*your password .*plain http:\/\//i);
    expect(login.stderr).toContain(
      `note: artifactory.example.test:${fake.port} is reached over plain http://`,
    );

    const status = await cli(['status', remote], { env: proxied });
    expect(status.stderr).toBe('');
    expect(status.stdout).toMatch(
      /Warning:\s+artifactory\.example\.test:\d+ is reached over plain http:\/\//,
    );
    const list = await cli(['list'], { env: proxied });
    expect(list.stdout).toMatch(/artifactory\.example\.test:\d+ is reached over plain http:\/\//);

    // A loopback address is this machine: no warning.
    const local = await cli(['login', fake.url, '--user', DEMO_USER.name, '--password-stdin'], {
      input: `${DEMO_USER.password}\n`,
    });
    expect(local.stderr).not.toMatch(/plain http/);
  });
});
