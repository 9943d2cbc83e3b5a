import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USER } from '../fake-artifactory/directory.js';
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
 * The built `artikey configure go` read by the real go command (Debian's 1.19): GOPROXY in the Go
 * env file, the token in the .netrc entry of the proxy's host. Go sends .netrc credentials only
 * over https, so the fake serves TLS and both artikey (--ca-file) and go (SSL_CERT_FILE) trust its
 * CA. go downloads a module with the token, into a fresh module cache each time; after `artikey
 * refresh` the .netrc holds the new token, the old one is revoked and go still downloads; after
 * `artikey logout` both files are the person's own bytes again and go, sent to the same proxy,
 * gets a 401.
 */
const cli = `${root}dist/cli/artikey.js`;
const MODULE = '/artifactory/api/go/go-virtual/example.com/artikey/demo/@v/';

describe('artikey configure go, read by the real go command', { timeout: 300_000 }, () => {
  let fake: FakeArtifactory;
  let scratch: ReturnType<typeof scratchHome>;
  let env: NodeJS.ProcessEnv;
  let ca: string;
  let id: string;
  let envFile: string;
  let netrcFile: string;
  // The person's own settings: another proxy list, a comment, a .netrc entry of another host.
  const envBefore = '# my Go settings\nGOPROXY=https://proxy.golang.org,direct\nGOFLAGS=-mod=mod\n';
  const netrcBefore = 'machine github.com\n  login me\n  password mine\n';

  const artikey = (args: string[], input = ''): Promise<ClientRun> =>
    runClient(process.execPath, [cli, ...args], { env, input });
  const ok = (run: ClientRun): ClientRun => {
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    return run;
  };
  const token = async (): Promise<string> => ok(await artikey(['token', id])).stdout.trim();
  /** `go mod download` of the fake's module, with nothing cached from an earlier run. */
  const download = (extra: NodeJS.ProcessEnv = {}): Promise<ClientRun> =>
    runClient('go', ['mod', 'download', '-json', 'example.com/artikey/demo@v1.0.0'], {
      env: {
        ...env,
        SSL_CERT_FILE: ca,
        GOMODCACHE: mkdtempSync(join(scratch.home, 'modcache-')),
        // Lets the test's cleanup delete the module cache go makes read-only.
        GOFLAGS: '-modcacherw',
        ...extra,
      },
      cwd: scratch.home,
      timeoutMs: 120_000,
    });
  /** [scheme, user, token is `secret`, status] of each request for the module's files. */
  const seen = (secret: string): [string | null, string | null, boolean, number][] =>
    fake.requests
      .list({ path: new RegExp(`^${MODULE}`) })
      .map((r) => [r.scheme, r.user, r.secret === fake.fingerprint(secret), r.status]);

  beforeAll(async () => {
    requireClient('go');
    ensureBuilt();
    fake = await startFakeArtifactory({ tls: true, config: { allowBasicAuthTokenCreation: true } });
    scratch = scratchHome();
    env = artikeyEnv(scratch);
    // artikeyEnv sets XDG_CONFIG_HOME, where `go env GOENV` looks.
    envFile = join(scratch.home, '.config', 'go', 'env');
    netrcFile = join(scratch.home, '.netrc');
    mkdirSync(dirname(envFile), { recursive: true });
    writeFileSync(envFile, envBefore);
    writeFileSync(netrcFile, netrcBefore, { mode: 0o600 });
    ca = join(scratch.home, 'fake-ca.pem');
    writeFileSync(ca, fake.tls?.caPem ?? '', { mode: 0o600 });
    const login = ok(
      await artikey(
        [
          'login',
          fake.url,
          '--user',
          DEMO_USER.name,
          '--password-stdin',
          '--name=acme',
          '--ca-file',
          ca,
          '--json',
        ],
        DEMO_USER.password,
      ),
    );
    id = (JSON.parse(login.stdout) as { instance: { id: string } }).instance.id;
  });
  afterAll(async () => {
    scratch.cleanup();
    await fake.stop();
  });

  it("refuses a repository that is not among the server's Go repositories, and GOENV=off, changing nothing", async () => {
    const typo = await artikey(['configure', 'go', id, '--repo', 'go-virtul']);
    expect(typo.code).not.toBe(0);
    expect(typo.stderr).toContain('"go-virtul" is not among the go repositories');
    expect(typo.stderr).toContain('Did you mean --repo go-virtual?');
    const off = await runClient(
      process.execPath,
      [cli, 'configure', 'go', id, '--repo', 'go-virtual'],
      {
        env: { ...env, GOENV: 'off' },
      },
    );
    expect(off.code).not.toBe(0);
    expect(off.stderr).toContain(
      'GOENV=off turns the Go env file off; unset GOENV or pass --file <path>',
    );
    expect(readFileSync(envFile, 'utf8')).toBe(envBefore);
    expect(readFileSync(netrcFile, 'utf8')).toBe(netrcBefore);
  });

  it('configure writes GOPROXY and the .netrc entry, and go downloads the module with the token', async () => {
    const proxy = `${fake.url}/artifactory/api/go/go-virtual`;
    const run = ok(
      await artikey(['configure', 'go', id, '--repo', 'go-virtual', '--nosumdb', 'example.com']),
    );
    expect(run.stdout).toContain(
      `Configured Go: GOPROXY=${proxy} GONOSUMDB=example.com in ${envFile}, its credentials in ${netrcFile}. Artikey rewrites it on every refresh and removes it on logout.`,
    );
    expect(readFileSync(envFile, 'utf8')).toBe(
      `# my Go settings\nGOPROXY=${proxy}\nGOFLAGS=-mod=mod\nGONOSUMDB=example.com\n`,
    );
    const current = await token();
    expect(readFileSync(netrcFile, 'utf8')).toBe(
      `${netrcBefore}machine 127.0.0.1\n  login ${DEMO_USER.name}\n  password ${current}\n`,
    );
    const go = ok(await runClient('go', ['env', 'GOPROXY', 'GONOSUMDB'], { env }));
    expect(go.stdout).toBe(`${proxy}\nexample.com\n`);
    fake.requests.clear();
    const fetched = ok(await download());
    expect(JSON.parse(fetched.stdout)).toMatchObject({ Version: 'v1.0.0' });
    expect(seen(current)).toEqual(
      ['info', 'mod', 'zip'].map(() => ['Basic', DEMO_USER.name, true, 200]),
    );
  });

  it('refresh rewrites the .netrc token, the old one is revoked, and go still downloads', async () => {
    const old = await token();
    ok(await artikey(['refresh', id]));
    const renewed = await token();
    expect(renewed).not.toBe(old);
    expect(readFileSync(netrcFile, 'utf8')).toBe(
      `${netrcBefore}machine 127.0.0.1\n  login ${DEMO_USER.name}\n  password ${renewed}\n`,
    );
    expect(fake.tokens.lookup(old)).toMatchObject({ ok: false, reason: 'revoked' });
    fake.requests.clear();
    ok(await download());
    expect(seen(renewed)).toEqual(
      ['info', 'mod', 'zip'].map(() => ['Basic', DEMO_USER.name, true, 200]),
    );
  });

  it("logout gives back the person's env file and .netrc byte for byte, and go has no credentials left", async () => {
    ok(await artikey(['logout', id]));
    expect(readFileSync(envFile, 'utf8')).toBe(envBefore);
    expect(readFileSync(netrcFile, 'utf8')).toBe(netrcBefore);
    fake.requests.clear();
    // The restored GOPROXY is the public proxy; sent to the fake, go has nothing to send it.
    const fetched = await download({
      GOPROXY: `${fake.url}/artifactory/api/go/go-virtual`,
      GONOSUMDB: 'example.com',
    });
    expect(fetched.code).not.toBe(0);
    // With -json, go reports the failure in the module's JSON on stdout.
    expect(fetched.stdout).toContain('401 Unauthorized');
    expect(
      fake.requests.list({ path: new RegExp(`^${MODULE}`) }).map((r) => [r.scheme, r.status]),
    ).toEqual([[null, 401]]);
  });
});
