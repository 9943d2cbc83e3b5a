import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
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

  function run(...args: string[]): {
    child: ChildProcessWithoutNullStreams;
    output: () => string;
    stderr: () => string;
    exited: Promise<number | null>;
  } {
    const child = spawn(tsx, [cli, ...args], {
      cwd: root,
      stdio: 'pipe',
      env: { ...process.env, NO_COLOR: '1' },
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
    ];
    const runs = cases.map(([args]) => run(...args));
    for (const [index, [args, message]] of cases.entries()) {
      const { stderr, exited } = runs[index] ?? run();
      expect(await exited, args.join(' ')).toBe(2);
      expect(stderr()).toMatch(message);
    }
  });
});
