import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import { ensureBuilt, root } from '../support/built.js';
import { artikeyEnv, type ClientRun, runClient, scratchHome } from '../support/clients.js';
import { runInProcess } from '../support/in-process-cli.js';

/**
 * Issue 17: the command line follows common conventions. `--opt=value` and `--opt value`, options
 * before or after the arguments, `--` ends options; an option the command does not take, or a
 * value given twice, is a usage error (exit 2) that names the option and the command's help, and
 * never repeats a secret typed where an option was expected.
 */
const SECRET = 'Zq8-not-a-real-password-5f1c';

describe('artikey command-line conventions', { timeout: 120_000 }, () => {
  let fake: FakeArtifactory;
  let scratch: ReturnType<typeof scratchHome>;
  let env: NodeJS.ProcessEnv;
  const artikey = (args: string[], input = ''): Promise<ClientRun> =>
    runClient(process.execPath, [`${root}dist/cli/artikey.js`, ...args], { env, input });
  const token = (): string => fake.issueToken({ username: DEMO_USER.name, expiresIn: 3600 }).jwt;
  const names = async (): Promise<string[]> =>
    (JSON.parse((await artikey(['list', '--json'])).stdout) as { name: string }[]).map(
      (v) => v.name,
    );

  beforeAll(async () => {
    ensureBuilt();
    fake = await startFakeArtifactory();
    scratch = scratchHome();
    env = artikeyEnv(scratch);
  });
  afterAll(async () => {
    await artikey(['logout', fake.host]);
    await fake.stop();
    scratch.cleanup();
  });

  it('takes --name=VALUE and --name VALUE, with options before or after the URL', async () => {
    const before = await artikey(['login', '--token', '--name=first', fake.url], token());
    expect(before.code, before.stderr).toBe(0);
    expect(await names()).toEqual(['first']);
    const after = await artikey(['login', fake.url, '--name', 'second', '--token'], token());
    expect(after.code, after.stderr).toBe(0);
    expect(await names()).toEqual(['second']);
    const global = await artikey(['--json', 'list']);
    expect(JSON.parse(global.stdout)).toHaveLength(1);
  });

  it('-- ends the options: what follows is an argument even when it starts with -', async () => {
    const run = await artikey(['rename', fake.host, '--', '--dashing']);
    expect(run.code, run.stderr).toBe(0);
    expect(await names()).toEqual(['--dashing']);
    await artikey(['rename', '--', '--dashing', 'second']).then((r) =>
      expect(r.code, r.stderr).toBe(0),
    );
    expect(await names()).toEqual(['second']);
  });

  it.each([
    [['login', '--bogus', 'acme.jfrog.io'], 'unknown option --bogus; see artikey login --help'],
    [['status', 'demo', '--repo', 'x'], 'unknown option --repo; see artikey status --help'],
    [['--user', 'alice', 'login', 'acme.jfrog.io'], 'unknown option --user; see artikey --help'],
    [
      ['login', 'acme.jfrog.io', '--name', 'a', '--name=b'],
      '--name is given more than once; give it once (see artikey login --help)',
    ],
    [
      ['login', 'acme.jfrog.io', '--name'],
      '--name needs a value (<name>); see artikey login --help',
    ],
    [
      ['login', 'acme.jfrog.io', '--name', '--no-browser'],
      '--name needs a value (<name>); see artikey login --help',
    ],
    [['list', '--json=yes'], '--json takes no value; see artikey list --help'],
    [['status', 'a', 'b'], 'status takes <instance>, and 2 were given; see artikey status --help'],
    [['nope'], 'unknown command "nope"; the commands are'],
  ])('artikey %j: a usage error, exit 2', async (args, message) => {
    const run = await runInProcess(args);
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toContain(`artikey: ${message}`);
    expect(run.stderr).toMatch(/ \[usage\]\n$/);
  });

  it.each([
    [['login', 'acme.jfrog.io', '--token', `-${SECRET}`]],
    [['login', 'acme.jfrog.io', '--password', `--${SECRET}`]],
    [['login', 'acme.jfrog.io', '--user', 'alice', '--password-stdin', `--x${SECRET}`]],
    [['login', 'acme.jfrog.io', `--${SECRET}`]],
    [['login', 'acme.jfrog.io', `-${SECRET}`]],
    [['login', 'acme.jfrog.io', `--token=${SECRET}`]],
    [['login', `--tokn=${SECRET}`, 'acme.jfrog.io']],
  ])(
    'a secret where an option was expected is refused without being repeated: %j',
    async (args) => {
      for (const json of [false, true]) {
        const run = await runInProcess(json ? [...args, '--json'] : args);
        expect(run.code).toBe(2);
        expect(run.stderr).not.toContain(SECRET.slice(0, 8));
        expect(run.stderr).not.toContain(SECRET.slice(-8));
      }
    },
  );
});
