import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { get as httpsGet } from 'node:https';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_USER, DEMO_USER } from '../fake-artifactory/directory.js';

const root = new URL('../../', import.meta.url).pathname;
const tsx = `${root}node_modules/.bin/tsx`;
const cli = `${root}test/fake-artifactory/cli.ts`;

/** `npm run fake-artifactory` / `npm run demo`: the standalone runner, as a person starts it. */
describe('fake-artifactory CLI', () => {
  const children: ChildProcessWithoutNullStreams[] = [];
  afterEach(() => {
    for (const child of children.splice(0))
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  function run(...args: (string | Record<string, string>)[]): {
    child: ChildProcessWithoutNullStreams;
    output: () => string;
    stderr: () => string;
    exited: Promise<number | null>;
  } {
    // npm's own spelling of --profile comes in the environment; only where a test gives it.
    const inherited = { ...process.env };
    delete inherited['npm_config_profile'];
    const extra = args.filter((a): a is Record<string, string> => typeof a !== 'string');
    const child = spawn(tsx, [cli, ...args.filter((a): a is string => typeof a === 'string')], {
      cwd: root,
      stdio: 'pipe',
      env: { ...inherited, NO_COLOR: '1', ...Object.assign({}, ...extra) },
    });
    children.push(child);
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    );
    return { child, output: () => out, stderr: () => err, exited };
  }

  async function until(
    output: () => string,
    pattern: RegExp,
    exited: Promise<unknown>,
  ): Promise<RegExpExecArray> {
    let gone = false;
    void exited.then(() => (gone = true));
    for (let i = 0; i < 400; i++) {
      const found = pattern.exec(output());
      if (found) return found;
      if (gone) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`no ${String(pattern)} in:\n${output()}`);
  }

  it('--port 0: prints the URL, the credentials and the hints, serves, logs redacted, stops on SIGTERM', async () => {
    const { child, output, exited } = run('--port', '0');
    const url =
      (await until(output, /listening on (http:\/\/127\.0\.0\.1:(\d+))/, exited))[1] ?? '';
    await until(output, /Ctrl\+C/, exited);
    expect(url).not.toMatch(/:0$/);
    const text = output();
    expect(text).toContain(`Platform URL for Artikey: ${url}/`);
    expect(text).toMatch(new RegExp(`Demo user:\\s+${DEMO_USER.name} / ${DEMO_USER.password}`));
    expect(text).toMatch(new RegExp(`Admin user:\\s+${ADMIN_USER.name} / ${ADMIN_USER.password}`));
    expect(text).toContain(`curl ${url}/artifactory/api/system/ping`);
    expect(text).toContain(`${url}/ui/login`);
    expect(text).toMatch(/approve/i);

    const ping = await fetch(`${url}/artifactory/api/system/ping`);
    expect(ping.status).toBe(200);
    expect(await ping.text()).toBe('OK');
    const secret = 'Cli-Canary-Secret-42';
    const refused = await fetch(`${url}/artifactory/api/system/version?token=${secret}`, {
      headers: { authorization: `Basic ${Buffer.from(`alice:${secret}`).toString('base64')}` },
    });
    expect(refused.status).toBe(401);
    await until(output, /GET \/artifactory\/api\/system\/version\S* -> 401/, exited);
    expect(output()).toContain('GET /artifactory/api/system/ping -> 200');
    expect(output()).not.toContain(secret);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await expect(fetch(`${url}/artifactory/api/system/ping`)).rejects.toThrow();
  });

  it('stops on SIGINT (Ctrl+C) too', async () => {
    const { child, output, exited } = run('--port', '0', '--quiet');
    const url = (await until(output, /listening on (http:\/\/127\.0\.0\.1:\d+)/, exited))[1] ?? '';
    await until(output, /Ctrl\+C/, exited);
    expect((await fetch(`${url}/access/api/v1/system/ping`)).status).toBe(200);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(output()).not.toContain('GET /access/api/v1/system/ping');
  });

  it('--tls: serves HTTPS and prints a CA file that verifies it, removed on stop', async () => {
    const { child, output, exited } = run('--port', '0', '--tls', '--quiet');
    const url = (await until(output, /listening on (https:\/\/127\.0\.0\.1:\d+)/, exited))[1] ?? '';
    const caFile = (await until(output, /--cacert (\S+)/, exited))[1] ?? '';
    await until(output, /Ctrl\+C/, exited);
    expect(output()).toContain(`--ca-file ${caFile}`);
    const ca = readFileSync(caFile, 'utf8');
    const status = await new Promise<number | string>((resolve) => {
      httpsGet(`${url}/artifactory/api/system/ping`, { ca }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    expect(status).toBe(200);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(existsSync(caFile)).toBe(false);
  });

  it('--demo: takes another free port when 8081 is taken', async () => {
    // Hold 8081 ourselves; if someone else already holds it, the case is the same.
    const blocker = createServer();
    await new Promise<void>((resolve) =>
      blocker.once('error', () => resolve()).listen(8081, '127.0.0.1', () => resolve()),
    );
    try {
      const { child, output, exited } = run('--demo', '--quiet');
      const port = (await until(output, /listening on http:\/\/127\.0\.0\.1:(\d+)/, exited))[1];
      expect(port).not.toBe('8081');
      expect(output()).toContain('Port 8081 is taken');
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      await new Promise<void>((resolve) =>
        blocker.listening ? blocker.close(() => resolve()) : resolve(),
      );
    }
  });

  it('refuses a bad port or an unknown option with a clear message and exit code 2', async () => {
    const cases: [string[], RegExp][] = [
      [['--port', 'abc'], /--port needs a number from 0 to 65535, not "abc"/],
      [['--port', '70000'], /--port needs a number from 0 to 65535, not "70000"/],
      [['--bogus'], /Unknown option '--bogus'[\s\S]*Usage:/],
      [
        ['--profile', 'legacy-6.0'],
        /unknown profile "legacy-6.0"; known profiles: default, saas-default, self-hosted-7\.64, legacy-7\.40/,
      ],
      [['stray'], /unexpected argument "stray"[\s\S]*Usage:/],
    ];
    const runs = cases.map(([args]) => run(...args));
    for (const [index, [args, message]] of cases.entries()) {
      const { stderr, exited } = runs[index] ?? run();
      expect(await exited, args.join(' ')).toBe(2);
      expect(stderr()).toMatch(message);
    }
  });

  it('--profile: plays the named server and says which in its banner, also as npm hands it over', async () => {
    const given = run('--profile', 'legacy-7.40', '--port', '0', '--quiet');
    const url = (await until(given.output, /listening on (http:\/\/127\.0\.0\.1:\d+)/, given.exited))[1] ?? '';
    await until(given.output, /Ctrl\+C/, given.exited);
    expect(given.output()).toMatch(/Profile:\s+legacy-7\.40 \(Artifactory 7\.40\.2/);
    expect(given.output()).toMatch(/predates browser login \(7\.64\.0\)/);
    // No browser login there: the banner hands the demo user a token to log in with, readable by its owner only.
    const tokenFile = (/Log in:\s+artikey login \S+ --token < (\S+)/.exec(given.output()) ?? [])[1] ?? '';
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    const version = await fetch(`${url}/artifactory/api/system/version`, { headers: { authorization: `Bearer ${readFileSync(tokenFile, 'utf8')}` } });
    expect(version.status).toBe(200);
    const login = await fetch(`${url}/access/api/v2/authentication/jfrog_client_login/request`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ session: '0b5c3b8e-8a55-4c1e-9d4e-3b1f0f7a9c21' }),
    });
    expect(login.status).toBe(404);
    given.child.kill('SIGTERM');
    expect(await given.exited).toBe(0);
    expect(existsSync(tokenFile), 'the token file goes with the server').toBe(false);

    // `npm run demo --profile saas-default` leaves the name as an argument and sets npm_config_profile=true.
    const viaNpm = run('saas-default', '--port', '0', '--quiet', { npm_config_profile: 'true' });
    await until(viaNpm.output, /Profile:\s+saas-default/, viaNpm.exited);
    viaNpm.child.kill('SIGTERM');
    expect(await viaNpm.exited).toBe(0);
  });
});
