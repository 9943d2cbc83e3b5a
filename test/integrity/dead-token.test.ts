import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { agentSocketPath, askAgent } from '../../electron/core/agent-socket.js';
import { Artikey } from '../../electron/core/artikey.js';
import { osKeychain } from '../../electron/core/keychain.js';
import { Vault } from '../../electron/core/vault.js';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import type { FaultSpec } from '../fake-artifactory/faults.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import { ensureBuilt, root } from '../support/built.js';
import { artikeyEnv, type ClientRun, runClient, type RunningAgent, scratchHome, spawnAgent } from '../support/clients.js';

/**
 * A token Artikey knows is dead (revoked, its refresh refused for good, expired with no refresh
 * left) is never handed out: `artikey token` exits 4, the Docker helper answers an error Docker
 * shows, the agent's in-memory answer refuses, and the core call behind the window's Copy and
 * Show token fails with the same code; each says "log in again to <instance>". Real processes
 * (the built CLI, helper and agent) against the fake Artifactory.
 */
const NAME = 'acme';
const TOKENS = '/access/api/v1/tokens';
/** What Access answers, once, for a refresh token it no longer knows (spent or revoked). */
const REFRESH_TOKEN_UNKNOWN: FaultSpec = {
  method: 'POST',
  path: TOKENS,
  times: 1,
  action: {
    kind: 'status',
    status: 404,
    contentType: 'application/json',
    body: '{"errors":[{"code":"NOT_FOUND","message":"Token matching the provided refresh token was not found."}]}',
  },
};
/** Real processes on a busy machine: a login, a few commands and perhaps an agent. */
const TEST_MS = 120_000;

describe('a dead token is never handed out', () => {
  let fake: FakeArtifactory;
  let scratch: ReturnType<typeof scratchHome>;
  let env: NodeJS.ProcessEnv;
  let stateFile: string;
  let vault: Vault;
  /** The core as the window's Copy token / Show token handlers use it. */
  let core: Artikey;

  const artikey = (args: string[], input = ''): Promise<ClientRun> =>
    runClient(process.execPath, [`${root}dist/cli/artikey.js`, ...args], { env, input });
  const helperGet = (helperEnv = env): Promise<ClientRun> =>
    runClient(process.execPath, [`${root}dist/cli/docker-credential-artikey.cjs`, 'get'], {
      env: helperEnv,
      input: fake.host,
    });
  const instanceId = (): string =>
    (JSON.parse(readFileSync(stateFile, 'utf8')) as { instances: { id: string }[] }).instances[0]
      ?.id ?? '';
  const storedToken = async (): Promise<string> =>
    (await vault.read(instanceId()))?.accessToken ?? 'no token stored';

  const login = async (): Promise<void> => {
    const run = await artikey(
      ['login', fake.url, '--no-browser', '--name', NAME],
    );
    expect(run.code, run.stderr).toBe(0);
  };

  /** Every way out refuses the token, names the instance, and never shows the token. */
  const expectRefused = async (token: string, name = NAME): Promise<void> => {
    const printed = await artikey(['token', name]);
    expect(printed.code, printed.stderr).toBe(4);
    expect(printed.stdout).toBe('');
    expect(printed.stderr).toContain(`log in again to ${name}`);
    expect(printed.stderr).toContain('[login-required]');
    expect(printed.stderr).not.toContain(token);

    const helper = await helperGet();
    expect(helper.code, helper.stdout).toBe(1);
    // Docker shows what the helper prints on stdout.
    expect(helper.stdout).toContain(`log in again to ${name}`);
    expect(helper.stdout + helper.stderr).not.toContain(token);

    const copied = await core.accessToken(name).then(
      () => 'handed out',
      (error: unknown) => error as { code: string; message: string },
    );
    expect(copied).toMatchObject({
      code: 'login-required',
      message: expect.stringContaining(`log in again to ${name}`),
    });
    expect(JSON.stringify(copied)).not.toContain(token);
  };

  /** `artikey agent` in the background, answering the Docker helper from memory. */
  const startAgent = async (): Promise<RunningAgent> => {
    const agent = spawnAgent(env);
    await agent.printed('Artikey agent: keeping');
    expect(agent.output()).toContain('Artikey agent: keeping');
    return agent;
  };
  /** The helper with the keychain out of reach: only the agent can answer it. */
  const agentOnly = (): NodeJS.ProcessEnv => ({
    ...env,
    DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/artikey-test-bus',
  });
  const askTheAgent = () =>
    askAgent(agentSocketPath(join(scratch.home, '.config', 'artikey')), {
      op: 'docker-get',
      server: fake.host,
    });

  beforeAll(async () => {
    ensureBuilt();
    fake = await startFakeArtifactory({ approveBrowserLoginsAs: DEMO_USER.name });
  });
  beforeEach(() => {
    scratch = scratchHome();
    env = artikeyEnv(scratch);
    stateFile = join(scratch.home, '.config', 'artikey', 'state.json');
    vault = new Vault(osKeychain({ service: env.ARTIKEY_KEYCHAIN_SERVICE ?? '' }));
    core = new Artikey({ stateFile, vault });
  });
  afterEach(async () => {
    fake.faults.clear();
    fake.config.issuedTokensExpireAfterSeconds = null;
    fake.config.refreshGraceSeconds = 0;
    fake.clock.set(Date.now());
    await artikey(['logout', NAME]);
    scratch.cleanup();
  });
  afterAll(async () => {
    await fake.stop();
  });

  it(
    'serves an active token (control)',
    async () => {
      await login();
      const token = await storedToken();
      const printed = await artikey(['token', NAME]);
      expect(printed).toMatchObject({ code: 0, stdout: `${token}\n` });
      const helper = await helperGet();
      expect(helper.code, helper.stdout).toBe(0);
      expect(JSON.parse(helper.stdout)).toMatchObject({ Username: DEMO_USER.name, Secret: token });
      expect(await core.accessToken(NAME)).toBe(token);
    },
    TEST_MS,
  );

  it(
    'refreshes an expired token that can still be refreshed, and serves the new one (control)',
    async () => {
      // Expired a minute ago: refreshable only where the server grants a grace (none by default).
      fake.config.refreshGraceSeconds = 86_400;
      fake.config.issuedTokensExpireAfterSeconds = -60;
      await login();
      fake.config.issuedTokensExpireAfterSeconds = null;
      const expired = await storedToken();
      const refreshes = fake.tokens.refreshCount;
      const printed = await artikey(['token', NAME]);
      expect(printed.code, printed.stderr).toBe(0);
      expect(printed.stdout).toBe(`${await storedToken()}\n`);
      expect(printed.stdout).not.toContain(expired);
      expect(fake.tokens.refreshCount - refreshes).toBe(1);
    },
    TEST_MS,
  );

  it(
    'refuses a token revoked with `artikey revoke`',
    async () => {
      await login();
      const token = await storedToken();
      const revoked = await artikey(['revoke', NAME]);
      expect(revoked.code, revoked.stderr).toBe(0);
      expect((await artikey(['status', NAME])).stdout).toMatch(/revoked/);
      await expectRefused(token);
    },
    TEST_MS,
  );

  it(
    'refuses a token whose refresh the server refused for good',
    async () => {
      await login();
      const token = await storedToken();
      fake.faults.add(REFRESH_TOKEN_UNKNOWN);
      const refresh = await artikey(['refresh', NAME]);
      expect(refresh.code, refresh.stderr).toBe(4);
      await expectRefused(token);
    },
    TEST_MS,
  );

  it(
    'refuses an expired token whose refresh brought one already expired',
    async () => {
      // A misbehaving server: every token it issues, the refreshed one too, expired a minute ago.
      fake.config.issuedTokensExpireAfterSeconds = -60;
      fake.config.refreshGraceSeconds = 86_400;
      await login();
      const refreshes = fake.tokens.refreshCount;
      const printed = await artikey(['token', NAME]);
      expect(fake.tokens.refreshCount - refreshes).toBe(1);
      expect(printed.code, printed.stderr).toBe(4);
      expect(printed.stdout).toBe('');
      expect(printed.stderr).toContain(`log in again to ${NAME}`);
    },
    TEST_MS,
  );

  it(
    'refuses an expired pasted token that cannot be refreshed',
    async () => {
      // Issued an hour ago by the server's clock, for 30 minutes, with a scope that may not
      // mint a refreshable successor: Artikey keeps it as pasted.
      fake.clock.set(Date.now() - 3_600_000);
      const pasted = fake.issueToken({
        username: DEMO_USER.name,
        expiresIn: 1800,
        scope: 'artifact:npm-virtual:r',
      }).jwt;
      const run = await artikey(['login', fake.url, '--token', '--name', 'pasted'], pasted);
      expect(run.code, run.stderr).toBe(0);
      const state = JSON.parse(readFileSync(stateFile, 'utf8')) as {
        instances: { token: { refreshable: boolean }; clockOffsetSeconds: number }[];
      };
      expect(state.instances[0]?.token.refreshable).toBe(false);
      // Artikey measured the server's clock an hour behind ours. The server's clock is put right,
      // and Artikey's measure with it: by both clocks the token expired half an hour ago.
      fake.clock.set(Date.now());
      for (const instance of state.instances) instance.clockOffsetSeconds = 0;
      writeFileSync(stateFile, JSON.stringify(state));
      await expectRefused(pasted, 'pasted');
      await artikey(['logout', 'pasted']);
    },
    TEST_MS,
  );

  it(
    'refuses from the agent’s memory once the token is revoked, or its refresh refused',
    async () => {
      await login();
      const agent = await startAgent();
      try {
        const token = await storedToken();
        // Answered by the agent, which now remembers the token.
        const served = await helperGet(agentOnly());
        expect(served.code, served.stdout).toBe(0);
        expect(JSON.parse(served.stdout)).toMatchObject({ Secret: token });

        expect((await artikey(['revoke', NAME])).code).toBe(0);
        const reply = await askTheAgent();
        expect(reply).toMatchObject({
          ok: false,
          code: 'login-required',
          message: expect.stringContaining(`log in again to ${NAME}`),
        });
        expect(JSON.stringify(reply)).not.toContain(token);
        const helper = await helperGet(agentOnly());
        expect(helper.code, helper.stdout).toBe(1);
        expect(helper.stdout).toContain(`log in again to ${NAME}`);
        expect(helper.stdout + helper.stderr).not.toContain(token);
      } finally {
        expect(await agent.stop()).toBe(0);
      }

      // A new login, then the server refuses its refresh while the agent remembers it.
      await login();
      const again = await startAgent();
      try {
        const token = await storedToken();
        expect(JSON.parse((await helperGet(agentOnly())).stdout)).toMatchObject({ Secret: token });
        fake.faults.add(REFRESH_TOKEN_UNKNOWN);
        expect((await artikey(['refresh', NAME])).code).toBe(4);
        const helper = await helperGet(agentOnly());
        expect(helper.code, helper.stdout).toBe(1);
        expect(helper.stdout).toContain(`log in again to ${NAME}`);
        expect(helper.stdout + helper.stderr).not.toContain(token);
      } finally {
        expect(await again.stop()).toBe(0);
      }
    },
    TEST_MS,
  );
});
