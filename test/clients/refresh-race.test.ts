import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import { ensureBuilt, root } from '../support/built.js';
import { artikeyEnv, type ClientRun, runClient, scratchHome, spawnAgent } from '../support/clients.js';

/**
 * JFrog refresh tokens are single-use: two processes spending the same one log the user out.
 * Ten real processes (the Docker helper and `artikey token`) and the agent ask for the token at
 * once while it is due (`npm run bench` repeats it with twenty, fifty times); the fake, which enforces single use, must see exactly one refresh, and every process
 * must answer with the same, new, valid token.
 */
describe('many processes, one refresh', () => {
  let fake: FakeArtifactory;
  let scratch: ReturnType<typeof scratchHome>;
  let env: NodeJS.ProcessEnv;
  const artikey = (args: string[], input = ''): Promise<ClientRun> =>
    runClient(process.execPath, [`${root}dist/cli/artikey.js`, ...args], { env, input });
  const helperGet = (): Promise<ClientRun> =>
    runClient(process.execPath, [`${root}dist/cli/docker-credential-artikey.cjs`, 'get'], {
      env,
      input: fake.host,
    });

  /**
   * The token was issued by a fake clock set 80 s back, which Artikey (rightly) reads as a server
   * clock 80 s behind ours. Forgetting that offset makes the token what the test needs: 80 s of
   * its 90 s gone, by our clock.
   */
  const ageTheToken = (): void => {
    const path = join(scratch.home, '.config', 'artikey', 'state.json');
    const state = JSON.parse(readFileSync(path, 'utf8')) as {
      instances: { clockOffsetSeconds: number }[];
    };
    for (const instance of state.instances) instance.clockOffsetSeconds = 0;
    writeFileSync(path, JSON.stringify(state));
  };

  const login = async (...extra: string[]): Promise<void> => {
    const run = await artikey(
      ['login', fake.url, '--no-browser', ...extra],
    );
    expect(run.code, run.stderr).toBe(0);
  };

  /** Logs in with a 90-second token that is already 80 seconds old: due for every caller. */
  const loginWithDueToken = async (): Promise<void> => {
    fake.clock.set(Date.now() - 80_000);
    await login('--lifetime', '90s');
    fake.clock.set(Date.now());
    ageTheToken();
  };

  beforeAll(async () => {
    ensureBuilt();
    fake = await startFakeArtifactory({ approveBrowserLoginsAs: DEMO_USER.name });
    scratch = scratchHome();
    env = artikeyEnv(scratch);
  });
  afterAll(async () => {
    await artikey(['logout', fake.host]);
    await fake.stop();
    scratch.cleanup();
  });

  it('artikey agent refreshes a due token, rewrites the tool files and stops on SIGTERM', async () => {
    const npmrc = join(scratch.home, '.npmrc');
    await login();
    expect(
      (await artikey(['configure', 'npm', fake.host, '--repo', 'npm-virtual', '--file', npmrc]))
        .code,
    ).toBe(0);
    // Logging in again keeps the configured files.
    await loginWithDueToken();
    const before = fake.tokens.refreshCount;

    const agent = spawnAgent(env);
    await agent.printed('next refresh of');
    // With the agent up, the Docker helper answers without the keychain (its D-Bus is cut off here).
    const noKeychain = {
      ...env,
      DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/artikey-test-bus',
    };
    const viaAgent = await runClient(
      process.execPath,
      [`${root}dist/cli/docker-credential-artikey.cjs`, 'get'],
      { env: noKeychain, input: fake.host },
    );
    const second = await artikey(['agent']);
    const code = await agent.stop();
    const output = agent.output();

    expect(code, output).toBe(0);
    expect(output).toMatch(/Artikey agent: keeping 1 instance fresh/);
    expect(output).toMatch(/refreshed 127\.0\.0\.1:\d+; the new token expires in 1 min/);
    expect(output).toMatch(/next refresh of 127\.0\.0\.1:\d+ at /);
    expect(output).toMatch(/stopped\n$/);
    expect(fake.tokens.refreshCount - before).toBe(1);
    const token = (await artikey(['token', fake.host])).stdout.trim();
    expect(readFileSync(npmrc, 'utf8')).toContain(`:_authToken=${token}`);
    expect(output).not.toContain(token);
    expect(JSON.parse(viaAgent.stdout)).toEqual({
      ServerURL: fake.host,
      Username: DEMO_USER.name,
      Secret: token,
    });
    expect(second).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('Another Artikey agent is already serving'),
    });
    const withoutAgent = await runClient(
      process.execPath,
      [`${root}dist/cli/docker-credential-artikey.cjs`, 'get'],
      { env: noKeychain, input: fake.host },
    );
    expect(withoutAgent.code).toBe(1);
  }, 60_000);

  it('a refresher killed at any moment leaves the instance refreshable or clearly "log in again"', async () => {
    await login();
    const outcomes: string[] = [];
    for (let round = 0; round < 8; round++) {
      const victim = spawn(process.execPath, [`${root}dist/cli/artikey.js`, 'refresh', fake.host], {
        env,
        stdio: 'ignore',
      });
      const closed = new Promise((resolve) => victim.on('close', resolve));
      // Spread the kills over the whole run: start-up, lock, request, storage, exit.
      await new Promise((resolve) => setTimeout(resolve, 60 + round * 45));
      victim.kill('SIGKILL');
      await closed;
      const after = await artikey(['refresh', fake.host]);
      if (after.code === 0) outcomes.push('refreshable');
      else {
        expect(after.stderr).toMatch(/Log in again\. \[login-required\]/);
        const status = await artikey(['status', fake.host]);
        expect(status.stdout).toMatch(/Refresh:\s+failing: .*Log in again/);
        outcomes.push('log in again');
        await login();
      }
    }
    expect(outcomes).toHaveLength(8);
  }, 120_000);

  it.each([1, 2])(
    'round %i: the agent and ten concurrent callers cause exactly one refresh',
    async () => {
      await loginWithDueToken();
      const before = fake.tokens.refreshCount;

      // A long-running refresher (the agent) races the twenty short-lived processes.
      const agent = spawnAgent(env);
      const runs = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          i % 2 === 0 ? helperGet() : artikey(['token', fake.host]),
        ),
      );
      await agent.printed('next refresh of');
      await agent.stop();
      expect(agent.output()).toMatch(/next refresh of/);

      for (const run of runs) expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(fake.tokens.refreshCount - before).toBe(1);
      const answers = new Set(
        runs.map((run, i) =>
          i % 2 === 0 ? (JSON.parse(run.stdout) as { Secret: string }).Secret : run.stdout.trim(),
        ),
      );
      expect(answers.size).toBe(1);
      const [token = ''] = answers;
      const final = await artikey(['token', fake.host]);
      expect(final.stdout.trim()).toBe(token);
      // Short-lived tokens are not persisted, so ask a package endpoint whether the server takes it.
      const whoami = await fetch(`${fake.url}/artifactory/api/npm/npm-virtual/-/whoami`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(await whoami.json()).toEqual({ username: DEMO_USER.name });
      // The session survives: the stored refresh token is the live one.
      const refreshed = await artikey(['refresh', fake.host]);
      expect(refreshed.code, refreshed.stderr).toBe(0);
    },
    120_000,
  );
});
