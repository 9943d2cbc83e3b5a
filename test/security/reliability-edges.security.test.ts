import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { findCredentialsAsync } from '@napi-rs/keyring';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../electron/cli/run.js';
import { withFileLock } from '../../electron/core/file-lock.js';
import { Vault } from '../../electron/core/vault.js';
import { FakeClock } from '../fake-artifactory/clock.js';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import { testArtikey, type TestArtikey } from '../support/artikey.js';
import { logInAs } from '../support/browser-login.js';
import { realKeychain, testService } from '../support/keychain.js';

/**
 * Finding 9 of issue 13: edges where Artikey misled the user or wedged itself. Each test holds
 * the attack (a malformed token, a bent refresh reply, a damaged keychain, a reused PID, a
 * missing secret, a stuck or stale keychain bus) against the real core.
 */
const tsx = new URL('../../node_modules/.bin/tsx', import.meta.url).pathname;
const keychainModule = new URL('../../electron/core/keychain.ts', import.meta.url).pathname;

describe('reliability edges against the fake Artifactory and the real keychain', () => {
  let fake: FakeArtifactory;
  let t: TestArtikey;
  beforeAll(async () => {
    fake = await startFakeArtifactory({ clock: new FakeClock({ frozen: true }) });
  });
  afterAll(() => fake.stop());
  afterEach(async () => {
    fake.config.refreshReplyWithoutRefreshToken = false;
    fake.config.refreshReplyAccessToken = 'jwt';
    fake.config.revokeAccessTokenOnRefresh = true;
    for (const instance of await t.artikey.list()) await t.vault.erase(instance.id);
    t.cleanup();
  });

  /** The CLI in this process, on the test's core, with its output captured. */
  async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let err = '';
    stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const code = await runCli(
      args,
      {
        stdin: new PassThrough(),
        stdout,
        stderr,
        env: { NO_COLOR: '1' },
        platform: process.platform,
      },
      { version: 'test', artikey: () => t.artikey, stateFile: t.stateFile },
    );
    return { code, stdout: out, stderr: err };
  }

  it('refuses at login a token whose exp is not a number, instead of keeping it as never-expiring', async () => {
    t = testArtikey(fake);
    for (const expClaim of ['never', '1999999999']) {
      // Resource-scoped, so the server will not mint a refreshable one: the pasted token itself would be kept.
      const pasted = fake.issueToken({
        username: 'alice',
        scope: 'artifact:npm-virtual:r',
        expiresIn: 3600,
        expClaim,
      });
      await expect(
        t.artikey.loginWithToken({ url: fake.url, token: pasted.jwt }),
      ).rejects.toMatchObject({
        code: 'invalid-token',
        message: expect.stringMatching(/"exp".*not a number/),
      });
    }
    expect(await t.artikey.list()).toEqual([]);
  });

  it('a refresh reply without refresh_token stores the new token, says the instance can no longer refresh, and never just "Refreshed"', async () => {
    t = testArtikey(fake);
    const { instance } = await logInAs(t.artikey, fake, DEMO_USER.name);
    fake.config.refreshReplyWithoutRefreshToken = true;
    const { code, stdout, stderr } = await cli(['refresh', instance.id]);
    expect(code).toBe(0);
    expect(stdout).not.toMatch(/^Refreshed/);
    expect(stderr).toMatch(/no new refresh token/);
    expect(stderr).toMatch(/log in again before 20\d\d-/i);
    const view = (await t.artikey.list())[0];
    expect(view?.token.refreshable).toBe(false);
    // The new access token works and is the one stored; the spent refresh token is not kept.
    const secrets = await t.vault.read(instance.id);
    expect(secrets?.refreshToken).toBeUndefined();
    expect(fake.tokens.lookup(secrets?.accessToken ?? '').ok).toBe(true);
    const activity = await t.artikey.activity(5);
    expect(activity[0]).toMatchObject({
      kind: 'refresh',
      message: expect.stringMatching(/no new refresh token.*log in again before/i),
    });
    const notices = (await t.artikey.notices()).due.filter((n) => n.instanceId === instance.id);
    expect(notices.map((n) => n.kind)).toContain('expiring');
    const status = await cli(['status', instance.id]);
    expect(status.stdout).toMatch(/Refreshable:\s+no — log in again before 20\d\d-/);
  });

  it('a refresh reply carrying a reference token as access_token is read as a reference token, and its details replace the old ones', async () => {
    t = testArtikey(fake);
    const { instance } = await logInAs(t.artikey, fake, DEMO_USER.name);
    fake.config.refreshReplyAccessToken = 'reference';
    const view = await t.artikey.refresh(instance.id);
    const secrets = await t.vault.read(instance.id);
    const issued = fake.tokens.find(secrets?.accessToken ?? '');
    expect(secrets?.accessToken).toMatch(/^cmVmd/);
    expect(issued?.referenceToken).toBe(secrets?.accessToken);
    expect(view.token).toMatchObject({
      kind: 'reference-token',
      tokenId: issued?.id,
      expiresAt: issued?.expiresAt,
      refreshable: true,
    });
    expect(view.token.tokenId).not.toBe(instance.token.tokenId);
    expect(view.username).toBe('alice');
    // And it keeps working: the next refresh spends the new refresh token.
    fake.config.refreshReplyAccessToken = 'jwt';
    expect((await t.artikey.refresh(instance.id)).token.kind).toBe('access-token');
  });

  it('a refresh reply whose access_token is no JFrog token is refused: the old token and its details stay, the new refresh token is kept', async () => {
    t = testArtikey(fake);
    const { instance } = await logInAs(t.artikey, fake, DEMO_USER.name);
    const before = await t.vault.read(instance.id);
    fake.config.refreshReplyAccessToken = 'opaque';
    // Keeping the old token helps only where the server left it valid, and a refresh needs a
    // valid bearer (a real server takes none without credentials): a server that keeps it.
    fake.config.revokeAccessTokenOnRefresh = false;
    await expect(t.artikey.refresh(instance.id)).rejects.toMatchObject({
      code: 'unexpected-response',
      message: expect.stringMatching(/not a JFrog access token/),
    });
    const after = await t.vault.read(instance.id);
    expect(after?.accessToken).toBe(before?.accessToken);
    // The old refresh token was spent by the server; the one in the reply is the only way on.
    expect(after?.refreshToken).not.toBe(before?.refreshToken);
    const view = (await t.artikey.list())[0];
    expect(view?.token).toEqual(instance.token);
    expect(view?.refreshError?.message).toMatch(/not a JFrog access token/);
    // Once the server answers properly again, the kept refresh token carries the session on.
    fake.config.refreshReplyAccessToken = 'jwt';
    const good = await t.artikey.refresh(instance.id);
    expect(good.refreshError).toBeNull();
    expect(good.token.tokenId).not.toBe(instance.token.tokenId);
  });

  it('logout removes every part of every generation even when the keychain pointer is unreadable', async () => {
    const service = testService();
    const vault = new Vault(realKeychain(service));
    const backend = realKeychain(service);
    const token = fake.issueToken({ username: 'alice', expiresIn: 3600, refreshable: true });
    for (let i = 0; i < 3; i++)
      await vault.write('acme', {
        accessToken: token.jwt,
        refreshToken: `${token.refreshToken ?? ''}-${i}`,
      });
    await backend.set('acme#7.0', 'left behind by a crash');
    await backend.set('acme', '{"v":1,"generation":');
    await vault.erase('acme');
    const left = (await findCredentialsAsync(service)).map((c) => c.account);
    expect(left).toEqual([]);
    t = testArtikey(fake);
  });

  it('list says the secret is missing when the keychain entry is gone, instead of "active"', async () => {
    t = testArtikey(fake);
    const { instance } = await logInAs(t.artikey, fake, DEMO_USER.name);
    await t.vault.erase(instance.id);
    const [view] = await t.artikey.list();
    expect(view?.status).not.toBe('active');
    expect(view?.refreshError).toMatchObject({
      code: 'login-required',
      message: expect.stringMatching(/keychain holds no token.*log in again/i),
    });
    const listed = await cli(['list']);
    expect(listed.stderr).toMatch(/keychain holds no token/);
  });
});

describe('a lock whose PID was reused', () => {
  let folder: string;
  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'artikey-reused-pid-'));
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it.runIf(process.platform === 'linux')(
    'is taken over at once when the PID is alive but started at another time',
    async () => {
      // A real process's start time, from a process that is not the one named in the lock.
      const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], {
        stdio: 'ignore',
      });
      try {
        const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
        const startedAt = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
        const own = readFileSync('/proc/self/stat', 'utf8');
        expect(startedAt).not.toBe(own.slice(own.lastIndexOf(')') + 2).split(' ')[19]);
        const lock = join(folder, 'locks', 'acme.lock');
        mkdirSync(join(folder, 'locks'), { recursive: true });
        // This test process is alive, but the lock's owner was the process that started then.
        writeFileSync(
          lock,
          JSON.stringify({
            pid: process.pid,
            host: hostname(),
            at: Date.now(),
            nonce: 'previous-owner',
            started: startedAt,
          }),
        );
        expect(
          await withFileLock(lock, async () => 'ran', { staleMs: 120_000, timeoutMs: 1000 }),
        ).toBe('ran');
        expect(readdirSync(join(folder, 'locks'))).toEqual([]);
      } finally {
        child.kill();
      }
    },
  );
});

describe('keychain errors from a stuck or stale D-Bus, reproduced for real', () => {
  /** Runs `body` (a module body with `osKeychain` and `keychainError` in scope) in a fresh process. */
  function probe(
    body: string,
    env: NodeJS.ProcessEnv,
    wrapper: string[] = [],
  ): { code: string; message: string } {
    const script = `
      import { osKeychain, keychainError } from ${JSON.stringify(keychainModule)};
      const keychain = osKeychain({ service: 'artikey-test-bus-probe' });
      try { ${body}; console.log(JSON.stringify({ code: 'none', message: 'answered' })); }
      catch (error) { console.log(JSON.stringify({ code: error.code, message: error.message })); }`;
    const result = spawnSync(
      wrapper[0] ?? tsx,
      [...wrapper.slice(1), ...(wrapper.length ? [tsx] : []), '--input-type=module', '-e', script],
      { encoding: 'utf8', env, timeout: 60_000 },
    );
    const line = result.stdout.trim().split('\n').pop() ?? '';
    try {
      return JSON.parse(line) as { code: string; message: string };
    } catch {
      throw new Error(`the probe printed no result: ${result.stdout} ${result.stderr}`);
    }
  }

  it.runIf(process.platform === 'linux')(
    'a socket path that no longer exists is a stale D-Bus session, not a missing gnome-keyring',
    () => {
      const outcome = probe('await keychain.get("x")', {
        ...process.env,
        DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/artikey-stale-bus',
      });
      expect(outcome.code).toBe('keychain-unavailable');
      expect(outcome.message).toMatch(/D-Bus session/);
      expect(outcome.message).toMatch(/DBUS_SESSION_BUS_ADDRESS/);
      expect(outcome.message).not.toMatch(/apt-get install|Install and start/);
    },
  );

  it.runIf(process.platform === 'linux')(
    'a socket nobody listens on (connection refused) is a stale D-Bus session too',
    () => {
      const socket = join(mkdtempSync(join(tmpdir(), 'artikey-dead-bus-')), 'bus');
      // A Unix socket file left behind by a dead bus: bound once, never listening.
      spawnSync('python3', [
        '-c',
        `import socket; socket.socket(socket.AF_UNIX).bind(${JSON.stringify(socket)})`,
      ]);
      const outcome = probe('await keychain.get("x")', {
        ...process.env,
        DBUS_SESSION_BUS_ADDRESS: `unix:path=${socket}`,
      });
      expect(outcome.code).toBe('keychain-unavailable');
      expect(outcome.message).toMatch(/D-Bus session/);
      expect(outcome.message).not.toMatch(/apt-get install/);
    },
  );

  /**
   * Runs `body` in a nested D-Bus session with a keyring daemon of its own, whose PID it finds as
   * `daemon`: the shared test keyring's daemon is never stopped.
   */
  function probeOwnDaemon(body: string): { code: string; message: string } {
    const home = mkdtempSync(join(tmpdir(), 'artikey-stuck-keyring-'));
    mkdirSync(join(home, 'run'), { mode: 0o700 });
    try {
      return probe(
        `
        const { spawnSync } = await import('node:child_process');
        const { readdirSync, readFileSync } = await import('node:fs');
        spawnSync('gnome-keyring-daemon', ['--unlock', '--components=secrets'], { input: 'pw' });
        await keychain.set('x', 'ready');
        const marker = 'XDG_RUNTIME_DIR=' + process.env.XDG_RUNTIME_DIR + '\\0';
        const daemon = Number(readdirSync('/proc').filter((p) => /^\\d+$/.test(p)).find((p) => {
          try { return readFileSync('/proc/' + p + '/comm', 'utf8').trim() === 'gnome-keyring-d' && readFileSync('/proc/' + p + '/environ', 'utf8').includes(marker); } catch { return false; }
        }));
        try { ${body}; } finally { process.kill(daemon, 'SIGCONT'); process.kill(daemon, 'SIGTERM'); }`,
        { ...process.env, XDG_RUNTIME_DIR: join(home, 'run'), XDG_DATA_HOME: join(home, 'data') },
        ['dbus-run-session', '--'],
      );
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  }

  it.runIf(process.platform === 'linux')(
    'a keyring daemon that stopped answering is a timeout with its own fix, not "locked"',
    () => {
      const outcome = probeOwnDaemon(`process.kill(daemon, 'SIGSTOP'); await keychain.get('x')`);
      expect(outcome.code).toBe('keychain-timeout');
      expect(outcome.message).toMatch(/did not answer/);
      expect(outcome.message).toMatch(/gnome-keyring-daemon/);
      expect(outcome.message).not.toMatch(/is locked/);
    },
    60_000,
  );

  // The library waits two seconds for each D-Bus reply. A daemon slower than that, as on a loaded
  // machine (seen in CI), is asked again rather than reported as gone; its answer is the secret.
  it.runIf(process.platform === 'linux')(
    'a keyring daemon that answers after one D-Bus timeout (3 s) is asked again, and the read succeeds',
    () => {
      const outcome = probeOwnDaemon(`
        process.kill(daemon, 'SIGSTOP');
        // Resumed by another process: the library blocks this one's thread while it waits.
        const { spawn } = await import('node:child_process');
        spawn('sh', ['-c', 'sleep 3; kill -CONT ' + daemon], { stdio: 'ignore', detached: true }).unref();
        const value = await keychain.get('x');
        if (value !== 'ready') throw Object.assign(new Error('read ' + value), { code: 'wrong-value' })`);
      expect(outcome).toEqual({ code: 'none', message: 'answered' });
    },
    60_000,
  );
});
