import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { startBuiltCli, succeeded, type BuiltCli } from '../support/built-cli.js';
import { requireClient, runClient, type ClientRun } from '../support/clients.js';

/**
 * The built `artikey configure go` read by the real go command (Debian's 1.19): GOPROXY in the Go
 * env file, the token in the .netrc entry of the proxy's host. Go sends .netrc credentials only
 * over https, so the fake serves TLS and both artikey (--ca-file) and go (SSL_CERT_FILE) trust its
 * CA. go downloads a module with the token, into a fresh module cache each time; after `artikey
 * refresh` the .netrc holds the new token, the old one is revoked and go still downloads; after
 * `artikey logout` both files are the person's own bytes again and go, sent to the same proxy,
 * gets a 401.
 */
const MODULE = '/artifactory/api/go/go-virtual/example.com/artikey/demo/@v/';

describe('artikey configure go, read by the real go command', { timeout: 300_000 }, () => {
  let cli: BuiltCli;
  let envFile: string;
  let netrcFile: string;
  // The person's own settings: another proxy list, a comment, a .netrc entry of another host.
  const envBefore = '# my Go settings\nGOPROXY=https://proxy.golang.org,direct\nGOFLAGS=-mod=mod\n';
  const netrcBefore = 'machine github.com\n  login me\n  password mine\n';

  /** `go mod download` of the fake's module, with nothing cached from an earlier run. */
  const download = (extra: NodeJS.ProcessEnv = {}): Promise<ClientRun> =>
    runClient('go', ['mod', 'download', '-json', 'example.com/artikey/demo@v1.0.0'], {
      env: {
        ...cli.env,
        SSL_CERT_FILE: cli.caFile,
        GOMODCACHE: mkdtempSync(join(cli.scratch.home, 'modcache-')),
        // Lets the test's cleanup delete the module cache go makes read-only.
        GOFLAGS: '-modcacherw',
        ...extra,
      },
      cwd: cli.scratch.home,
      timeoutMs: 120_000,
    });
  /** [scheme, user, token is `secret`, status] of each request for the module's files. */
  const seen = (secret: string): [string | null, string | null, boolean, number][] =>
    cli.fake.requests
      .list({ path: new RegExp(`^${MODULE}`) })
      .map((r) => [r.scheme, r.user, r.secret === cli.fake.fingerprint(secret), r.status]);

  beforeAll(async () => {
    requireClient('go');
    cli = await startBuiltCli({ fake: { tls: true, config: { allowBasicAuthTokenCreation: true } } });
    // artikeyEnv sets XDG_CONFIG_HOME, where `go env GOENV` looks.
    envFile = join(cli.scratch.home, '.config', 'go', 'env');
    netrcFile = join(cli.scratch.home, '.netrc');
    mkdirSync(dirname(envFile), { recursive: true });
    writeFileSync(envFile, envBefore);
    writeFileSync(netrcFile, netrcBefore, { mode: 0o600 });
    await cli.login('password');
  });
  afterAll(() => cli.stop());

  it("refuses a repository that is not among the server's Go repositories, and GOENV=off, changing nothing", async () => {
    const typo = await cli.artikey(['configure', 'go', cli.instance, '--repo', 'go-virtul']);
    expect(typo.code).not.toBe(0);
    expect(typo.stderr).toContain('"go-virtul" is not among the go repositories');
    expect(typo.stderr).toContain('Did you mean --repo go-virtual?');
    const off = await cli.artikey(['configure', 'go', cli.instance, '--repo', 'go-virtual'], {
      env: { GOENV: 'off' },
    });
    expect(off.code).not.toBe(0);
    expect(off.stderr).toContain(
      'GOENV=off turns the Go env file off; unset GOENV or pass --file <path>',
    );
    expect(readFileSync(envFile, 'utf8')).toBe(envBefore);
    expect(readFileSync(netrcFile, 'utf8')).toBe(netrcBefore);
  });

  it('configure writes GOPROXY and the .netrc entry, and go downloads the module with the token', async () => {
    const proxy = `${cli.fake.url}/artifactory/api/go/go-virtual`;
    const run = succeeded(
      await cli.artikey(['configure', 'go', cli.instance, '--repo', 'go-virtual', '--nosumdb', 'example.com']),
    );
    expect(run.stdout).toContain(
      `Configured Go: GOPROXY=${proxy} GONOSUMDB=example.com in ${envFile}, its credentials in ${netrcFile}. Artikey rewrites it on every refresh and removes it on logout.`,
    );
    expect(readFileSync(envFile, 'utf8')).toBe(
      `# my Go settings\nGOPROXY=${proxy}\nGOFLAGS=-mod=mod\nGONOSUMDB=example.com\n`,
    );
    const current = await cli.token();
    expect(readFileSync(netrcFile, 'utf8')).toBe(
      `${netrcBefore}machine 127.0.0.1\n  login ${DEMO_USER.name}\n  password ${current}\n`,
    );
    const go = succeeded(await runClient('go', ['env', 'GOPROXY', 'GONOSUMDB'], { env: cli.env }));
    expect(go.stdout).toBe(`${proxy}\nexample.com\n`);
    cli.fake.requests.clear();
    const fetched = succeeded(await download());
    expect(JSON.parse(fetched.stdout)).toMatchObject({ Version: 'v1.0.0' });
    expect(seen(current)).toEqual(
      ['info', 'mod', 'zip'].map(() => ['Basic', DEMO_USER.name, true, 200]),
    );
  });

  it('refresh rewrites the .netrc token, the old one is revoked, and go still downloads', async () => {
    const { renewed } = await cli.refresh();
    expect(readFileSync(netrcFile, 'utf8')).toBe(
      `${netrcBefore}machine 127.0.0.1\n  login ${DEMO_USER.name}\n  password ${renewed}\n`,
    );
    cli.fake.requests.clear();
    succeeded(await download());
    expect(seen(renewed)).toEqual(
      ['info', 'mod', 'zip'].map(() => ['Basic', DEMO_USER.name, true, 200]),
    );
  });

  it("logout gives back the person's env file and .netrc byte for byte, and go has no credentials left", async () => {
    succeeded(await cli.artikey(['logout', cli.instance]));
    expect(readFileSync(envFile, 'utf8')).toBe(envBefore);
    expect(readFileSync(netrcFile, 'utf8')).toBe(netrcBefore);
    cli.fake.requests.clear();
    // The restored GOPROXY is the public proxy; sent to the fake, go has nothing to send it.
    const fetched = await download({
      GOPROXY: `${cli.fake.url}/artifactory/api/go/go-virtual`,
      GONOSUMDB: 'example.com',
    });
    expect(fetched.code).not.toBe(0);
    // With -json, go reports the failure in the module's JSON on stdout.
    expect(fetched.stdout).toContain('401 Unauthorized');
    expect(
      cli.fake.requests.list({ path: new RegExp(`^${MODULE}`) }).map((r) => [r.scheme, r.status]),
    ).toEqual([[null, 401]]);
  });
});
