import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../fake-artifactory/clock.js';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import { ensureBuilt, root } from '../support/built.js';
import { artikeyEnv, type ClientRun, runClient, scratchHome } from '../support/clients.js';

/**
 * Issue 17, "The CLI": output that tells the truth. Messages name an instance by the name the
 * person gave it, not its internal id; `status` of a server it cannot reach says why; TLS
 * errors say what is wrong; names are unique; and times read the way people read them. The
 * real built CLI, against the fake Artifactory on 127.0.0.1 and the real keychain.
 */
const cli = `${root}dist/cli/artikey.js`;
const HOUR = 3600;

describe('artikey tells the truth', { timeout: 240_000 }, () => {
  let scratch: ReturnType<typeof scratchHome>;
  let env: NodeJS.ProcessEnv;
  const fakes: FakeArtifactory[] = [];
  const artikey = (args: string[], input = ''): Promise<ClientRun> =>
    runClient(process.execPath, [cli, ...args], { env, input });
  const start = async (
    options: Parameters<typeof startFakeArtifactory>[0] = {},
  ): Promise<FakeArtifactory> => {
    // Password logins get a token here (off by default, as on a real server).
    const fake = await startFakeArtifactory({
      ...options,
      config: { allowBasicAuthTokenCreation: true, ...options.config },
    });
    fakes.push(fake);
    return fake;
  };
  const tokenLogin = (fake: FakeArtifactory, name: string, expiresIn = HOUR): Promise<ClientRun> =>
    artikey(
      ['login', fake.url, '--token', `--name=${name}`],
      fake.issueToken({ username: DEMO_USER.name, expiresIn }).jwt,
    );
  const passwordLogin = (
    fake: FakeArtifactory,
    name: string,
    extra: string[] = [],
  ): Promise<ClientRun> =>
    artikey(
      ['login', fake.url, '--user', DEMO_USER.name, '--password-stdin', `--name=${name}`, ...extra],
      DEMO_USER.password,
    );
  const idOf = (fake: FakeArtifactory): string => `127.0.0.1-${fake.port}`;

  beforeAll(() => {
    ensureBuilt();
    scratch = scratchHome();
    env = artikeyEnv(scratch);
  });
  afterAll(async () => {
    for (const name of ['demo', 'other', 'late', 'twelve', 'secure'])
      await artikey(['logout', name, '--keep-server-token']);
    for (const fake of fakes) await fake.stop().catch(() => undefined);
    scratch.cleanup();
  });

  describe('names, not ids', () => {
    let fake: FakeArtifactory;
    beforeAll(async () => {
      fake = await start();
      expect((await passwordLogin(fake, 'demo')).code).toBe(0);
    });

    it('"No instance" lists the names of the instances it knows', async () => {
      const run = await artikey(['status', 'nope']);
      expect(run.code).toBe(3);
      expect(run.stderr).toContain('(known: demo)');
      expect(run.stderr).not.toContain(idOf(fake));
    });

    it('the agent names each instance in its lines, and --json gives the name as `instance`', async () => {
      const run = await agentOnce(['agent']);
      expect(run.stdout).toMatch(/next refresh of demo at /);
      expect(run.stdout).not.toContain(idOf(fake));
      const json = await agentOnce(['agent', '--json']);
      const next = json.stdout
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .find((event) => event['event'] === 'next-refresh');
      expect(next).toMatchObject({
        instance: 'demo',
        message: expect.stringContaining('next refresh of demo'),
      });
    });

    it("scan's INSTANCE column shows the name", async () => {
      const token = fake.issueToken({ username: DEMO_USER.name, expiresIn: HOUR }).jwt;
      writeFileSync(
        join(scratch.home, '.npmrc'),
        `//127.0.0.1:${fake.port}/artifactory/api/npm/npm/:_authToken=${token}\n`,
      );
      const run = await artikey(['scan']);
      expect(run.stdout).toMatch(/\bdemo\b/);
      expect(run.stdout).not.toContain(idOf(fake));
    });

    /** The agent, stopped once it has planned (its next-refresh lines follow its first line). */
    function agentOnce(args: string[]): Promise<ClientRun> {
      return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [cli, ...args], {
          env,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          if (/next.refresh/.test(stdout) && !child.killed) child.kill('SIGTERM');
        });
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
      });
    }
  });

  describe('status of a server it cannot reach', () => {
    it('says why, in words and in --json, and exits with the documented code', async () => {
      const fake = await start();
      expect((await tokenLogin(fake, 'other', 12 * HOUR)).code).toBe(0);
      await fake.stop();
      const run = await artikey(['status', 'other']);
      expect(run.stdout).toMatch(/^Status: +unreachable: connection refused to 127\.0\.0\.1:\d+$/m);
      expect(run.code).toBe(7);
      const json = await artikey(['status', 'other', '--json']);
      expect(json.code).toBe(7);
      expect(JSON.parse(json.stdout)).toMatchObject({
        name: 'other',
        unreachable: {
          code: 'connection-refused',
          reason: `connection refused to 127.0.0.1:${fake.port}`,
        },
      });
      expect(JSON.parse(json.stderr)).toEqual({
        error: {
          code: 'unreachable',
          message: expect.stringContaining(`connection refused to 127.0.0.1:${fake.port}`),
        },
      });
    });

    it('a server that takes the connection and never answers is given 10 s, once, while a person waits', async () => {
      const fake = await start();
      expect((await tokenLogin(fake, 'silent', 12 * HOUR)).code).toBe(0);
      const port = fake.port;
      await fake.stop();
      // The same address now holds every connection open and answers nothing.
      const connections: Socket[] = [];
      const silent = createNetServer((socket) => {
        connections.push(socket);
        socket.on('error', () => undefined);
      });
      await new Promise<void>((resolve) => silent.listen(port, '127.0.0.1', resolve));
      try {
        const json = await artikey(['status', 'silent', '--json']);
        expect(json.code).toBe(7);
        expect(JSON.parse(json.stdout)).toMatchObject({
          unreachable: {
            code: 'timeout',
            reason: `no answer from 127.0.0.1:${port} in time (timed out)`,
            message: expect.stringContaining('did not answer within 10 s'),
          },
        });
        expect(connections).toHaveLength(1);
      } finally {
        silent.close();
        for (const socket of connections) socket.destroy();
      }
    });

    it('doctor says why too', async () => {
      const run = await artikey(['doctor']);
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(
        /^FAIL +other +Artifactory unreachable: connection refused to 127\.0\.0\.1:\d+;/m,
      );
    });
  });

  describe('TLS errors say what is wrong', () => {
    let plain: Server;
    afterAll(() => new Promise<void>((resolve) => plain.close(() => resolve())));

    it('https:// to a server that speaks plain HTTP says so, and not "add a CA bundle"', async () => {
      plain = createServer((_request, response) => response.end('OK'));
      await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
      const { port } = plain.address() as AddressInfo;
      const token = (await start()).issueToken({ username: DEMO_USER.name, expiresIn: HOUR }).jwt;
      const run = await artikey(['login', `https://127.0.0.1:${port}`, '--token'], token);
      expect(run.code).not.toBe(0);
      expect(run.stderr).toContain(
        `https://127.0.0.1:${port} answered in plain HTTP; use http://127.0.0.1:${port} or check the port`,
      );
      expect(run.stderr).not.toMatch(/CA bundle|--ca-file/);
    });

    it('a certificate from an unknown CA names --ca-file', async () => {
      const fake = await start({ tls: true });
      const run = await tokenLogin(fake, 'secure');
      expect(run.code).not.toBe(0);
      expect(run.stderr).toContain('--ca-file');
      const ca = join(scratch.home, 'company-ca.pem');
      writeFileSync(ca, fake.tls?.caPem ?? '', { mode: 0o600 });
      const trusted = await artikey(
        ['login', fake.url, '--token', '--name=secure', '--ca-file', ca],
        fake.issueToken({ username: DEMO_USER.name, expiresIn: HOUR }).jwt,
      );
      expect(trusted.stderr).toBe('');
      expect(trusted.code).toBe(0);
    });
  });

  describe('instance names are unique', () => {
    let first: FakeArtifactory;
    let second: FakeArtifactory;
    beforeAll(async () => {
      first = await start();
      second = await start();
      expect((await tokenLogin(first, 'twelve', 12 * HOUR)).code).toBe(0);
    });

    it('login --name refuses a name another instance has (in any case), naming its address; nothing is stored', async () => {
      const run = await tokenLogin(second, 'TWELVE');
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`The name "TWELVE" is taken: ${first.url}/ is called "twelve".`);
      expect(run.stderr).toMatch(/\[name-taken\]$/m);
      expect((await artikey(['list'])).stdout).not.toContain(`127.0.0.1:${second.port}`);
    });

    it('rename refuses a taken name, and an empty name is an invalid name', async () => {
      expect((await tokenLogin(second, 'late')).code).toBe(0);
      const taken = await artikey(['rename', 'late', 'Twelve']);
      expect(taken.code).toBe(1);
      expect(taken.stderr).toContain(
        `The name "Twelve" is taken: ${first.url}/ is called "twelve".`,
      );
      expect(taken.stderr).toMatch(/\[name-taken\]$/m);
      const empty = await artikey(['rename', 'late', '   ', '--json']);
      expect(JSON.parse(empty.stderr)).toMatchObject({ error: { code: 'invalid-name' } });
      // Its own name, in another case, is not taken by another.
      expect((await artikey(['rename', 'late', 'Late'])).code).toBe(0);
      expect((await artikey(['rename', 'Late', 'late'])).code).toBe(0);
    });

    it('a login without --name whose default name is taken gets a free one, and says so', async () => {
      const third = await start();
      const host = `127.0.0.1:${third.port}`;
      expect((await artikey(['rename', 'late', host.toUpperCase()])).code).toBe(0);
      const run = await artikey(
        ['login', third.url, '--token'],
        third.issueToken({ username: DEMO_USER.name, expiresIn: HOUR }).jwt,
      );
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toContain(
        `"${host}" names another instance, so this one is called "${host} (2)"; rename it with: artikey rename "${host} (2)" <name>`,
      );
      const names = (
        JSON.parse((await artikey(['list', '--json'])).stdout) as { name: string }[]
      ).map((i) => i.name.toLowerCase());
      expect(names.filter((n) => n === host)).toHaveLength(1);
      expect(names).toContain(`${host} (2)`);
    });
  });

  describe('times are honest', () => {
    it('a 12-hour token expires "in 12 h" right after login; status was "checked just now"', async () => {
      const fake = await start();
      const login = await passwordLogin(fake, 'twelve-hours', ['--lifetime', '12h']);
      expect(login.stdout).toContain('token expires in 12 h');
      const status = await artikey(['status', 'twelve-hours']);
      expect(status.stdout).toMatch(/^Expires: .*\(expires in 12 h\)$/m);
      expect(status.stdout).toMatch(/^On the server: +active \(checked just now\)$/m);
      expect(status.stdout).not.toContain('in 0 s');
      await artikey(['logout', 'twelve-hours', '--keep-server-token']);
    });

    it('the next refresh is said in our clock, and by whom: nothing runs now', async () => {
      // A server whose clock is 5 hours behind ours: its times must not be printed as ours.
      const fake = await start({ clock: new FakeClock({ start: Date.now() - 5 * HOUR * 1000 }) });
      expect((await passwordLogin(fake, 'behind')).code).toBe(0);
      const status = await artikey(['status', 'behind']);
      const next = /^Next refresh: +around (\S+), when Artikey or `artikey agent` runs/m.exec(
        status.stdout,
      );
      expect(next, status.stdout).not.toBeNull();
      expect(Date.parse(next?.[1] ?? '')).toBeGreaterThan(Date.now());
      await artikey(['logout', 'behind', '--keep-server-token']);
    });

    it('a refresh due while nothing runs is "when Artikey or `artikey agent` runs", not a time in the past', async () => {
      const fake = await start();
      // A 30-second token is due for its refresh 15 s before it expires.
      expect((await passwordLogin(fake, 'overdue', ['--lifetime', '30'])).code).toBe(0);
      await new Promise((resolve) => setTimeout(resolve, 17_000));
      const status = await artikey(['status', 'overdue']);
      expect(status.stdout).toMatch(/^Next refresh: +when Artikey or `artikey agent` runs/m);
      expect(status.stdout).not.toMatch(/^Next refresh: +around/m);
      await artikey(['logout', 'overdue', '--keep-server-token']);
    });
  });
});
