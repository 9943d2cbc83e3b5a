import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import { ensureBuilt, root } from '../support/built.js';
import { artikeyEnv, type ClientRun, runClient, scratchHome } from '../support/clients.js';

/**
 * A process's command line is readable by every local user (`ps`, /proc/PID/cmdline), so a token
 * or password given as an argument is given to all of them. `artikey login` takes secrets only on
 * stdin or at a hidden prompt, and refuses one on the command line without repeating it.
 */
const TOKENS = '/access/api/v1/tokens';

describe('secrets never travel in argv', () => {
  let fake: FakeArtifactory;
  let scratch: ReturnType<typeof scratchHome>;
  let env: NodeJS.ProcessEnv;
  const cli = `${root}dist/cli/artikey.js`;
  const artikey = (args: string[], input = ''): Promise<ClientRun> =>
    runClient(process.execPath, [cli, ...args], { env, input });
  const pastedToken = (): string =>
    fake.issueToken({ username: DEMO_USER.name, expiresIn: 3600 }).jwt;

  beforeAll(async () => {
    ensureBuilt();
    fake = await startFakeArtifactory();
    scratch = scratchHome();
    env = artikeyEnv(scratch);
  });
  afterEach(() => fake.faults.clear());
  afterAll(async () => {
    await artikey(['logout', fake.host]);
    await fake.stop();
    scratch.cleanup();
  });

  it('logs in with a token piped to --token (one trailing newline is not part of it)', async () => {
    const run = await artikey(['login', fake.url, '--token'], `${pastedToken()}\n`);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Logged in to .* as alice;/);
  });

  it('the token read from stdin is not in /proc/PID/cmdline while the login runs', async () => {
    const token = pastedToken();
    // The login's token request is held by the server, so the process is surely mid-login.
    fake.faults.add({
      method: 'POST',
      path: TOKENS,
      times: 1,
      action: { kind: 'delay', ms: 1500 },
    });
    const held = fake.requests.list({ method: 'POST', path: TOKENS }).length;
    const login = spawn(process.execPath, [cli, 'login', fake.url, '--token'], {
      env,
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    login.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const closed = new Promise<number | null>((resolve) => login.on('close', resolve));
    login.stdin.end(token);
    for (let i = 0; fake.requests.list({ method: 'POST', path: TOKENS }).length === held; i++) {
      if (i > 1200) throw new Error('the login never asked for a token');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }

    const cmdline = readFileSync(`/proc/${login.pid}/cmdline`, 'utf8').split('\0');
    expect(cmdline).toContain('login');
    expect(cmdline.join(' ')).not.toContain(token);
    expect(cmdline.join(' ')).not.toContain(token.slice(0, 40));
    expect(await closed, stderr).toBe(0);
  }, 60_000);

  const refused: [string, (secret: string) => string[]][] = [
    ['--token VALUE after the URL', (s) => ['login', fake.url, '--token', s]],
    ['--token=VALUE', (s) => ['login', fake.url, `--token=${s}`]],
    ['--token VALUE before the URL', (s) => ['login', '--token', s, fake.url]],
    ['a token where the URL goes', (s) => ['login', '--token', s]],
    ['--password VALUE', (s) => ['login', fake.url, '--user', DEMO_USER.name, '--password', s]],
    ['--password=VALUE', (s) => ['login', fake.url, '--user', DEMO_USER.name, `--password=${s}`]],
    [
      '--password-stdin=VALUE',
      (s) => ['login', fake.url, '--user', 'alice', `--password-stdin=${s}`],
    ],
  ];

  it.each(refused)(
    'refuses %s with exit 2, saying how to pipe it, never repeating it',
    async (_, args) => {
      const secret = pastedToken();
      const requests = fake.requests.list().length;
      const run = await artikey(args(secret), secret);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toMatch(/printf %s "\$(TOKEN|PASSWORD)" \| artikey login <url>/);
      expect(`${run.stdout}${run.stderr}`).not.toContain(secret);
      expect(`${run.stdout}${run.stderr}`).not.toContain(secret.slice(0, 40));
      // Refused before anything happened: the server heard nothing.
      expect(fake.requests.list()).toHaveLength(requests);
    },
  );
});
